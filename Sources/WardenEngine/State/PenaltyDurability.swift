/// What a stored penalty would survive, as the shared ledger knew when it answered. Local
/// ledgers (memory, SQLite) say nothing: their durability is their configuration's.
public enum PenaltyDurability: String, Sendable {
    /// On one Redis server: as durable as its persistence (AOF, RDB) is set to be.
    case singleNode = "single_node"
    /// A replica acknowledged the write (Redis Cluster `WAIT 1`): it survives a failover.
    case replicated
    /// The master accepted the write but no replica acknowledged it in the time the check had
    /// (a replica still syncing, paused or far away): in force everywhere now, but lost if the
    /// master dies before a replica has it.
    case primaryOnly = "primary_only"
}
