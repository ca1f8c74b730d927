/// The one stored form of a penalty record, for snapshots and for Redis (the API and the outbox
/// show `jsonValue`, with times as RFC 3339; SQLite keeps typed columns): times in seconds,
///
///     {"id","action","target_kind","target","start","forever","offense","rule","event",
///      "until"?, "lifted"?: {"at","reason"}}
///
/// `init(stored:)` also reads the form Redis held before this one (`kind`, `lifted_at`,
/// `lift_reason`), so a Redis written by an older server still loads.
extension PenaltyRecord {
    public var storedValue: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("action", .string(action.rawValue)), ("target_kind", .string(targetKind.rawValue)),
            ("target", .string(target)), ("start", .number(start)), ("forever", .bool(forever)),
            ("offense", .number(Double(offense))), ("rule", .string(rule)), ("event", .string(event)),
        ]
        if let until { pairs.append(("until", .number(until))) }
        if let lifted { pairs.append(("lifted", .object([("at", .number(lifted.at)), ("reason", .string(lifted.reason))]))) }
        return .object(pairs)
    }

    public var storedText: String {
        var w = JSONWriter()
        w.value(storedValue)
        return w.output
    }

    public init(stored v: JSONValue) throws(SnapshotError) {
        let kindValue = v["target_kind"] ?? v["kind"]
        guard case .string(let id)? = v["id"], case .string(let actionName)? = v["action"], case .string(let kindName)? = kindValue,
            case .string(let target)? = v["target"], case .number(let start)? = v["start"], case .number(let offense)? = v["offense"],
            case .string(let rule)? = v["rule"], case .string(let event)? = v["event"]
        else { throw SnapshotError(message: "a penalty record is missing a field") }
        guard let action = PenaltyAction(rawValue: actionName) else {
            throw SnapshotError(message: "penalty \(id): unknown action '\(actionName)'")
        }
        guard let kind = TargetKind(rawValue: kindName) else {
            throw SnapshotError(message: "penalty \(id): unknown target kind '\(kindName)'")
        }
        // A record another program (or a damaged store) wrote may hold any number: refused
        // here, by name, rather than trapping where an Int is made of it.
        guard let count = Int(exactly: offense), (1...1_000_000_000).contains(count) else {
            throw SnapshotError(message: "penalty \(id): offense \(offense) is not a count")
        }
        func time(_ name: String, _ t: Double) throws(SnapshotError) -> Double {
            guard Self.storableTimes.contains(t) else { throw SnapshotError(message: "penalty \(id): \(name) \(t) is not a time") }
            return t
        }
        self.init(
            id: id, action: action, targetKind: kind, target: target, start: try time("start", start), until: nil,
            forever: v["forever"] == .bool(true), offense: count, rule: rule, event: event, lifted: nil)
        if case .number(let until)? = v["until"] { self.until = try time("until", until) }
        if case .number(let at)? = v["lifted"]?["at"], case .string(let reason)? = v["lifted"]?["reason"] {
            lifted = Lift(at: try time("lifted.at", at), reason: reason)
        } else if case .number(let at)? = v["lifted_at"], case .string(let reason)? = v["lift_reason"] {
            lifted = Lift(at: try time("lifted_at", at), reason: reason)  // the older Redis form
        }
    }

    /// Seconds since 1970 a stored record may hold: years 0001 to 9999.
    static let storableTimes: ClosedRange<Double> = -62_135_596_800...253_402_300_799
}
