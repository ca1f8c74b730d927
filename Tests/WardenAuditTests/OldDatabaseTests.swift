import Foundation
import Testing
import WardenEngine
import WardenSQLite

/// A state file written by Warden before issue 22 (commit 0a5c05e, `serve --state sqlite:` on
/// `Fixtures/state-v1.rules`: a restriction recorded then extended, a revocation recorded then
/// lifted, a clean stop that saved the counter snapshot) opens as it is.
@Suite struct OldDatabaseTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func aDatabaseFromBeforeIssue22Loads() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-old-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("state-v1.db").path, toPath: path)
        let ledger = try SQLiteLedger(path: path)
        #expect(ledger.count == 2)

        let restriction = try #require(ledger.records(targetKind: .account, target: "a").first)
        #expect(restriction.id == "p-1" && restriction.action == .restrictSend && restriction.rule == "spam" && restriction.event == "s1")
        #expect(
            restriction.start == 1_772_359_200 && restriction.until == 1_772_363_400 && !restriction.forever && restriction.offense == 1)
        #expect(ledger.inForce(action: .restrictSend, targetKind: .account, target: "a", at: 1_772_363_000)?.id == "p-1")

        let revocation = try #require(ledger.records(targetKind: .code, target: "C1").first)
        #expect(revocation.id == "p-2" && revocation.forever && revocation.lifted?.reason == "appeal")
        #expect(ledger.inForce(action: .revokeCode, targetKind: .code, target: "C1", at: 1_772_360_500) == nil)

        // The counter snapshot in the file restores into an engine on the same rules.
        let rules = try String(contentsOf: Self.fixtures.appendingPathComponent("state-v1.rules"), encoding: .utf8)
        let engine = Engine(ruleSet: try #require(Compiler.compile(source: rules).ruleSet), ledger: ledger)
        try engine.restore(snapshot: try #require(ledger.loadSnapshot()))

        // New ids continue after the stored ones.
        let next = try ledger.record(
            PenaltyRecord(
                id: "", action: .restrictSend, targetKind: .account, target: "z", start: 1, until: 2, forever: false, offense: 1, rule: "r",
                event: "e", lifted: nil))
        #expect(next.id == "p-3")
    }
}
