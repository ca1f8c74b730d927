extension PenaltyRecord {
    /// The record as JSON, as the HTTP API and the outbox show it.
    public var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("action", .string(action.rawValue)), ("target", .object([(targetKind.rawValue, .string(target))])),
            ("start", .string(Timestamp.format(start))),
        ]
        if forever { pairs.append(("until", .string("forever"))) } else if let u = until { pairs.append(("until", .string(Timestamp.format(u)))) }
        pairs += [("offense", .number(Double(offense))), ("rule", .string(rule)), ("event", .string(event))]
        if let lift = lifted { pairs.append(("lifted", .object([("at", .string(Timestamp.format(lift.at))), ("reason", .string(lift.reason))]))) }
        return .object(pairs)
    }

    /// What changed, for the outbox: `recorded`, `extended` or `lifted`, with an idempotency key
    /// that names the record and the change, so a receiver can drop repeats.
    public func outboxMessage(_ change: String) -> (key: String, body: String) {
        let end = lifted != nil && change == "lifted" ? "lifted" : (forever ? "forever" : until.map { Timestamp.format($0) } ?? "once")
        let key = "\(id):\(change):\(end)"
        var w = JSONWriter()
        w.value(.object([("change", .string(change)), ("idempotency_key", .string(key)), ("penalty", jsonValue)]))
        return (key, w.output)
    }
}
