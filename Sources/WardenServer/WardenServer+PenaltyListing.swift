import Hummingbird
import WardenEngine
import WardenLanguage
import WardenWire

extension WardenServer {
    /// `GET /v1/penalties` without a target: a page of the ledger, oldest first, filtered by
    /// status (in force by default), action and rule; `next` is the id to pass as `after` for
    /// the following page. The ledger is read whole for each page (Redis: one pipeline of
    /// reads), which suits an operator's listing, not a poll every second.
    func penaltyListing(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let status = query["status"].map(String.init) ?? "in_force"
        guard ["in_force", "lifted", "ended", "all"].contains(status) else {
            return Self.badRequest("status is in_force, lifted, ended or all, not '\(status)'", key: "status")
        }
        var action: PenaltyAction?
        if let name = query["action"] {
            guard let a = PenaltyAction(rawValue: String(name)) else {
                return Self.badRequest("unknown action '\(name)'", key: "action")
            }
            action = a
        }
        let rule = query["rule"].map(String.init)
        var limit = 100
        if let text = query["limit"] {
            guard let n = Int(text), (1...1000).contains(n) else {
                return Self.badRequest("limit is 1 to 1000, not '\(text)'", key: "limit")
            }
            limit = n
        }
        let now = service.now()
        let matching = service.engine.penalties.filter { r in
            if let action, r.action != action { return false }
            if let rule, r.rule != rule { return false }
            switch status {
            case "in_force": return r.inForce(at: now)
            case "lifted": return r.lifted != nil
            case "ended": return r.lifted == nil && !r.inForce(at: now)
            default: return true
            }
        }
        var start = 0
        if let after = query["after"] {
            guard let k = matching.firstIndex(where: { $0.id == String(after) }) else {
                return Self.badRequest("no penalty '\(after)' in this listing to go on after", key: "after")
            }
            start = k + 1
        }
        let page = matching[start..<min(matching.count, start + limit)]
        let next: JSONValue = start + limit < matching.count ? .string(page.last!.id) : .null
        return Self.json(
            .ok, .object([("penalties", .array(page.map(Self.record))), ("matched", .number(Double(matching.count))), ("next", next)]))
    }
}
