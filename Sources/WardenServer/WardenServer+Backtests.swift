import Foundation
import Hummingbird
import WardenAudit
import WardenEngine

/// `POST /v1/backtests` (admin), `GET /v1/backtests/{id}` (and `/report`, the dry-run page),
/// `DELETE /v1/backtests/{id}`: a candidate rule set beside the live one over this server's
/// archive (`serve --archive`).
extension WardenServer {
    func addBacktestRoutes(read: RouterGroup<BasicRequestContext>, admin: RouterGroup<BasicRequestContext>) {
        admin.post("/v1/backtests") { request, _ in try await self.startBacktest(request) }
        read.get("/v1/backtests") { _, _ in
            Self.json(.ok, .object([("backtests", .array(self.backtests.list().map { $0.json(withResult: false) }))]))
        }
        admin.get("/v1/rules/files") { _, _ in self.ruleFiles() }
        read.get("/v1/backtests/:id") { _, context in self.backtest(context.parameters.get("id") ?? "") }
        read.get("/v1/backtests/:id/report") { _, context in self.backtestReport(context.parameters.get("id") ?? "") }
        admin.delete("/v1/backtests/:id") { _, context in self.cancelBacktest(context.parameters.get("id") ?? "") }
    }

    func startBacktest(_ request: Request) async throws -> Response {
        guard let archive = configuration.archive else {
            return Self.json(.conflict, .object([("error", .string("this server keeps no archive: start it with --archive DIR"))]))
        }
        let body = try await object(of: request)
        let live = service.engine.ruleSet
        var files: [String: [UInt8]]
        if let digest = body["digest"]?.stringValue {
            guard let stored = service.review?.ruleSet(digest: digest) else {
                return Self.json(
                    .notFound, .object([("error", .string("no stored rule set \(digest) (GET /v1/rules/history lists them)"))]))
            }
            files = stored.files
        } else if case .object(let changes)? = body["files"], !changes.isEmpty {
            files = live.sources
            for (path, text) in changes {
                if text == .null {
                    files[path] = nil
                } else if let t = text.stringValue {
                    files[path] = Array(t.utf8)
                } else {
                    return Self.badRequest("'files.\(path)' is a string or null", key: "files")
                }
            }
        } else {
            return Self.badRequest(
                "give 'files' (path → text, applied to the live rule set's files; null removes one) or a stored 'digest'", key: "files")
        }
        let zone = live.info.timezone
        let now = service.now()
        let since: Double
        let until: Double
        do {
            since = try body["since"]?.stringValue.map { try Self.time($0, zone: zone) } ?? 0
            until = try body["until"]?.stringValue.map { try Self.time($0, zone: zone) } ?? now
        } catch let error as HTTPError {
            return Self.badRequest(error.body ?? "bad time", key: "since")
        }
        guard since < until else { return Self.badRequest("'since' must be before 'until'", key: "since") }
        let given = files
        let compiled = try await run { Compiler.compile(files: given) }
        guard let candidate = compiled.ruleSet else {
            return Self.json(
                .unprocessableContent,
                .object([
                    ("error", .string("the candidate does not compile")), ("diagnostics", .array(compiled.diagnostics.map(\.jsonValue))),
                ]))
        }
        // Everything checked before this request is in the segments the run reads.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in archive.flush { done.resume() } }
        guard
            let run = backtests.start(
                live: live, candidate: candidate, archive: archive.options.directory, since: since, until: until, now: now)
        else {
            return Self.json(.conflict, .object([("error", .string("a backtest is running; one at a time (DELETE it, or wait)"))]))
        }
        logger.info(
            "backtest started", metadata: ["backtest": .string(run.id), "candidate": .string(candidate.info.digest)])
        return Self.json(.accepted, .object([("id", .string(run.id)), ("status", .string(run.status.rawValue))]))
    }

    func backtest(_ id: String) -> Response {
        guard let run = backtests.get(id) else { return Self.json(.notFound, .object([("error", .string("no backtest \(id)"))])) }
        return Self.json(.ok, run.json())
    }

    func backtestReport(_ id: String) -> Response {
        guard let run = backtests.get(id) else { return Self.json(.notFound, .object([("error", .string("no backtest \(id)"))])) }
        guard let html = run.html else {
            return Self.json(.conflict, .object([("error", .string("backtest \(id) is \(run.status.rawValue): no report yet"))]))
        }
        return Self.text(.ok, html, type: "text/html; charset=utf-8")
    }

    func cancelBacktest(_ id: String) -> Response {
        guard let run = backtests.get(id) else { return Self.json(.notFound, .object([("error", .string("no backtest \(id)"))])) }
        guard backtests.cancel(id) else {
            return Self.json(.conflict, .object([("error", .string("backtest \(id) has ended (\(run.status.rawValue))"))]))
        }
        return Self.json(.ok, .object([("id", .string(id)), ("status", .string("cancelling"))]))
    }

    /// The text files of the rule set serving (rules and word lists), for a candidate to start
    /// from; model files and anything else that is not text are named, not sent.
    func ruleFiles() -> Response {
        let live = service.engine.ruleSet
        var files: [(String, JSONValue)] = []
        var omitted: [JSONValue] = []
        for (path, bytes) in live.sources.sorted(by: { $0.key < $1.key }) {
            if bytes.count <= 1 << 20, !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) {
                files.append((path, .string(text)))
            } else {
                omitted.append(.string(path))
            }
        }
        return Self.json(
            .ok, .object([("digest", .string(live.info.digest)), ("files", .object(files)), ("omitted", .array(omitted))]))
    }

    /// An RFC 3339 time, or a local one in the rule set's zone (`Timestamp.parse(_:localIn:)`).
    static func time(_ text: String, zone: String) throws -> Double {
        guard let t = Timestamp.parse(text, localIn: zone) else {
            throw HTTPError(.badRequest, message: "'\(text)' is not an RFC 3339 time nor 'YYYY-MM-DD[ HH:MM[:SS]]' in \(zone)")
        }
        return t
    }
}
