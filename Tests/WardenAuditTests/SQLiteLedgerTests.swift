import Foundation
import Testing
import WardenEngine
import WardenSQLite

@Suite struct SQLiteLedgerTests {
    @Test func recordsExtensionsAndLiftsSurviveReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-ledger-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let ledger = try SQLiteLedger(path: path)
            let a = try ledger.record(
                PenaltyRecord(
                    id: "", action: .restrictSend, targetKind: .account, target: "u1", start: 100, until: 200,
                    forever: false, offense: 1, rule: "r", event: "e1", lifted: nil))
            try ledger.extend(id: a.id, until: 500, forever: false)
            let b = try ledger.record(
                PenaltyRecord(
                    id: "", action: .revokeCode, targetKind: .code, target: "C1", start: 100, until: nil,
                    forever: true, offense: 1, rule: "r", event: "e2", lifted: nil))
            _ = try ledger.lift(id: b.id, reason: "appeal", at: 120)
            try ledger.saveSnapshot("{\"x\":1}", at: 1)
        }
        let reopened = try SQLiteLedger(path: path)
        #expect(reopened.count == 2)
        #expect(reopened.inForce(action: .restrictSend, targetKind: .account, target: "u1", at: 400)?.until == 500)
        #expect(reopened.inForce(action: .revokeCode, targetKind: .code, target: "C1", at: 150) == nil)
        #expect(reopened.records(targetKind: .code, target: "C1").first?.lifted?.reason == "appeal")
        #expect(reopened.loadSnapshot() == "{\"x\":1}")
        // New ids continue after the stored ones.
        let c = try reopened.record(
            PenaltyRecord(
                id: "", action: .warn, targetKind: .account, target: "u2", start: 1, until: nil,
                forever: false, offense: 1, rule: "r", event: "e3", lifted: nil))
        #expect(c.id == "p-3")
    }

    /// Group commit: writes from many threads at once share transactions (fewer commits than
    /// writes), each returns committed, and all of them are in the file after reopening.
    @Test func concurrentWritesShareCommits() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-ledger-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let writers = 16
        let each = 10
        do {
            let ledger = try SQLiteLedger(path: path)
            // Threads of their own (concurrentPerform would use one per core, two here): while
            // one commit waits for its fsync, the other writers queue for the next.
            let done = DispatchGroup()
            for w in 0..<writers {
                done.enter()
                Thread {
                    for k in 0..<each {
                        let r = try? ledger.record(
                            PenaltyRecord(
                                id: "", action: .restrictSend, targetKind: .account, target: "u\(w)-\(k)", start: 100, until: 200,
                                forever: false, offense: 1, rule: "r", event: "e\(w)-\(k)", lifted: nil))
                        // Returned means committed: the in-memory copy already answers for it.
                        if let r {
                            #expect(ledger.inForce(action: .restrictSend, targetKind: .account, target: r.target, at: 150)?.id == r.id)
                        }
                    }
                    done.leave()
                }.start()
            }
            done.wait()
            let (commits, written) = ledger.commitCounts
            #expect(written == writers * each)
            #expect(commits < written, "commits \(commits) for \(written) writes")
        }
        // Read back from the file (without its lock: the writers' threads may still be ending).
        let stored = try SQLiteLedger.inspect(path: path).penalties
        #expect(stored.count == writers * each)
        #expect(Set(stored.map(\.id)).count == writers * each)
    }

    @Test func anEngineOnADurableLedgerEnforcesAfterRestart() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-ledger-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let rules = "ruleset t\nrule f { on send when text contains \"刷单\" penalty revoke_code(code) }"
        var event = Event(id: "m", type: .send, account: "a", ts: 1_767_225_600)
        event.text = "刷单"
        event.to = []
        event.code = "CODE9"
        do {
            let engine = Engine(ruleSet: try #require(Compiler.compile(source: rules).ruleSet), ledger: try SQLiteLedger(path: path))
            _ = engine.check(event, now: 0)
        }
        let engine = Engine(ruleSet: try #require(Compiler.compile(source: rules).ruleSet), ledger: try SQLiteLedger(path: path))
        event.text = "hello"
        #expect(engine.check(event, now: 0).fired.map(\.rule) == ["penalty_in_force"])
    }

    /// As `serve --state sqlite:…` does: the engine's snapshot saved in the file at shutdown and
    /// restored at start carries the invite graph, so a restarted server reads the same tree.
    @Test func theInviteGraphSurvivesARestartThroughTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-ledger-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let rules = "ruleset t\nrule deep { on redeem when invite_depth(account) >= 2 and same_device_as_inviter(account) }"
        let ruleSet = try #require(Compiler.compile(source: rules).ruleSet)
        func event(_ type: Event.Kind, _ account: String, _ code: String, _ t: Double) -> Event {
            var e = Event(id: "\(type)-\(account)", type: type, account: account, ts: 1_767_225_600 + t)
            e.code = code
            e.device = "phone"
            return e
        }
        let probe = event(.redeem, "c", "B1", 300)
        let expected: String
        do {
            let ledger = try SQLiteLedger(path: path)
            let engine = Engine(ruleSet: ruleSet, ledger: ledger)
            for e in [event(.issue, "a", "A1", 0), event(.redeem, "b", "A1", 60), event(.issue, "b", "B1", 120)] {
                _ = engine.check(e, now: 0)
            }
            expected = engine.check(probe, now: 0, commit: false).json
            try ledger.saveSnapshot(engine.snapshot(), at: 1)
        }
        #expect(expected.contains(#""rule":"deep""#))
        let ledger = try SQLiteLedger(path: path)
        let engine = Engine(ruleSet: ruleSet, ledger: ledger)
        try engine.restore(snapshot: try #require(ledger.loadSnapshot()))
        #expect(engine.check(probe, now: 0, commit: false).json == expected)
    }
}
