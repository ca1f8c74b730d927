import Hummingbird
import WardenEngine

/// `GET /v1/accounts/{id}` and `GET /v1/accounts/{id}/downline`: an account, and the accounts
/// below it in the invite graph (a 团长's 下级用户), paged level by level.
extension WardenServer {
    func addAccountRoutes(read: RouterGroup<BasicRequestContext>) {
        read.get("/v1/accounts/:id") { _, context in try await self.account(context.parameters.get("id") ?? "") }
        read.get("/v1/accounts/:id/downline") { request, context in
            try await self.downline(request, account: context.parameters.get("id") ?? "")
        }
    }

    func account(_ id: String) async throws -> Response {
        let now = service.now()
        let view = await settledReads { service.engine.account(id, at: now) }
        guard let view else { return Self.json(.notFound, .object([("error", .string("no account \(id): Warden has never seen it"))])) }
        return Self.json(.ok, view.jsonValue(at: now))
    }

    func downline(_ request: Request, account: String) async throws -> Response {
        let q = Self.query(request)
        func number(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = q[key] else { return value }
            guard let n = Int(text), range.contains(n) else {
                throw HTTPError(.badRequest, message: "'\(key)' takes \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        let depth = try number("depth", default: 8, range: 1...Engine.maxDownlineDepth)
        let limit = try number("limit", default: 100, range: 1...Engine.maxDownlinePage)
        let after = try number("after", default: 0, range: 0...Int(Int32.max))
        let now = service.now()
        let page = await settledReads { service.engine.downline(of: account, depth: depth, limit: limit, after: after, at: now) }
        guard let page else {
            return Self.json(.notFound, .object([("error", .string("no account \(account) in the invite graph"))]))
        }
        return Self.json(
            .ok,
            .object([
                ("account", .string(account)), ("downline", .array(page.entries.map(\.jsonValue))),
                ("next", page.next.map { .string(String($0)) } ?? .null),
            ]))
    }
}
