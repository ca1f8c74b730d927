import Foundation
import Testing
import WardenEngine

@testable import WardenSQLite

/// `SQLiteLedger(deferred: true)`, as `serve` runs it: writes visible at once, answers settled
/// before they leave (`DeferredDurability.settle`).
@Suite struct DeferredLedgerTests {
    static func rules(policy: String = "open") -> String {
        """
        ruleset t on_state_error \(policy)
        rule spam { on send when text contains "刷单" penalty restrict_send(account, 1h) }
        """
    }

    static func send(_ id: String, account: String, text: String) -> Event {
        var e = Event(id: id, type: .send, account: account, ts: 1_767_225_600)
        e.text = text
        e.to = ["r"]
        return e
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("warden-deferred-\(UUID().uuidString).db").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Checks from many tasks at once, each answered after `settle`: every penalty an answer
    /// carries is in the file, and the writes shared commits.
    @Test func settledAnswersAreInTheFile() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let ledger = try SQLiteLedger(path: path, deferred: true)
        let engine = Engine(ruleSet: try #require(Compiler.compile(source: Self.rules()).ruleSet), ledger: ledger)
        let answered = await withTaskGroup(of: [String].self) { group in
            for k in 0..<64 {
                group.addTask {
                    let from = ledger.settledSequence
                    let decision = engine.check(Self.send("m\(k)", account: "a\(k % 16)", text: "刷单"), now: 0)
                    let settled = await ledger.settle([decision], checkedAfter: from)[0]
                    return settled.penalties.compactMap(\.id)
                }
            }
            return await group.reduce(into: Set<String>()) { $0.formUnion($1) }
        }
        #expect(answered.count == 16)
        let stored = Set(try SQLiteLedger.inspect(path: path).penalties.map(\.id))
        #expect(answered.isSubset(of: stored), "answered but not stored: \(answered.subtracting(stored))")
        let (commits, writes) = ledger.commitCounts
        #expect(writes == 64 && commits < writes, "\(commits) commits for \(writes) writes")
    }

    /// Another process holds the write lock (SQLite's busy timeout then fails the commit): the
    /// penalty applied ahead of its commit is taken back, the answer that recorded it and the one
    /// that saw it in force leave without it, and once the lock is gone penalties store again.
    @Test(arguments: [("open", Verdict.allow), ("closed", Verdict.review), ("block", Verdict.block)])
    func aFailedCommitTakesBackWhatItsAnswersCarried(policy: String, verdict: Verdict) async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let ledger = try SQLiteLedger(path: path, deferred: true)
        let engine = Engine(ruleSet: try #require(Compiler.compile(source: Self.rules(policy: policy)).ruleSet), ledger: ledger)
        let other = try SQLiteDatabase(path: path)
        try other.execute("BEGIN IMMEDIATE")

        let from = ledger.settledSequence
        let first = engine.check(Self.send("m1", account: "a", text: "刷单"), now: 0)
        let second = engine.check(Self.send("m2", account: "a", text: "你好"), now: 0)
        // Visible at once: the second event is blocked by the first one's penalty.
        #expect(first.penalties.first?.id != nil)
        #expect(second.fired("penalty_in_force"))
        let settled = await ledger.settle([first, second], checkedAfter: from)
        try other.execute("ROLLBACK")

        #expect(first.verdict == .allow)
        #expect(settled[0].penalties.isEmpty)
        #expect(settled[0].ledgerFailed)
        #expect(settled[0].verdict == verdict)
        #expect(settled[0].warnings.first?.hasPrefix("penalty ledger write failed:") == true)
        #expect(!settled[1].fired("penalty_in_force"))
        #expect(settled[1].ledgerFailed)
        #expect(ledger.inForce(action: .restrictSend, targetKind: .account, target: "a", at: 1_767_225_600) == nil)
        #expect(ledger.failures == 1)
        #expect(try SQLiteLedger.inspect(path: path).penalties.isEmpty)

        // The lock is gone: the next offense is the first (the failed one was taken back).
        let from3 = ledger.settledSequence
        let third = await ledger.settle([engine.check(Self.send("m3", account: "a", text: "刷单"), now: 0)], checkedAfter: from3)[0]
        #expect(!third.ledgerFailed)
        let id = try #require(third.penalties.first?.id)
        #expect(third.penalties.first?.offense == 1)
        #expect(try SQLiteLedger.inspect(path: path).penalties.map(\.id) == [id])
    }

    /// A write queued while an earlier one is failing fails with it (it may have read it): here
    /// an extension of the failing record, queued while the first batch waits for the lock. The
    /// lock is let go before any later batch, so the extension would commit were it not failed
    /// too. Both are undone, newest first, and the record is gone.
    @Test func writesQueuedBehindAFailureFailWithIt() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let ledger = try SQLiteLedger(path: path, deferred: true)
        let engine = Engine(ruleSet: try #require(Compiler.compile(source: Self.rules()).ruleSet), ledger: ledger)
        let other = try SQLiteDatabase(path: path)
        try other.execute("BEGIN IMMEDIATE")
        let taken = DispatchSemaphore(value: 0)
        let queued = DispatchSemaphore(value: 0)
        ledger.group.beforeBatch = { number in
            if number == 1 {
                taken.signal()
                queued.wait()
            } else {
                try? other.execute("ROLLBACK")
            }
        }
        let from = ledger.settledSequence
        let first = engine.check(Self.send("m1", account: "a", text: "刷单"), now: 0)
        taken.wait()
        let second = engine.check(Self.send("m2", account: "a", text: "刷单 again"), now: 0)
        queued.signal()
        #expect(second.penalties.first?.id == first.penalties.first?.id)
        let settled = await ledger.settle([first, second], checkedAfter: from)
        try? other.execute("ROLLBACK")
        #expect(settled.allSatisfy { $0.penalties.isEmpty && $0.ledgerFailed })
        #expect(ledger.failures == 2)
        #expect(ledger.all.isEmpty)
        #expect(try SQLiteLedger.inspect(path: path).penalties.isEmpty)
    }
}
