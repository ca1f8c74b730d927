import Foundation
import Testing
import WardenEngine

@testable import WardenSQLite

/// Issue 19, finding 2: a commit that fails must never be answered as a penalty, and two
/// servers must not share one file.
@Suite struct LedgerFailureTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("warden-ledger-\(UUID().uuidString).db").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func fraud(_ id: String, code: String) -> Event {
        var event = Event(id: id, type: .send, account: "a-\(id)", ts: 1_767_225_600)
        event.text = "刷单"
        event.to = ["b"]
        event.code = code
        return event
    }

    static func engine(_ ledger: SQLiteLedger, policy: String) throws -> Engine {
        let rules = "ruleset t on_state_error \(policy)\nrule f { on send when text contains \"刷单\" score 10 penalty revoke_code(code) }"
        return Engine(ruleSet: try #require(Compiler.compile(source: rules).ruleSet), ledger: ledger)
    }

    @Test func aSecondLedgerOnOneFileIsRefused() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        do {
            let first = try SQLiteLedger(path: path)
            #expect(throws: SQLiteError.self) { try SQLiteLedger(path: path) }
            do {
                _ = try SQLiteLedger(path: path)
            } catch {
                #expect(error.message.contains("in use by another warden (process \(getpid()) holds"))
            }
            _ = first
        }
        _ = try SQLiteLedger(path: path)  // the lock goes with the ledger
        #expect(throws: SQLiteError.self) { try SQLiteLedger(path: "") }
    }

    /// Another connection holds the write lock: the commit fails, the answer carries no
    /// penalty, the verdict follows `on_state_error`, the failure is counted, and a restart
    /// knows exactly the penalties that were answered.
    @Test(arguments: [("open", Verdict.allow), ("closed", Verdict.review), ("block", Verdict.block)])
    func aFailedCommitIsNeverAnswered(policy: String, verdict: Verdict) throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        var answered: [String] = []
        do {
            let ledger = try SQLiteLedger(path: path)
            let engine = try Self.engine(ledger, policy: policy)
            let before = engine.check(Self.fraud("m1", code: "C1"), now: 0)
            answered += before.penalties.compactMap(\.id)
            #expect(answered == ["p-1"] && !before.ledgerFailed)

            let other = try SQLiteDatabase(path: path)
            try other.execute("BEGIN EXCLUSIVE")
            let during = engine.check(Self.fraud("m2", code: "C2"), now: 0)
            #expect(during.penalties.isEmpty)
            #expect(during.ledgerFailed)
            #expect(during.verdict == verdict)
            #expect(during.warnings.first?.hasPrefix("penalty ledger write failed:") == true)
            #expect(ledger.failures == 1)
            #expect(engine.penalties(targetKind: .code, target: "C2", inForceAt: 1_767_225_601).isEmpty)
            try other.execute("COMMIT")

            let after = engine.check(Self.fraud("m3", code: "C3"), now: 0)
            answered += after.penalties.compactMap(\.id)
            #expect(after.penalties.first?.id == "p-3")  // p-2 was never answered, and is not reused here
        }
        let reopened = try SQLiteLedger(path: path)
        #expect(reopened.all.map(\.id) == answered)
    }

    @Test func aFailedLiftThrowsAndLeavesThePenaltyInForce() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let ledger = try SQLiteLedger(path: path)
        let engine = try Self.engine(ledger, policy: "open")
        let id = try #require(engine.check(Self.fraud("m1", code: "C1"), now: 0).penalties.first?.id)
        let other = try SQLiteDatabase(path: path)
        try other.execute("BEGIN EXCLUSIVE")
        #expect(throws: LedgerError.self) { try engine.lift(id: id, reason: "appeal", at: 1_767_225_700) }
        try other.execute("COMMIT")
        #expect(engine.penalties(targetKind: .code, target: "C1", inForceAt: 1_767_225_800).map(\.id) == [id])
    }
}
