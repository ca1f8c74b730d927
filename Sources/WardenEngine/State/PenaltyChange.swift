/// The one outbox message, the same from `serve` (the SQLite and Redis outboxes the webhook
/// delivers) and from `audit --penalties`: what changed on a penalty record, the record, and an
/// idempotency key naming the record, the change and its end, so a consumer reading both can
/// drop repeats and an extension (a later end) still gets through.
///
/// `{"change":"recorded","idempotency_key":"p-7:recorded:forever","penalty":{…}}`
public struct PenaltyChange: Sendable, Equatable {
    public enum Kind: String, Sendable { case recorded, extended, lifted }

    public var kind: Kind
    public var record: PenaltyRecord

    public init(_ kind: Kind, _ record: PenaltyRecord) {
        self.kind = kind
        self.record = record
    }

    public var idempotencyKey: String {
        let end = kind == .lifted ? "lifted" : PenaltyRecord.endText(until: record.until, forever: record.forever) ?? "once"
        return "\(record.id):\(kind.rawValue):\(end)"
    }

    public var json: String {
        var w = JSONWriter()
        w.value(.object([("change", .string(kind.rawValue)), ("idempotency_key", .string(idempotencyKey)), ("penalty", record.jsonValue)]))
        return w.output
    }
}

extension Engine {
    /// The outbox messages of a decision: one per penalty it recorded (the event's own record)
    /// or extended (an earlier record with a later end), as the ledger now holds it.
    public func penaltyChanges(for decision: Decision, event: Event) -> [PenaltyChange] {
        decision.penalties.compactMap { p in
            guard let id = p.id, let kind = p.targetKey, let target = p.targetValue,
                var record = state.ledger.records(targetKind: kind, target: target).last(where: { $0.id == id })
            else { return nil }
            // The end this decision set, even if a later event has extended the record since.
            (record.until, record.forever) = (p.until, p.forever)
            return PenaltyChange(record.event == event.id ? .recorded : .extended, record)
        }
    }
}
