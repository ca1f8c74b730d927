/// A shared, ordered log of invite-graph changes (Redis), so that every engine that points at it
/// builds the same graph: each engine appends the changes its committed evaluations make and,
/// before an `issue` or `redeem` is evaluated, applies whatever the log gained since it last
/// read. Applying a change twice changes nothing (an account keeps its first inviter, a code its
/// first owner), so an engine may also apply its own change at once when the append fails.
public protocol InviteLog: Sendable {
    /// Appends one encoded change.
    func append(_ entry: String) throws(CounterStateError)
    /// The entries after `cursor` (`nil`: from the start), oldest first, and the new cursor.
    func read(after cursor: String?) throws(CounterStateError) -> (entries: [String], cursor: String?)
}

extension InviteChange {
    /// One line of JSON, as the log keeps it.
    var encoded: String {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        var w = JSONWriter()
        switch self {
        case .issue(let i):
            w.value(
                .object([
                    ("k", .string("issue")), ("account", .string(i.account)), ("code", .string(i.code)), ("at", .number(i.at)),
                    ("device", text(i.device)), ("network", text(i.network)), ("max_uses", i.maxUses.map { .number(Double($0)) } ?? .null),
                ]))
        case .redeem(let r):
            w.value(
                .object([
                    ("k", .string("redeem")), ("redeemer", .string(r.redeemer)), ("owner", text(r.owner)), ("code", .string(r.code)),
                    ("at", .number(r.at)), ("device", text(r.device)), ("network", text(r.network)),
                    ("owner_device", text(r.ownerDevice)), ("owner_network", text(r.ownerNetwork)), ("flagged", .bool(r.flagged)),
                ]))
        case .active(let a):
            w.value(.object([("k", .string("active")), ("account", .string(a.account)), ("at", .number(a.at))]))
        }
        return w.output
    }

    init?(encoded: String) {
        guard let v = try? JSONParser.parse(encoded) else { return nil }
        func text(_ key: String) -> String? { if case .string(let s)? = v[key] { s } else { nil } }
        func number(_ key: String) -> Double? { if case .number(let n)? = v[key] { n } else { nil } }
        switch text("k") {
        case "issue":
            guard let account = text("account"), let code = text("code"), let at = number("at") else { return nil }
            self = .issue(
                Issue(
                    account: account, code: code, at: at, device: text("device"), network: text("network"),
                    maxUses: number("max_uses").map { Int($0) }))
        case "redeem":
            guard let redeemer = text("redeemer"), let code = text("code"), let at = number("at") else { return nil }
            var r = Redemption(
                redeemer: redeemer, owner: text("owner"), code: code, at: at, device: text("device"), network: text("network"),
                ownerDevice: text("owner_device"), ownerNetwork: text("owner_network"))
            if case .bool(true)? = v["flagged"] { r.flagged = true }
            self = .redeem(r)
        case "active":
            guard let account = text("account"), let at = number("at") else { return nil }
            self = .active(Activity(account: account, at: at))
        default:
            return nil
        }
    }
}
