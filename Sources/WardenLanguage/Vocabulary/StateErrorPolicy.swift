/// `on_state_error`: what a decision does when the shared counter state cannot be reached.
public enum StateErrorPolicy: String, Sendable, CaseIterable {
    /// Rules reading counters are skipped; the others decide.
    case open
    /// As `open`, and the verdict is at least review.
    case closed
    /// The verdict is block.
    case block
}
