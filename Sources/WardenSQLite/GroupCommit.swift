import Foundation
import Synchronization
import WardenEngine

/// Group commit: writes are numbered and queued, and one committer (a thread of its own, parked
/// on the queue's condition when there is nothing to write) takes everything queued, runs it in one
/// transaction (the ledger's `runBatch`: savepoints only when a write fails, so a failing one
/// fails alone), commits, and settles the batch: a write is settled once it is committed, or has failed and been undone.
/// N concurrent penalty writes cost one fsync instead of N.
///
/// Two ways to wait. A caller that changes its in-memory copy only after the commit (the
/// library, `check`, a lift) blocks on `wait(for:)`. A ledger that applies a write at once
/// (`SQLiteLedger(deferred: true)`, for `serve`) gives an `undo` and returns; the server then
/// awaits `settled(through:)` without holding a thread, and only then answers.
///
/// A write applied ahead of its commit may have been read by the writes queued after it (an
/// offense number, an extension). So when one fails, every write still queued fails with it
/// and all are undone, newest first, under the apply lock (`applying`, which the ledger holds
/// while it reads what is in force and applies a write): no write is committed on top of state
/// that was taken back.
final class GroupCommit: @unchecked Sendable {
    /// One write: its statements, how it ended, and how to take it back.
    final class Job {
        let sequence: UInt64
        let id: String
        let work: () throws(SQLiteError) -> Void
        /// Restores the in-memory copy; nil when the write was not applied ahead of its commit.
        let undo: (() -> PenaltyRecord?)?
        var error: SQLiteError?

        init(sequence: UInt64, id: String, work: @escaping () throws(SQLiteError) -> Void, undo: (() -> PenaltyRecord?)?) {
            (self.sequence, self.id, self.work, self.undo) = (sequence, id, work, undo)
        }
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    /// The committer is parked waiting for writes.
    private var idle = false
    private var stopping = false
    private var applied: UInt64 = 0
    private var settled: UInt64 = 0
    /// Per record, the number of its newest write not settled yet.
    private var pending: [String: UInt64] = [:]
    private var waiters: [(sequence: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    /// Recent failed deferred writes, oldest first (bounded: a check's window is a few commits
    /// long).
    private var failed: [(sequence: UInt64, write: FailedWrite)] = []
    static let failuresKept = 65_536
    /// Transactions committed, writes they carried and writes that failed, for tests and the
    /// metrics.
    private var commits = 0
    private var writes = 0
    private var failedWrites = 0
    /// Held while a deferred write reads and applies, and while failed ones are undone.
    private let applyLock = Mutex(())

    /// Writes in the last batch; the commit delay applies only after a batch of several.
    private var lastBatch = 0
    static let delay = 0.0005
    static let enough = 8
    /// Tests only: called on the committer with each batch's number (from 1) once the batch is
    /// taken and before it runs, to order a test's writes around a commit. Set before writing.
    var beforeBatch: ((Int) -> Void)?
    /// Runs a batch in one transaction with the database to itself, setting each failed job's error.
    private let transaction: ([Job]) -> Void

    /// Starts the committer; `stop()` ends it (the ledger's deinit), after the last write.
    init(transaction: @escaping ([Job]) -> Void) {
        self.transaction = transaction
        // A thread rather than a dispatch queue: waking a parked thread is one futex call, and
        // measured under load the dispatch manager's hand-overs cost more than the commits.
        let thread = Thread { [self] in drain() }
        thread.name = "warden-commit"
        thread.start()
    }

    /// Lets the committer finish what is queued and end.
    func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    /// Runs `body` (read what is in force, apply a write) while no failed write is being undone.
    func applying<R>(_ body: () -> R) -> R {
        var result: R?
        applyLock.withLock { _ in result = body() }
        return result!
    }

    /// Queues a write. `apply` runs under the queue's lock, so a change visible in memory always
    /// has a number no greater than `appliedSequence`.
    func enqueue(
        id: String, _ work: @escaping () throws(SQLiteError) -> Void, undo: (() -> PenaltyRecord?)? = nil, apply: () -> Void = {}
    ) -> Job {
        condition.lock()
        applied += 1
        let job = Job(sequence: applied, id: id, work: work, undo: undo)
        apply()
        queue.append(job)
        pending[id] = applied
        if idle { condition.broadcast() }
        condition.unlock()
        return job
    }

    /// Blocks until `job` is settled; throws its error.
    func wait(for job: Job) throws(SQLiteError) {
        condition.lock()
        while settled < job.sequence { condition.wait() }
        condition.unlock()
        if let error = job.error { throw error }
    }

    /// Returns once every write numbered up to `sequence` is settled.
    func settled(through sequence: UInt64) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            condition.lock()
            if settled >= sequence {
                condition.unlock()
                c.resume()
                return
            }
            waiters.append((sequence, c))
            condition.unlock()
        }
    }

