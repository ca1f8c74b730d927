import Foundation
import Synchronization
import WardenEngine

/// The penalty ledger in a SQLite file (WAL, `synchronous=FULL`): every record, extension and
/// lift is committed before the call returns, so a penalty an answer carried survives a crash of
/// the process (and of the machine). Reads come from an in-memory copy loaded at open.
///
/// With `deferred: true` (what `serve` uses) records and extensions are applied to the copy at
/// once and committed behind the call; the caller awaits them before it answers
/// (`DeferredDurability`), so no thread waits for an fsync.
///
/// `@unchecked Sendable`: the database is only touched through `db.serialized`; the copy locks
/// itself.
public final class SQLiteLedger: PenaltyLedger, PenaltyOutbox, DeferredDurability, @unchecked Sendable {
    let db: SQLiteDatabase
    private let memory = MemoryLedger()
    /// `PATH.lock`, held (`flock`) while the ledger is open: one server per file.
    private let lockFile: Int32
    /// Whether changes also go to the outbox table (only when something delivers it: without a
    /// webhook the table would only grow).
    private let outboxEnabled: Bool
    /// Delivered messages kept for inspection; older delivered ones are deleted.
    static let deliveredKept = 10_000

    /// How far a commit goes before the call returns. In WAL mode, `normal` skips the fsync of
    /// each commit: the change is in the operating system, so it survives the process being
    /// killed, but the last commits before a power loss or kernel crash may be lost.
    public enum Sync: String, Sendable {
        case full, normal
    }

    /// Records and extensions are committed behind the call (`DeferredDurability`).
    let deferred: Bool
    let group: GroupCommit

    public init(path: String, sync: Sync = .full, outbox: Bool = true, deferred: Bool = false) throws(SQLiteError) {
        outboxEnabled = outbox
        self.deferred = deferred
        guard !path.isEmpty else { throw SQLiteError(path: path, code: 0, message: "the state file needs a path (sqlite:PATH)") }
        lockFile = try Self.lock(path)
        db = try SQLiteDatabase(path: path)
        try db.execute(
            """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=\(sync == .full ? "FULL" : "NORMAL");
            CREATE TABLE IF NOT EXISTS penalties (
              seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, action TEXT NOT NULL, target_kind TEXT NOT NULL,
              target TEXT NOT NULL, start REAL NOT NULL, until REAL, forever INTEGER NOT NULL, offense INTEGER NOT NULL,
              rule TEXT NOT NULL, event TEXT NOT NULL, lifted_at REAL, lift_reason TEXT);
            CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY CHECK (id = 1), taken REAL NOT NULL, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS outbox (
              seq INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, body TEXT NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending');
            """)
        memory.load(try Self.records(db, path: path))
        let database = db
        group = GroupCommit { Self.runBatch($0, db: database) }
    }

    /// The penalties and the last snapshot of a state file, read without taking it: a server
    /// may be running on it (`warden state`). SQLite's own locks keep the read consistent.
    public static func inspect(path: String) throws(SQLiteError) -> (penalties: [PenaltyRecord], snapshot: String?) {
        guard FileManager.default.fileExists(atPath: path) else { throw SQLiteError(path: path, code: 0, message: "no such state file") }
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let snapshot = (try? db.run("SELECT body FROM snapshots WHERE id = 1"))?.first?.first?.text
        return (try records(db, path: path), snapshot)
    }

    private static func records(_ db: SQLiteDatabase, path: String) throws(SQLiteError) -> [PenaltyRecord] {
        let rows = try db.run(
            "SELECT id, action, target_kind, target, start, until, forever, offense, rule, event, lifted_at, lift_reason FROM penalties ORDER BY seq"
        )
        return try rows.map { r throws(SQLiteError) in
            guard let action = r[1].text.flatMap(PenaltyAction.init(rawValue:)), let kind = r[2].text.flatMap(TargetKind.init(rawValue:))
            else {
                throw SQLiteError(
                    path: path, code: 0,
                    message: "penalty \(r[0].text ?? "?"): unknown action '\(r[1].text ?? "")' or target kind '\(r[2].text ?? "")'")
            }
            return PenaltyRecord(
                id: r[0].text ?? "", action: action, targetKind: kind, target: r[3].text ?? "", start: r[4].double ?? 0,
                until: r[5].double, forever: r[6].int == 1, offense: r[7].int ?? 1, rule: r[8].text ?? "",
                event: r[9].text ?? "",
                lifted: r[10].double.map { PenaltyRecord.Lift(at: $0, reason: r[11].text ?? "") })
        }
    }

