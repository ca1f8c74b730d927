/// A ledger that applies a write to its in-memory copy at once and commits it behind the
/// caller's back (`SQLiteLedger(deferred: true)`, which `serve` uses): a check never waits for a
/// commit while holding a thread, and many checks' writes share one transaction and one fsync.
///
/// The price is that a check may read a write that is not durable yet, and that write may still
/// fail. So an answer waits: `settle` takes the number of the last write settled before the
/// check, awaits every write up to the last one applied after it, and takes out of the
/// decisions whatever named a write that failed. An answer never carries a penalty that a
/// restart would not know, as with a ledger that commits before it returns.
public protocol DeferredDurability: AnyObject, Sendable {
    /// Whether writes are in fact committed behind the call (a ledger may offer both ways).
    var defersCommits: Bool { get }
    /// Every write numbered up to here is settled: committed, or failed and undone.
    var settledSequence: UInt64 { get }
    /// The number of the last write applied to the in-memory copy.
    var appliedSequence: UInt64 { get }
    /// Returns once every write numbered up to `sequence` is settled.
    func settled(through sequence: UInt64) async
    /// The writes numbered in `range` that failed, in order.
    func failedWrites(in range: ClosedRange<UInt64>) -> [FailedWrite]
    /// The number of the newest write not settled yet on any of these records; nil when none.
    func pendingSequence(of ids: [String]) -> UInt64?
}

/// A write that was applied ahead of its commit and then failed.
public struct FailedWrite: Sendable {
    /// The penalty record it changed.
    public var id: String
    /// The record as it stands after the undo; nil when the failed write created it.
    public var restored: PenaltyRecord?
    public var message: String

    public init(id: String, restored: PenaltyRecord?, message: String) {
        (self.id, self.restored, self.message) = (id, restored, message)
    }
}

extension DeferredDurability {
    /// Waits until every write to a record the decisions name (one they wrote, one in force,
    /// one a rule read) is settled, then rewrites the decisions that relied on one that failed.
    /// `from` is `settledSequence` taken before the checks: writes settled by then were undone,
    /// if they failed, before the checks could read them.
    public func settle(_ decisions: [Decision], checkedAfter from: UInt64) async -> [Decision] {
        let ids = decisions.flatMap(\.ledgerRecordIDs)
        guard !ids.isEmpty else { return decisions }
        if let through = pendingSequence(of: ids) { await settled(through: through) }
        let now = settledSequence
        guard now > from else { return decisions }
        let failed = failedWrites(in: from + 1...now)
        guard !failed.isEmpty else { return decisions }
        return decisions.map { $0.settling(failed) }
    }
}

extension Decision {
    /// The ledger records the decision names: ones it wrote, ones in force, ones a rule read.
    /// Only these can depend on a write that is not durable yet: an undo only ever takes a
    /// penalty away (a record removed, an extension shortened), so an answer that found nothing
    /// in force stays true whatever fails.
    var ledgerRecordIDs: [String] {
        penaltiesRead + penalties.compactMap(\.id)
            + fired.filter { $0.rule == "penalty_in_force" }.flatMap { $0.evidence.compactMap { $0.penalty?.id } }
    }
}
