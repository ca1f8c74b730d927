import Synchronization
import WardenEngine

/// The penalty ledger in a SQLite file (WAL, `synchronous=FULL`): every record, extension and
/// lift is committed before the call returns, so a penalty an answer carried survives a crash of
/// the process (and of the machine). Reads come from an in-memory copy loaded at open.
///
/// `@unchecked Sendable`: the database and the copy are only touched under `lock`.
public final class SQLiteLedger: PenaltyLedger, @unchecked Sendable {
    private let lock = Mutex(())
    private let db: SQLiteDatabase
    private let memory = MemoryLedger()

    public init(path: String) throws(SQLiteError) {
        db = try SQLiteDatabase(path: path)
        try db.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS penalties (
              seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, action TEXT NOT NULL, target_kind TEXT NOT NULL,
              target TEXT NOT NULL, start REAL NOT NULL, until REAL, forever INTEGER NOT NULL, offense INTEGER NOT NULL,
              rule TEXT NOT NULL, event TEXT NOT NULL, lifted_at REAL, lift_reason TEXT);
            CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY CHECK (id = 1), taken REAL NOT NULL, body TEXT NOT NULL);
            """)
        let rows = try db.run("SELECT id, action, target_kind, target, start, until, forever, offense, rule, event, lifted_at, lift_reason FROM penalties ORDER BY seq")
        memory.load(rows.map { r in
            PenaltyRecord(
                id: r[0] ?? "", action: r[1] ?? "", targetKind: r[2] ?? "", target: r[3] ?? "", start: Double(r[4] ?? "") ?? 0,
                until: r[5].flatMap(Double.init), forever: r[6] == "1", offense: Int(r[7] ?? "") ?? 1, rule: r[8] ?? "",
                event: r[9] ?? "",
                lifted: r[10].flatMap(Double.init).map { PenaltyRecord.Lift(at: $0, reason: r[11] ?? "") })
        })
    }

    /// The number of penalty records in the file.
    public var count: Int { lock.withLock { _ in memory.all.count } }

    public func inForce(action: String, targetKind: String, target: String, at t: Double) -> PenaltyRecord? {
        lock.withLock { _ in memory.inForce(action: action, targetKind: targetKind, target: target, at: t) }
    }

    public func offenses(action: String, targetKind: String, target: String) -> Int {
        lock.withLock { _ in memory.offenses(action: action, targetKind: targetKind, target: target) }
    }

    @discardableResult
    public func record(_ penalty: PenaltyRecord) -> PenaltyRecord {
        lock.withLock { _ in
            let r = memory.record(penalty)
            do {
                try db.run(
                    "INSERT INTO penalties (id, action, target_kind, target, start, until, forever, offense, rule, event) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [.text(r.id), .text(r.action), .text(r.targetKind), .text(r.target), .real(r.start), r.until.map { .real($0) } ?? .null,
                     .integer(r.forever ? 1 : 0), .integer(r.offense), .text(r.rule), .text(r.event)])
            } catch {
                failures += 1
            }
            return r
        }
    }

    public func extend(id: String, until: Double?, forever: Bool) {
        lock.withLock { _ in
            memory.extend(id: id, until: until, forever: forever)
            guard let r = memory.all.first(where: { $0.id == id }) else { return }
            do {
                try db.run("UPDATE penalties SET until = ?, forever = ? WHERE id = ?",
                           [r.until.map { .real($0) } ?? .null, .integer(r.forever ? 1 : 0), .text(id)])
            } catch {
                failures += 1
            }
        }
    }

    public func lift(id: String, reason: String, at t: Double) -> PenaltyRecord? {
        lock.withLock { _ in
            guard let r = memory.lift(id: id, reason: reason, at: t) else { return nil }
            do {
                try db.run("UPDATE penalties SET lifted_at = ?, lift_reason = ? WHERE id = ? AND lifted_at IS NULL",
                           [.real(r.lifted?.at ?? t), .text(r.lifted?.reason ?? reason), .text(id)])
            } catch {
                failures += 1
            }
            return r
        }
    }

    public func records(targetKind: String, target: String) -> [PenaltyRecord] {
        lock.withLock { _ in memory.records(targetKind: targetKind, target: target) }
    }

    public var all: [PenaltyRecord] { lock.withLock { _ in memory.all } }

    /// Writes that failed (disk full, file removed …); exported as a metric.
    public private(set) var failures = 0

    /// Saves a counter snapshot (the engine's JSON) in the same file.
    public func saveSnapshot(_ body: String, at t: Double) throws(SQLiteError) {
        let result: Result<Void, SQLiteError> = lock.withLock { _ in
            do throws(SQLiteError) {
                try db.run("INSERT OR REPLACE INTO snapshots (id, taken, body) VALUES (1, ?, ?)", [.real(t), .text(body)])
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The last counter snapshot saved, if any.
    public func loadSnapshot() -> String? {
        lock.withLock { _ in (try? db.run("SELECT body FROM snapshots WHERE id = 1"))?.first?.first ?? nil }
    }
}
