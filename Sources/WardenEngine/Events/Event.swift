/// One event of SPEC §1: a send, an issue or a redeem.
public struct Event: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case send, issue, redeem

        /// The kind's bit in a mask of kinds (`onMask`): a test in the per-event loops that
        /// does not hash.
        @inline(__always)
        var bit: UInt8 {
            switch self {
            case .send: 1
            case .issue: 2
            case .redeem: 4
            }
        }

        static func mask(_ kinds: Set<Kind>) -> UInt8 { kinds.reduce(0) { $0 | $1.bit } }
    }

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