    /// Blocks until everything queued so far is settled.
    func flush() {
        condition.lock()
        let target = applied
        while settled < target { condition.wait() }
        condition.unlock()
    }

    var appliedSequence: UInt64 { condition.withLock { applied } }
    var settledSequence: UInt64 { condition.withLock { settled } }

    func failures(in range: ClosedRange<UInt64>) -> [FailedWrite] {
        condition.withLock { failed.filter { range.contains($0.sequence) }.map(\.write) }
    }

    /// Transactions, writes and failed writes so far.
    var counts: (commits: Int, writes: Int, failed: Int) { condition.withLock { (commits, writes, failedWrites) } }

    /// The error of a write failed because one before it, which it may have read, failed.
    static func behind(_ cause: SQLiteError) -> SQLiteError {
        SQLiteError(path: cause.path, code: cause.code, message: "not written: an earlier write failed (\(cause.message))")
    }

    func pendingSequence(of ids: [String]) -> UInt64? {
        condition.withLock { ids.compactMap { pending[$0] }.max() }
    }

    private func drain() {
        while true {
            condition.lock()
            while queue.isEmpty {
                if stopping {
                    condition.unlock()
                    return
                }
                idle = true
                condition.wait()
                idle = false
            }
            // Commit delay (PostgreSQL's commit_delay and commit_siblings): when writes come from
            // several requests at once (the last batch had more than one) and few are queued, wait
            // up to `delay` for more, so that one commit carries more writes. Alone, a write
            // commits at once. Measured at 64 connections: 2.4 writes per commit without the
            // delay, 6.6 with it, and 6–39% more requests answered (Benchmarks in the README).
            if lastBatch > 1, queue.count < Self.enough {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Self.delay))
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            lastBatch = batch.count
            let number = commits + 1
            condition.unlock()

            beforeBatch?(number)
            transaction(batch)
            var settledJobs = batch
            var failures: [(UInt64, FailedWrite)] = []
            // Only writes applied ahead of their commit are undone and kept for `settle`; a
            // synchronous caller gets its error from `wait(for:)`.
            func undo() {
                for job in settledJobs.reversed() where job.error != nil {
                    guard let restore = job.undo else { continue }
                    failures.append((job.sequence, FailedWrite(id: job.id, restored: restore(), message: "\(job.error!)")))
                }
                failures.reverse()
            }
            if let cause = batch.first(where: { $0.error != nil && $0.undo != nil })?.error {
                applyLock.withLock { _ in
                    // Writes queued meanwhile may have read the failed ones: they fail too.
                    condition.lock()
                    let queued = queue
                    queue.removeAll(keepingCapacity: true)
                    condition.unlock()
                    for job in queued { job.error = Self.behind(cause) }
                    settledJobs += queued
                    undo()
                }
            } else {
                undo()
            }

            condition.lock()
            settled = settledJobs.last!.sequence
            for job in settledJobs where pending[job.id] == job.sequence { pending[job.id] = nil }
            commits += 1
            writes += batch.count
            failedWrites += settledJobs.count { $0.error != nil }
            failed += failures
            if failed.count > Self.failuresKept { failed.removeFirst(failed.count - Self.failuresKept) }
            let ready = waiters.filter { $0.sequence <= settled }
            waiters.removeAll { $0.sequence <= settled }
            condition.broadcast()
            condition.unlock()
            for waiter in ready { waiter.continuation.resume() }
        }
    }
}
