/// One line of the change log: who changed what the engine does, when and why.
public struct ChangeRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case reload, rollback, lift
        case caseClaim = "case_claim"
        case caseResolve = "case_resolve"
        case labelAdd = "label_add"
        case labelRemove = "label_remove"
        case listAdd = "list_add"
        case listRemove = "list_remove"
        case draft
        case draftApprove = "draft_approve"
    }

    /// Assigned by the store: a number that only grows.
    public var seq: Int
    public var at: Double
    public var kind: Kind
    public var by: String
    public var reason: String
    /// What changed: a penalty id, a case id, a digest, `account:u1 trusted` …
    public var subject: String
    /// The rest, as the route that made the change describes it.
    public var detail: JSONValue

    public init(seq: Int = 0, at: Double, kind: Kind, by: String, reason: String, subject: String, detail: JSONValue = .object([])) {
        (self.seq, self.at, self.kind, self.by, self.reason, self.subject, self.detail) = (seq, at, kind, by, reason, subject, detail)
    }

    public var jsonValue: JSONValue {
        .object([
            ("seq", .int(seq)), ("at", .string(Timestamp.format(at))), ("kind", .string(kind.rawValue)), ("by", .string(by)),
            ("reason", .string(reason)), ("subject", .string(subject)), ("detail", detail),
        ])
    }

    public init?(json v: JSONValue) {
        guard let seq = v["seq"]?.intValue, let at = v["at"]?.stringValue.flatMap(Timestamp.parse),
            let kind = v["kind"]?.stringValue.flatMap(Kind.init(rawValue:))
        else { return nil }
        self.init(
            seq: seq, at: at, kind: kind, by: v["by"]?.stringValue ?? "", reason: v["reason"]?.stringValue ?? "",
            subject: v["subject"]?.stringValue ?? "", detail: v["detail"] ?? .object([]))
    }
}
