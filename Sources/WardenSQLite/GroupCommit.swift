import Foundation

/// Group commit: writes that arrive while a transaction is committing wait, and the next
/// transaction takes them all, so N concurrent penalty writes cost one fsync instead of N.
///
/// The first writer to find no commit under way leads: it takes every queued write, runs them in
/// one transaction (each in its own savepoint, so one failing write fails alone), commits, and
/// wakes the writers. A writer returns only once its write is committed (or has failed): an
/// answer still leaves only after its penalty is durable. One condition variable (`NSCondition`:
/// `Mutex` has no waiting) guards the queue; the database is used by the leader alone.
final class GroupCommit: @unchecked Sendable {
    /// One write: its statements, and how it ended.
    final class Job {
        let work: () throws(SQLiteError) -> Void
        var error: SQLiteError?
        var done = false
        init(_ work: @escaping () throws(SQLiteError) -> Void) { self.work = work }
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var leading = false
    /// Transactions committed and writes they carried, for tests and the metrics.
    private var commits = 0
    private var writes = 0

    /// Runs `work` in a transaction shared with the writes queued meanwhile; `transaction` runs a
    /// batch (begin, each job, commit) with the database to itself.
    func run(_ work: @escaping () throws(SQLiteError) -> Void, transaction: ([Job]) -> Void) throws(SQLiteError) {
        let job = Job(work)
        condition.lock()
        queue.append(job)
        while !job.done {
            if leading {
                condition.wait()
                continue
            }
            leading = true
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            transaction(batch)
            condition.lock()
            for j in batch { j.done = true }
            commits += 1
            writes += batch.count
            leading = false
            condition.broadcast()
        }
        condition.unlock()
        if let error = job.error { throw error }
    }

    /// (transactions, writes) so far.
    var counts: (commits: Int, writes: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (commits, writes)
    }
}
