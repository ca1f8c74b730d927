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

    /// The outbox message of a change (`PenaltyChange`): its idempotency key and its JSON.
    public func outboxMessage(_ change: String) -> (key: String, body: String) {
        let message = PenaltyChange(PenaltyChange.Kind(rawValue: change) ?? .recorded, self)
        return (message.idempotencyKey, message.json)
    }
}
