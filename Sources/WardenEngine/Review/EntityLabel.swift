/// A label on an account, a code or a device (`trusted`, `farm`): set by people through the API
/// or by a rule's `label(account, "farm", 30d)`, read by rules with `has_label(account, "trusted")`.
public struct EntityLabel: Sendable, Equatable {
    /// What a label can be put on.
    public enum Kind: String, Sendable, CaseIterable {
        case account, code, device
    }

    public var kind: Kind
    public var target: String
    public var label: String
    /// When it stops applying (seconds since 1970); nil: until removed.
    public var expires: Double?
    public var reason: String
    public var by: String
    public var at: Double

    public init(kind: Kind, target: String, label: String, expires: Double?, reason: String, by: String, at: Double) {
        (self.kind, self.target, self.label, self.expires, self.reason, self.by, self.at) = (kind, target, label, expires, reason, by, at)
    }

    public func inForce(at t: Double) -> Bool { expires.map { $0 > t } ?? true }

    public var jsonValue: JSONValue {
        .object([
            ("target", .object([(kind.rawValue, .string(target))])), ("label", .string(label)),
            ("expires", expires.map { .string(Timestamp.format($0)) } ?? .null), ("reason", .string(reason)), ("by", .string(by)),
            ("at", .string(Timestamp.format(at))),
        ])
    }

    public init?(json v: JSONValue) {
        guard case .object(let target)? = v["target"], let first = target.first, let kind = Kind(rawValue: first.0),
            let value = first.1.stringValue, let label = v["label"]?.stringValue, let at = v["at"]?.stringValue.flatMap(Timestamp.parse)
        else { return nil }
        self.init(
            kind: kind, target: value, label: label, expires: v["expires"]?.stringValue.flatMap(Timestamp.parse),
            reason: v["reason"]?.stringValue ?? "", by: v["by"]?.stringValue ?? "", at: at)
    }
}
