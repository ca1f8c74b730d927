/// One counter of a rule set: what it counts, per which key, over which window.
///
/// Counters whose definition is written the same way (same kind, field, key, window, filter)
/// and that read the same event types are one counter, stored once (`identity`).
struct CounterSpec: Sendable {
    enum Kind: String, Sendable {
        case count, distinct, sum
    }

    enum Window: Sendable, Equatable {
        /// Trailing window of `seconds`, resolved in `step` = seconds / 60 (at least 1 s).
        case rolling(seconds: Int)
        /// The current calendar minute, hour, day or week in the rule set's time zone.
        case calendar(period: String, seconds: Int)

        /// Length of a step in seconds.
        var step: Int {
            switch self {
            case .rolling(let s): max(1, s / Self.stepsPerWindow)
            case .calendar(_, let s): s
            }
        }

        /// How many steps, the current one included, the window covers.
        var span: Int {
            switch self {
            case .rolling(let s): max(1, s / step)
            case .calendar: 1
            }
        }

        static let stepsPerWindow = 60

        var label: String {
            switch self {
            case .rolling(let s): Timestamp.formatDuration(s)
            case .calendar(let p, _): p
            }
        }
    }

    var kind: Kind
    var window: Window
    /// Canonical text of the definition; equal identities share state, and snapshots use it.
    var identity: String
    /// Names of the key parts, for evidence: `account`, `fingerprint(text)`.
    var keyNames: [String]
    var keys: [Eval]
    var field: Eval?
    var filter: Eval?
    var on: Set<Event.Kind>
}
