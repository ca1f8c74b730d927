/// The fixed names of the language: event fields, event types, verdicts, penalty actions, folds.
public enum Vocabulary {
    public static let eventTypes: [String] = EventType.allCases.map(\.rawValue)
    public static let verdicts: [String] = Verdict.allCases.map(\.rawValue)
    public static let stateErrorPolicies: [String] = StateErrorPolicy.allCases.map(\.rawValue)

    /// Event fields readable in expressions and their types (`EventField` is the table).
    public static let fields: [String: ValueType] = Dictionary(
        uniqueKeysWithValues: EventField.allCases.compactMap { f in f.valueType.map { (f.rawValue, $0) } })

    /// Keys an event may carry (`message` is a rule-side alias for `id`, not an event key).
    public static let eventKeys: Set<String> = Set(EventField.allCases.filter(\.isEventKey).map(\.rawValue))

    /// Penalty actions by name.
    public static let actions: [String: PenaltyAction] = Dictionary(uniqueKeysWithValues: PenaltyAction.allCases.map { ($0.rawValue, $0) })

    /// The built-in functions' names (`Builtin` is the table).
    public static let builtins: [String] = Builtin.allCases.map(\.rawValue)

    /// The invite graph's built-ins by name.
    public static let inviteBuiltins: [String: Builtin.InviteSignature] = Dictionary(
        uniqueKeysWithValues: Builtin.allCases.compactMap { b in b.invite.map { (b.rawValue, $0) } })

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
