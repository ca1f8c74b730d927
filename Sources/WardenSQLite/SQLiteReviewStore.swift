import Foundation
import Synchronization
import WardenEngine

/// The review loop in the ledger's SQLite file: written through the ledger's group commit (a
/// case opened by a check shares the check's transaction and fsync), read from a copy in
/// memory loaded at open. Reviewers' changes are committed before the call returns; a case
/// opened by a deferred check is applied at once and awaited by the server with the penalties.
///
/// `@unchecked Sendable`: the database is touched only through the ledger's group commit.
public final class SQLiteReviewStore: ReviewStore, @unchecked Sendable {
    private let ledger: SQLiteLedger
    private let memory: MemoryReviewStore
    /// Serializes reviewers' read-check-write sequences (two claims of one case).
    private let writing = Mutex(())

    static let schema = """
        CREATE TABLE IF NOT EXISTS cases (num INTEGER PRIMARY KEY, body TEXT NOT NULL, resolved_at REAL);
        CREATE TABLE IF NOT EXISTS labels (
          kind TEXT NOT NULL, target TEXT NOT NULL, label TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, target, label));
        CREATE TABLE IF NOT EXISTS list_entries (list TEXT NOT NULL, entry TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (list, entry));
        CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY, at REAL NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS rulesets (digest TEXT PRIMARY KEY, loaded_at REAL NOT NULL, body TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS drafts (id TEXT PRIMARY KEY, created REAL NOT NULL, body TEXT NOT NULL);
        """

    public init(ledger: SQLiteLedger, maxOpenCases: Int = 100_000, retention: Double = 90 * 86_400) throws(SQLiteError) {
        self.ledger = ledger
        memory = MemoryReviewStore(maxOpenCases: maxOpenCases, retention: retention)
        try ledger.db.execute(Self.schema)
        try Self.load(ledger.db, into: memory)
    }

