/// What outlives one event, in one value: the penalty ledger, the counters, the invite graph and
/// the snapshots of what is kept in memory. Every store (memory, SQLite, Redis, Redis Cluster) is
/// this seam with some parts filled; a part left nil lives in the engine's own memory.
///
/// `--state` becomes a `StateStore` in one place (the CLI's opener), and an engine or a
/// `WardenService` takes it whole, so a new kind of state (the review loop's cases and labels)
/// is a new part here, not a new parameter threaded through every front end.
public struct StateStore: Sendable {
    /// Penalties: recorded, extended, lifted, read in force. Nil: a ledger in memory per engine.
    public var ledger: (any PenaltyLedger)?
    /// Counters shared with other processes (Redis). Nil: counters in the engine's memory.
    public var counters: (any CounterBackend)?
    /// The invite graph's changes shared with other processes (Redis). Nil: this process only.
    public var invites: (any InviteLog)?
    /// Where the in-memory parts (counters, the invite graph) are snapshotted now and then and
    /// restored from at start (SQLite). Nil: nothing is snapshotted.
    public var snapshots: (any SnapshotStore)?
    /// The review loop: cases, labels, live list entries, the change log, the rule sets served.
    /// Nil: no queue (a one-off check or an audit has nobody to review its cases).
    public var review: (any ReviewStore)?
    /// The longest one check may spend on this state in all (Redis: `--redis-timeout`), however
    /// many round trips it makes (`StateDeadline`). Nil: no bound beyond each reply's own.
    public var checkBudget: Double?

    public init(
        ledger: (any PenaltyLedger)? = nil, counters: (any CounterBackend)? = nil, invites: (any InviteLog)? = nil,
        snapshots: (any SnapshotStore)? = nil, review: (any ReviewStore)? = nil, checkBudget: Double? = nil
    ) {
        self.review = review
        self.checkBudget = checkBudget
        self.ledger = ledger
        self.counters = counters
        self.invites = invites
        self.snapshots = snapshots
    }

    /// Everything in this process's memory.
    public static let memory = StateStore()
}

/// A place for snapshots of the engine's in-memory state (`Engine.snapshot()`), written beside
/// the durable ledger.
public protocol SnapshotStore: Sendable {
    /// Replaces the stored snapshot with `body`, taken at time `t`.
    func saveSnapshot(_ body: String, at t: Double) throws
    /// The newest snapshot, or nil when none was saved.
    func loadSnapshot() -> String?
    /// Makes what was written durable in the store's main file (SQLite: a WAL checkpoint); run at
    /// a clean stop.
    func checkpoint() throws
}