    deinit {
        group.flush()
        group.stop()
        close(lockFile)
    }

    /// Takes `PATH.lock` for this process, or says who holds it. Two servers on one file would
    /// each number penalties from the same last id and each lose the other's, so the second
    /// refuses to start. The lock goes with the process, also on `kill -9`. (A separate file:
    /// closing any descriptor of the database itself would drop SQLite's own locks.)
    private static func lock(_ path: String) throws(SQLiteError) -> Int32 {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SQLiteError(path: path, code: 0, message: "cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buffer, buffer.count)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw SQLiteError(
                path: path, code: 0, message: "in use by another warden (process \(holder) holds \(lockPath)); one server per state file")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        return fd
    }

    /// The number of penalty records in the file.
    public var count: Int { memory.all.count }

    // Reads come from the in-memory copy and never wait for a write's fsync. Without
    // `deferred`, a change is committed to the file first and becomes visible to reads after,
    // so no answer can cite a penalty that a crash could still lose. With `deferred`, it is
    // visible at once and the server waits for it before answering (`DeferredDurability`).

    public func inForce(action: PenaltyAction, targetKind: TargetKind, target: String, at t: Double) -> PenaltyRecord? {
        memory.inForce(action: action, targetKind: targetKind, target: target, at: t)
    }

    public func offenses(action: PenaltyAction, targetKind: TargetKind, target: String) -> Int {
        memory.offenses(action: action, targetKind: targetKind, target: target)
    }

    /// With `deferred`, reading what is in force and recording or extending happen under one
    /// lock that the undo of a failed commit also takes, so a write is either queued before the
    /// undo (and fails with the write it read) or computed after it.
    public func exclusive<R>(action: PenaltyAction, targetKind: TargetKind, target: String, _ body: () -> R) -> R {
        deferred ? group.applying(body) : body()
    }

    // Writes go through the group commit: concurrent ones share a transaction and its fsync.
    // The engine's per-target gates order the writes of one target.

