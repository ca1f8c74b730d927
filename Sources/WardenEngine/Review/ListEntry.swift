/// An entry added to a live list (`list NAME(live: true) = …`) while serving.
public struct ListEntry: Sendable, Equatable {
    public var list: String
    public var entry: String
    public var expires: Double?
    public var reason: String
    public var by: String
    public var at: Double

    public init(list: String, entry: String, expires: Double?, reason: String, by: String, at: Double) {
        (self.list, self.entry, self.expires, self.reason, self.by, self.at) = (list, entry, expires, reason, by, at)
    }

    public func inForce(at t: Double) -> Bool { expires.map { $0 > t } ?? true }

    public var jsonValue: JSONValue {
        .object([
            ("list", .string(list)), ("entry", .string(entry)), ("expires", expires.map { .string(Timestamp.format($0)) } ?? .null),
            ("reason", .string(reason)), ("by", .string(by)), ("at", .string(Timestamp.format(at))),
        ])
    }

    public init?(json v: JSONValue) {
        guard let list = v["list"]?.stringValue, let entry = v["entry"]?.stringValue,
            let at = v["at"]?.stringValue.flatMap(Timestamp.parse)
        else { return nil }
        self.init(
            list: list, entry: entry, expires: v["expires"]?.stringValue.flatMap(Timestamp.parse), reason: v["reason"]?.stringValue ?? "",
            by: v["by"]?.stringValue ?? "", at: at)
    }
}
