import WardenEngine

/// The outbox records of SPEC §7: one JSON object per penalty a decision recorded or extended,
/// for the systems that act on penalties (the invite service, the message store). The
/// idempotency key names the record and its end, so a consumer that sees the same key twice
/// can drop it, and an extension (a later end) gets a new key.
public enum PenaltyOutbox {
    public static func records(for decision: Decision, event: Event) -> [String] {
        decision.penalties.compactMap { p in
            guard let id = p.id else { return nil }
            var pairs: [(String, JSONValue)] = [
                ("id", .string(id)), ("action", .string(p.action.rawValue)),
            ]
            if let key = p.targetKey, let value = p.targetValue { pairs.append(("target", .object([(key.rawValue, .string(value))]))) }
            let end: String
            if p.forever {
                end = "forever"
            } else if let until = p.until {
                end = Timestamp.format(until)
            } else {
                end = "once"
            }
            if end != "once" { pairs.append(("until", .string(end))) }
            if let offense = p.offense { pairs.append(("offense", .number(Double(offense)))) }
            pairs.append(("rule", .string(p.rule)))
            pairs.append(("event", .string(event.id)))
            if let ts = event.ts { pairs.append(("at", .string(Timestamp.format(ts)))) }
            pairs.append(("idempotency_key", .string("\(id):\(end)")))
            var w = JSONWriter()
            w.value(.object(pairs))
            return w.output
        }
    }
}
