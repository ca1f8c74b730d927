import WardenLanguage

/// One event of SPEC §1: a send, an issue or a redeem.
public struct Event: Sendable, Equatable {
    /// The event's type (`send`, `issue`, `redeem`), declared once in the language module.
    public typealias Kind = EventType

    /// A value under `attrs`.
    public enum Attribute: Sendable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
    }

    public var id: String
    public var type: Kind
    /// Event time in seconds since 1970; nil when the input gave none (inline checks use now).
    public var ts: Double?
    public var account: String
    public var tier: String?
    public var channel: String?
    public var ip: String?
    public var device: String?
    public var to: [String]?
    public var text: String?
    public var code: String?
    /// Requested validity in seconds.
    public var ttl: Double?
    public var inviter: String?
    public var attrs: [String: Attribute] = [:]

    public init(id: String, type: Kind, account: String, ts: Double? = nil) {
        self.id = id
        self.type = type
        self.account = account
        self.ts = ts
    }
}
