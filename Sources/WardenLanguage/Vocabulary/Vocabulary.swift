/// The fixed names of the language: event fields, event types, verdicts, penalty actions, folds.
public enum Vocabulary {
    public static let eventTypes: [String] = EventType.allCases.map(\.rawValue)
    public static let verdicts: [String] = Verdict.allCases.map(\.rawValue)
    public static let stateErrorPolicies: [String] = StateErrorPolicy.allCases.map(\.rawValue)

    /// Event fields readable in expressions and their types.
    public static let fields: [String: ValueType] = [
        "id": .string, "type": .string, "ts": .number, "account": .string, "tier": .string,
        "channel": .string, "ip": .string, "device": .string, "to": .stringList, "text": .string,
        "code": .string, "ttl": .duration, "inviter": .string, "message": .string,
    ]

    /// Keys an event may carry (`message` is a rule-side alias for `id`, not an event key).
    public static let eventKeys: Set<String> = [
        "id", "type", "ts", "account", "tier", "channel", "ip", "device", "to", "text", "code", "ttl",
        "inviter", "attrs",
    ]

    /// Penalty actions by name.
    public static let actions: [String: PenaltyAction] = Dictionary(uniqueKeysWithValues: PenaltyAction.allCases.map { ($0.rawValue, $0) })

    public static let builtins: [String] = [
        "count", "distinct", "sum", "near", "hits", "len", "fingerprint", "normalize", "fired", "at_least",
        "active", "matches_format", "subnet", "classify",
    ] + inviteBuiltins.keys.sorted()

    /// A built-in that reads the invite graph: what it returns, what its one argument is, and
    /// whether it takes `within:`.
    public struct InviteBuiltin: Sendable {
        public enum Window: Sendable { case none, optional, required }
        public var type: ValueType
        public var argument: String
        public var window: Window
    }

    public static let inviteBuiltins: [String: InviteBuiltin] = [
        "inviter_of": InviteBuiltin(type: .string, argument: "ACCOUNT", window: .none),
        "invite_depth": InviteBuiltin(type: .number, argument: "ACCOUNT", window: .none),
        "descendants": InviteBuiltin(type: .number, argument: "ACCOUNT", window: .optional),
        "redeemers": InviteBuiltin(type: .number, argument: "ACCOUNT", window: .required),
        "redeemer_devices": InviteBuiltin(type: .number, argument: "ACCOUNT", window: .required),
        "redeemer_networks": InviteBuiltin(type: .number, argument: "ACCOUNT", window: .required),
        "same_device_as_inviter": InviteBuiltin(type: .bool, argument: "ACCOUNT", window: .none),
        "same_network_as_inviter": InviteBuiltin(type: .bool, argument: "ACCOUNT", window: .none),
        "siblings_on_device": InviteBuiltin(type: .number, argument: "ACCOUNT", window: .none),
        "siblings_on_network": InviteBuiltin(type: .number, argument: "ACCOUNT", window: .none),
        "issue_delay": InviteBuiltin(type: .duration, argument: "ACCOUNT", window: .none),
        "code_max_uses": InviteBuiltin(type: .number, argument: "CODE", window: .none),
    ]

    public static let calendarPeriods: [String: Int] = ["minute": 60, "hour": 3600, "day": 86_400, "week": 604_800]

    /// Code formats per channel: length range; alphabet is ASCII letters and digits.
    public static let codeFormats: [String: ClosedRange<Int>] = [
        "official_account": 8...12, "wework": 10...15, "third_party": 6...18, "api": 6...18,
    ]

    /// The folds of SPEC §3 a list can switch with `fold: [...]`, plus the boundary rule, the
    /// `pinyin` stretch (off unless listed) and `all` (every fold but `pinyin`).
    public static let folds: [String] = [
        "width", "case", "diacritics", "traditional", "digits", "letters", "invisible", "noise", "repeats", "boundary",
        "pinyin", "variants", "split", "all",
    ]
}

/// The static type of an expression.
public enum ValueType: String, Sendable, Equatable {
    case string, number, bool, duration
    case stringList = "list of strings"
    case wordList = "word list"
    case cidrList = "address list"
    case pattern
    case model
    /// `attrs.NAME`, whose type is known only per event.
    case any
    /// A name that is not a value (`forever`, a rule name); only valid in special positions.
    case none = "no value"

    func accepts(_ other: ValueType) -> Bool { self == other || self == .any || other == .any }
}
