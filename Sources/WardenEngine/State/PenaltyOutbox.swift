/// Where penalty changes wait for delivery to a webhook: written with the ledger, read in
/// order by one deliverer (SQLite: the one server on the file; Redis: whichever server holds
/// the delivery lease).
public protocol PenaltyOutbox: Sendable {
    /// The oldest message not yet delivered (nor given up on), or nil (none, or not ours to send).
    func nextOutboxMessage() -> OutboxMessage?
    /// Marks a message delivered, or counts a failed attempt (dead-lettered after `maxAttempts`).
    func outboxAttempt(_ seq: Int, delivered: Bool, maxAttempts: Int)
    /// Messages by state: pending, delivered, dead.
    func outboxCounts() -> [String: Int]
}

/// One message of the outbox.
public struct OutboxMessage: Sendable {
    public var seq: Int
    public var key: String
    public var body: String
    public var attempts: Int

    public init(seq: Int, key: String, body: String, attempts: Int) {
        self.seq = seq
        self.key = key
        self.body = body
        self.attempts = attempts
    }
}