    @discardableResult
    public func record(_ penalty: PenaltyRecord) throws(LedgerError) -> PenaltyRecord {
        let r = memory.assignID(penalty)
        try write(
            r, "recorded", apply: { [memory] in memory.insert(r) },
            undo: { [memory] in
                memory.remove(id: r.id)
                return nil
            }
        ) { [db] () throws(SQLiteError) in
            try db.run(
                "INSERT INTO penalties (id, action, target_kind, target, start, until, forever, offense, rule, event) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    .text(r.id), .text(r.action.rawValue), .text(r.targetKind.rawValue), .text(r.target), .real(r.start),
                    r.until.map { .real($0) } ?? .null,
                    .integer(r.forever ? 1 : 0), .integer(r.offense), .text(r.rule), .text(r.event),
                ])
        }
        return r
    }

    public func extend(id: String, until: Double?, forever: Bool) throws(LedgerError) {
        guard let before = memory.record(id: id), let r = memory.extended(id: id, until: until, forever: forever) else { return }
        try write(
            r, "extended", apply: { [memory] in memory.replace(r) },
            undo: { [memory] in
                memory.replace(before)
                return before
            }
        ) { [db] () throws(SQLiteError) in
            try db.run(
                "UPDATE penalties SET until = ?, forever = ? WHERE id = ?",
                [r.until.map { .real($0) } ?? .null, .integer(r.forever ? 1 : 0), .text(id)])
        }
    }

    /// A lift is answered with the stored record, so it always waits for its commit.
    public func lift(id: String, reason: String, at t: Double) throws(LedgerError) -> PenaltyRecord? {
        guard let r = memory.lifted(id: id, reason: reason, at: t) else { return nil }
        try write(r, "lifted", waits: true) { [db] () throws(SQLiteError) in
            try db.run(
                "UPDATE penalties SET lifted_at = ?, lift_reason = ? WHERE id = ? AND lifted_at IS NULL",
                [.real(r.lifted?.at ?? t), .text(r.lifted?.reason ?? reason), .text(id)])
        }
        // Applied to the record as it stands now (an extension may have settled meanwhile).
        guard let now = memory.lifted(id: id, reason: reason, at: t) else { return r }
        memory.replace(now)
        return now
    }

    /// Transactions committed and the penalty writes they carried (group commit at work when
    /// writes > commits).
    public var commitCounts: (commits: Int, writes: Int) {
        let counts = group.counts
        return (counts.commits, counts.writes)
    }

    public func records(targetKind: TargetKind, target: String) -> [PenaltyRecord] {
        memory.records(targetKind: targetKind, target: target)
    }

    public var all: [PenaltyRecord] { memory.all }

    // DeferredDurability (meaningful with `deferred`; without it every write is settled before
    // its call returns).

    public var defersCommits: Bool { deferred }
    public var settledSequence: UInt64 { group.settledSequence }
    public var appliedSequence: UInt64 { group.appliedSequence }
    public func settled(through sequence: UInt64) async { await group.settled(through: sequence) }
    public func failedWrites(in range: ClosedRange<UInt64>) -> [FailedWrite] { group.failures(in: range) }
    public func pendingSequence(of ids: [String]) -> UInt64? { group.pendingSequence(of: ids) }

    /// Queues the change and its outbox message, to be committed together (in a transaction
    /// shared with the writes of other requests). Without `deferred` (or with `waits`), waits
    /// for the commit and then applies the change to the in-memory copy; a failed write is
    /// rolled back, counted and thrown, the copy left as it was. With `deferred`, applies the
    /// change at once and returns; a failure is undone and counted when its batch settles.
    private func write(
        _ r: PenaltyRecord, _ change: String, waits: Bool = false, apply: @escaping () -> Void = {},
        undo: @escaping () -> PenaltyRecord? = { nil }, _ statement: @escaping () throws(SQLiteError) -> Void
    ) throws(LedgerError) {
        let message = outboxEnabled ? r.outboxMessage(change) : nil
        let work = { [db] () throws(SQLiteError) in
            try statement()
            if let message {
                try db.run("INSERT OR IGNORE INTO outbox (key, body) VALUES (?, ?)", [.text(message.key), .text(message.body)])
            }
        }
        if deferred && !waits {
            _ = group.enqueue(id: r.id, work, undo: undo, apply: apply)
            return
        }
        let job = group.enqueue(id: r.id, work)
        do throws(SQLiteError) {
            try group.wait(for: job)
        } catch {
            throw LedgerError("\(error)")
        }
        apply()
    }

    /// One transaction for a batch of writes, one commit. If the commit fails, every write of
    /// the batch fails. A write that fails on its own (rare: a constraint, a full disk) must not
    /// take the others with it: the batch is then run again with each write in a savepoint, so
    /// the failing one is undone alone (savepoints for every batch would double its statements).
    private static func runBatch(_ jobs: [GroupCommit.Job], db: SQLiteDatabase) {
        db.serialized {
            if run(jobs, db: db, savepoints: false) { return }
            _ = run(jobs, db: db, savepoints: true)
        }
    }

    /// Runs the batch in one transaction; false when a write failed without savepoints (the
    /// transaction is then rolled back, no job's error is set, and nothing is settled).
    private static func run(_ jobs: [GroupCommit.Job], db: SQLiteDatabase, savepoints: Bool) -> Bool {
        do throws(SQLiteError) {
            try db.run("BEGIN IMMEDIATE")
        } catch {
            for job in jobs { job.error = error }
            return true
        }
        var poisoned: SQLiteError?
        for job in jobs {
            if let cause = poisoned, job.undo != nil {
                job.error = GroupCommit.behind(cause)
                continue
            }
            do throws(SQLiteError) {
                if savepoints { try db.run("SAVEPOINT w") }
                try job.work()
                if savepoints { try db.run("RELEASE w") }
            } catch {
                guard savepoints else {
                    _ = try? db.run("ROLLBACK")
                    return false
                }
                job.error = error
                _ = try? db.run("ROLLBACK TO w")
                _ = try? db.run("RELEASE w")
                // Writes applied ahead of their commit after this one may have read it.
                if job.undo != nil { poisoned = error }
            }
        }
        do throws(SQLiteError) {
            try db.run("COMMIT")
        } catch {
            _ = try? db.run("ROLLBACK")
            for job in jobs where job.error == nil { job.error = error }
        }
        return true
    }

    /// The oldest message not yet delivered (nor given up on).
    public func nextOutboxMessage() -> OutboxMessage? {
        db.serialized {
            guard let row = (try? db.run("SELECT seq, key, body, attempts FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1"))?.first
            else { return nil }
            return OutboxMessage(seq: row[0].int ?? 0, key: row[1].text ?? "", body: row[2].text ?? "", attempts: row[3].int ?? 0)
        }
    }

    /// Marks a message delivered, or counts a failed attempt (giving up after `maxAttempts`:
    /// the message is dead-lettered and the next one goes).
    public func outboxAttempt(_ seq: Int, delivered: Bool, maxAttempts: Int) {
        db.serialized {
            if delivered {
                _ = try? db.run("UPDATE outbox SET state = 'delivered', attempts = attempts + 1 WHERE seq = ?", [.integer(seq)])
                if seq % 1000 == 0 {
                    _ = try? db.run("DELETE FROM outbox WHERE state = 'delivered' AND seq <= ?", [.integer(seq - Self.deliveredKept)])
                }
            } else {
                _ = try? db.run(
                    "UPDATE outbox SET attempts = attempts + 1, state = CASE WHEN attempts + 1 >= ? THEN 'dead' ELSE 'pending' END WHERE seq = ?",
                    [.integer(maxAttempts), .integer(seq)])
            }
        }
    }

    /// Outbox messages by state: pending, delivered, dead.
    public func outboxCounts() -> [String: Int] {
        db.serialized {
            var counts: [String: Int] = ["pending": 0, "delivered": 0, "dead": 0]
            for row in (try? db.run("SELECT state, COUNT(*) FROM outbox GROUP BY state")) ?? [] {
                counts[row[0].text ?? ""] = row[1].int ?? 0
            }
            return counts
        }
    }

    /// Writes that failed (disk full, file removed …); exported as a metric.
    public var failures: Int { group.counts.failed }

    /// Saves a counter snapshot (the engine's JSON) in the same file.
    public func saveSnapshot(_ body: String, at t: Double) throws(SQLiteError) {
        let result: Result<Void, SQLiteError> = db.serialized {
            do throws(SQLiteError) {
                try db.run("INSERT OR REPLACE INTO snapshots (id, taken, body) VALUES (1, ?, ?)", [.real(t), .text(body)])
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Folds the write-ahead log into the database file and empties it (at a clean shutdown,
    /// so the file alone holds everything and the log does not linger at its largest size).
    public func checkpoint() throws(SQLiteError) {
        group.flush()
        let result: Result<Void, SQLiteError> = db.serialized {
            do throws(SQLiteError) {
                try db.run("PRAGMA wal_checkpoint(TRUNCATE)")
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The last counter snapshot saved, if any.
    public func loadSnapshot() -> String? {
        db.serialized { (try? db.run("SELECT body FROM snapshots WHERE id = 1"))?.first?.first?.text }
    }
}

/// The SQLite file also keeps the counter and invite-graph snapshots, beside the ledger.
extension SQLiteLedger: SnapshotStore {}
