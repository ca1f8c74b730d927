import Foundation

extension PenaltyRecord {
    /// The record as JSON, as the HTTP API and the outbox show it.
    public var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("action", .string(action.rawValue)), ("target", .object([(targetKind.rawValue, .string(target))])),
            ("start", .string(Timestamp.format(start))),
        ]
        if let end = Self.endText(until: until, forever: forever) { pairs.append(("until", .string(end))) }
        pairs += [("offense", .number(Double(offense))), ("rule", .string(rule)), ("event", .string(event))]
        if let lift = lifted {
            pairs.append(("lifted", .object([("at", .string(Timestamp.format(lift.at))), ("reason", .string(lift.reason))])))
        }
        return .object(pairs)
    }

    /// How a penalty's end is written everywhere (decisions, records, the outbox, traces):
    /// `forever`, an RFC 3339 time, or nil for a penalty that does not last.
    public static func endText(until: Double?, forever: Bool, zone: TimeZone? = nil) -> String? {
        if forever { return "forever" }
        return until.map { Timestamp.format($0, zone: zone) }
    }

    /// The outbox message of a change (`PenaltyChange`): its idempotency key and its JSON.
    public func outboxMessage(_ change: String) -> (key: String, body: String) {
        let message = PenaltyChange(PenaltyChange.Kind(rawValue: change) ?? .recorded, self)
        return (message.idempotencyKey, message.json)
    }
}