    /// The review loop of a state file, read without taking it (a server may be running on it):
    /// what `warden cases export` reads.
    public static func inspect(path: String) throws(SQLiteError) -> MemoryReviewStore {
        guard FileManager.default.fileExists(atPath: path) else { throw SQLiteError(path: path, code: 0, message: "no such state file") }
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let store = MemoryReviewStore(maxOpenCases: .max)
        let tables = Set(try db.run("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.text })
        guard tables.contains("cases") else { return store }
        try load(db, into: store)
        return store
    }

    private static func load(_ db: SQLiteDatabase, into memory: MemoryReviewStore) throws(SQLiteError) {
        for row in try db.run("SELECT body FROM cases ORDER BY num") {
            if let c = row[0].text.flatMap(ReviewCase.init(storedText:)) { memory.put(c) }
        }
        for row in try db.run("SELECT body FROM labels") {
            if let l = row[0].text.flatMap(EntityLabel.init(storedText:)) { try? memory.addLabel(l) }
        }
        for row in try db.run("SELECT body FROM list_entries") {
            if let e = row[0].text.flatMap(ListEntry.init(storedText:)) {
                try? memory.addEntry(e, cap: .max)
            }
        }
        let kept = MemoryReviewStore.changesKept
        for row in try db.run("SELECT body FROM (SELECT seq, body FROM changes ORDER BY seq DESC LIMIT \(kept)) ORDER BY seq") {
            if let c = row[0].text.flatMap(ChangeRecord.init(storedText:)) { try? memory.append(c) }
        }
        for row in try db.run("SELECT body FROM drafts ORDER BY created") {
            if let d = row[0].text.flatMap(RuleDraft.init(storedText:)) { try? memory.saveDraft(d) }
        }
        for row in try db.run("SELECT body FROM rulesets ORDER BY loaded_at") {
            if let v = row[0].text.flatMap(RuleSetVersion.init(storedText:)) {
                try? memory.storeRuleSet(v)
            }
        }
    }

    /// Runs `statement` in the group commit and waits for its commit.
    private func commit(_ key: String, _ sql: String, _ values: [SQLiteDatabase.Value]) throws(ReviewError) {
        let db = ledger.db
        let job = ledger.group.enqueue(id: key) { () throws(SQLiteError) in _ = try db.run(sql, values) }
        do throws(SQLiteError) {
            try ledger.group.wait(for: job)
        } catch {
            throw ReviewError(.unavailable, "the state file did not take the change: \(error)")
        }
    }

    // MARK: cases

    public var maxOpenCases: Int { memory.maxOpenCases }
    public var openCaseCount: Int { memory.openCaseCount }
    public var casesRefused: Int { memory.casesRefused }

    public func openCase(_ c: ReviewCase) throws(ReviewError) -> ReviewCase? {
        guard let n = memory.reserveCaseNumber() else {
            memory.noteRefused()
            return nil
        }
        var c = c
        c.id = "c\(n)"
        let opened = c
        let (db, memory) = (ledger.db, memory)
        let work = { () throws(SQLiteError) in
            _ = try db.run("INSERT INTO cases (num, body) VALUES (?, ?)", [.integer(n), .text(opened.storedText)])
        }
        if ledger.deferred {
            // Applied now and committed with the check's penalties; the server awaits both.
            _ = ledger.group.enqueue(
                id: opened.id, work,
                undo: {
                    memory.remove(case: opened.id)
                    return nil
                }, apply: { memory.put(opened) })
        } else {
            let job = ledger.group.enqueue(id: opened.id, work)
            do throws(SQLiteError) { try ledger.group.wait(for: job) } catch {
                throw ReviewError(.unavailable, "the state file did not take the case: \(error)")
            }
            memory.put(opened)
        }
        purge(at: c.opened)
        return opened
    }

    /// Resolved cases past the retention leave memory and the file (checked every 1,024 opens).
    private let opens = Atomic<Int>(0)
    private func purge(at t: Double) {
        guard opens.add(1, ordering: .relaxed).newValue % 1024 == 0 else { return }
        let gone = memory.purge(at: t)
        guard !gone.isEmpty else { return }
        let db = ledger.db
        let numbers = gone.compactMap(ReviewCase.number(of:))
        _ = ledger.group.enqueue(id: "purge") { () throws(SQLiteError) in
            for n in numbers { _ = try db.run("DELETE FROM cases WHERE num = ?", [.integer(n)]) }
        }
    }

    public func reviewCase(id: String) throws(ReviewError) -> ReviewCase? { try memory.reviewCase(id: id) }

    public func cases(_ query: CaseQuery, at t: Double) throws(ReviewError) -> (cases: [ReviewCase], next: String?) {
        try memory.cases(query, at: t)
    }

    public func claim(id: String, by: String, lease: Double, at t: Double) throws(ReviewError) -> ReviewCase {
        try change(id) { c throws(ReviewError) in try c.claimed(by: by, lease: lease, at: t) }
    }

    public func resolve(id: String, _ resolution: ReviewCase.Resolution) throws(ReviewError) -> ReviewCase {
        try change(id) { c throws(ReviewError) in try c.resolved(with: resolution) }
    }

    private func change(_ id: String, _ transition: (ReviewCase) throws(ReviewError) -> ReviewCase) throws(ReviewError) -> ReviewCase {
        let result: Result<ReviewCase, ReviewError> = writing.withLock { _ in
            do throws(ReviewError) {
                guard let current = try memory.reviewCase(id: id) else { throw ReviewError(.notFound, "no case \(id)") }
                let next = try transition(current)
                try commit(
                    id, "UPDATE cases SET body = ?, resolved_at = ? WHERE num = ?",
                    [.text(next.storedText), next.resolution.map { .real($0.at) } ?? .null, .integer(next.number)])
                memory.put(next)
                return .success(next)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: labels

    public func addLabel(_ label: EntityLabel) throws(ReviewError) {
        try locked { () throws(ReviewError) in
            try commit(
                "label", "INSERT OR REPLACE INTO labels (kind, target, label, body) VALUES (?, ?, ?, ?)",
                [.text(label.kind.rawValue), .text(label.target), .text(label.label), .text(label.jsonValue.text)])
            try memory.addLabel(label)
        }
    }

    public func removeLabel(kind: EntityLabel.Kind, target: String, label: String) throws(ReviewError) -> Bool {
        try locked { () throws(ReviewError) -> Bool in
            // Expired or not (every label is in force at -∞): a label still held is removed.
            guard memory.hasLabel(kind: kind, target: target, label: label, at: -.infinity) else { return false }
            try commit(
                "label", "DELETE FROM labels WHERE kind = ? AND target = ? AND label = ?",
                [.text(kind.rawValue), .text(target), .text(label)])
            return try memory.removeLabel(kind: kind, target: target, label: label)
        }
    }

    public func labels(kind: EntityLabel.Kind, target: String, at t: Double) -> [EntityLabel] {
        memory.labels(kind: kind, target: target, at: t)
    }

    public func hasLabel(kind: EntityLabel.Kind, target: String, label: String, at t: Double) -> Bool {
        memory.hasLabel(kind: kind, target: target, label: label, at: t)
    }

    // MARK: live lists

    public func addEntry(_ entry: ListEntry, cap: Int) throws(ReviewError) {
        try locked { () throws(ReviewError) in
            let present = memory.entries(list: entry.list, at: -.infinity)
            if present.count >= cap, !present.contains(where: { $0.entry == entry.entry }) {
                throw ReviewError(.invalid, "list \(entry.list) holds \(present.count) live entries; its cap is \(cap)")
            }
            try commit(
                "entry", "INSERT OR REPLACE INTO list_entries (list, entry, body) VALUES (?, ?, ?)",
                [.text(entry.list), .text(entry.entry), .text(entry.jsonValue.text)])
            try memory.addEntry(entry, cap: .max)
        }
    }

    public func removeEntry(list: String, entry: String) throws(ReviewError) -> Bool {
        try locked { () throws(ReviewError) -> Bool in
            guard memory.entries(list: list, at: -.infinity).contains(where: { $0.entry == entry }) else { return false }
            try commit("entry", "DELETE FROM list_entries WHERE list = ? AND entry = ?", [.text(list), .text(entry)])
            return try memory.removeEntry(list: list, entry: entry)
        }
    }

    public func entries(list: String, at t: Double) -> [ListEntry] { memory.entries(list: list, at: t) }
    public func listVersion(_ list: String) -> UInt64 { memory.listVersion(list) }

    // MARK: change log and history

    @discardableResult
    public func append(_ change: ChangeRecord) throws(ReviewError) -> ChangeRecord {
        try locked { () throws(ReviewError) -> ChangeRecord in
            var c = change
            c.seq = memory.reserveChangeNumber()
            try commit(
                "change", "INSERT INTO changes (seq, at, kind, body) VALUES (?, ?, ?, ?)",
                [.integer(c.seq), .real(c.at), .text(c.kind.rawValue), .text(c.jsonValue.text)])
            return try memory.append(c)
        }
    }

    public func changes(since: Double?, kind: ChangeRecord.Kind?, limit: Int) -> [ChangeRecord] {
        memory.changes(since: since, kind: kind, limit: limit)
    }

    public func storeRuleSet(_ version: RuleSetVersion) throws(ReviewError) {
        try locked { () throws(ReviewError) in
            guard memory.ruleSet(digest: version.digest) == nil else { return }
            try commit(
                "ruleset", "INSERT OR IGNORE INTO rulesets (digest, loaded_at, body) VALUES (?, ?, ?)",
                [.text(version.digest), .real(version.loadedAt), .text(version.jsonValue(withFiles: true).text)])
            try memory.storeRuleSet(version)
        }
    }

    public func ruleSets() -> [RuleSetVersion] { memory.ruleSets() }

    public func saveDraft(_ draft: RuleDraft) throws(ReviewError) {
        try locked { () throws(ReviewError) in
            try commit(
                "draft", "INSERT OR REPLACE INTO drafts (id, created, body) VALUES (?, ?, ?)",
                [.text(draft.id), .real(draft.created), .text(draft.jsonValue(withFiles: true).text)])
            try memory.saveDraft(draft)
        }
    }

    public func drafts() -> [RuleDraft] { memory.drafts() }

    private func locked<R>(_ body: () throws(ReviewError) -> R) throws(ReviewError) -> R {
        let result: Result<R, ReviewError> = writing.withLock { _ in
            do throws(ReviewError) { return .success(try body()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
