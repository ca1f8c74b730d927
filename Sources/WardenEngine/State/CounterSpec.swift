/// One counter of a rule set: what it counts, per which key, over which window.
///
/// Counters whose definition is written the same way (same kind, field, key, window, filter)
/// and that read the same event types are one counter, stored once (`identity`). A class, so
/// the per-event counter loop does not copy its closures.
final class CounterSpec: Sendable {
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

    let kind: Kind
    let window: Window
    /// Canonical text of the definition; equal identities share state, and snapshots use it.
    let identity: String
    /// Names of the key parts, for evidence: `account`, `fingerprint(text)`.
    let keyNames: [String]
    let keys: [CompiledExpression]
    let field: CompiledExpression?
    let filter: CompiledExpression?
    let on: Set<Event.Kind>
    /// `on` as bits of `Event.Kind.bit`.
    let onMask: UInt8

    init(
        kind: Kind, window: Window, identity: String, keyNames: [String], keys: [CompiledExpression], field: CompiledExpression?,
        filter: CompiledExpression?,
        on: Set<Event.Kind>
    ) {
        self.kind = kind
        self.window = window
        self.identity = identity
        self.onMask = Event.Kind.mask(on)
        self.keyNames = keyNames
        self.keys = keys
        self.field = field
        self.filter = filter
        self.on = on
    }
}
