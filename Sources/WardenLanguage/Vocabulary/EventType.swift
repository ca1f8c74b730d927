/// The three event types of SPEC §1; rules name them after `on`.
public enum EventType: String, Sendable, CaseIterable {
    case send, issue, redeem

    /// The type's bit in a mask of types (`onMask`): a test in the per-event loops that does
    /// not hash.
    @inline(__always)
    public var bit: UInt8 {
        switch self {
        case .send: 1
        case .issue: 2
        case .redeem: 4
        }
    }

    public static func mask(_ types: Set<EventType>) -> UInt8 { types.reduce(0) { $0 | $1.bit } }
}
