import Foundation
import Testing
import WardenEngine

@testable import WardenSQLite

/// The review stores' contract, the same for memory and SQLite: the cap, paging, leases,
/// retention, and (SQLite) everything back after a reopen.
@Suite struct ReviewStoreTests {
    static func newCase(_ i: Int, at t: Double) -> ReviewCase {
        ReviewCase(
            opened: t, account: "u\(i)", eventID: "m\(i)", event: .object([("id", .string("m\(i)")), ("text", .string("t\(i)"))]),
            decision: .object([]), digest: "sha256:x", rules: ["r"], tags: ["spam"], penalties: [])
    }

    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("warden-store-\(UUID().uuidString).db").path
    }

    @Test(arguments: ["memory", "sqlite"]) func capPagingAndLeases(kind: String) throws {
        let store: any ReviewStore =
            kind == "memory"
            ? MemoryReviewStore(maxOpenCases: 3) : try SQLiteReviewStore(ledger: try SQLiteLedger(path: Self.path()), maxOpenCases: 3)
        let opened = try (0..<5).map { try store.openCase(Self.newCase($0, at: 100)) }
        #expect(opened.map { $0?.id } == ["c1", "c2", "c3", nil, nil])
        #expect(store.openCaseCount == 3 && store.casesRefused == 2)
        var query = CaseQuery()
        query.limit = 2
        let first = try store.cases(query, at: 100)
        #expect(first.cases.map(\.id) == ["c1", "c2"] && first.next == "c2")
        query.after = first.next
        let second = try store.cases(query, at: 100)
        #expect(second.cases.map(\.id) == ["c3"] && second.next == nil)
        // A lease holds against others until it runs out; its holder renews it.
        _ = try store.claim(id: "c1", by: "alice", lease: 10, at: 100)
        #expect(throws: ReviewError(.conflict, "case c1 is claimed by alice until 1970-01-01T00:01:50Z")) {
            try store.claim(id: "c1", by: "bob", lease: 10, at: 105)
        }
        #expect(try store.claim(id: "c1", by: "alice", lease: 10, at: 105).claim?.until == 115)
        #expect(try store.claim(id: "c1", by: "bob", lease: 10, at: 116).claim?.by == "bob")
        #expect(try store.reviewCase(id: "c1")?.status(at: 120) == .claimed)
        #expect(try store.reviewCase(id: "c1")?.status(at: 127) == .open)
        let resolved = try store.resolve(
            id: "c2", ReviewCase.Resolution(outcome: .confirm, label: "spam", note: "", by: "alice", at: 130))
        #expect(resolved.status(at: 130) == .resolved && store.openCaseCount == 2)
        #expect(throws: ReviewError.self) {
            try store.resolve(id: "c2", ReviewCase.Resolution(outcome: .overturn, label: "ham", note: "", by: "bob", at: 131))
        }
        #expect(try store.openCase(Self.newCase(9, at: 140))?.id == "c4")  // refused opens take no number
        query = CaseQuery()
        query.status = .resolved
        #expect(try store.cases(query, at: 140).cases.map(\.id) == ["c2"])
    }

    @Test func resolvedCasesLeaveAfterTheRetention() throws {
        let store = MemoryReviewStore(maxOpenCases: 10_000, retention: 60)
        _ = try store.openCase(Self.newCase(0, at: 0))
        _ = try store.resolve(id: "c1", ReviewCase.Resolution(outcome: .confirm, label: "spam", note: "", by: "a", at: 10))
        for i in 1..<1023 { _ = try store.openCase(Self.newCase(i, at: 50)) }
        #expect(try store.reviewCase(id: "c1") != nil)  // not yet: 1,023 opens, and within the retention
        _ = try store.openCase(Self.newCase(1023, at: 100))  // the 1,024th open, 90 s after it was resolved
        #expect(try store.reviewCase(id: "c1") == nil)
        #expect(store.openCaseCount == 1023)
    }

    @Test func aSQLiteStoreKeepsEverythingAcrossAReopen() throws {
        let path = Self.path()
        do {
            let ledger = try SQLiteLedger(path: path)
            let store = try SQLiteReviewStore(ledger: ledger)
            _ = try store.openCase(Self.newCase(0, at: 100))
            _ = try store.resolve(id: "c1", ReviewCase.Resolution(outcome: .overturn, label: "ham", note: "n", by: "a", at: 110))
            try store.addLabel(EntityLabel(kind: .account, target: "u1", label: "trusted", expires: 1_000, reason: "r", by: "a", at: 100))
            try store.addEntry(ListEntry(list: "l", entry: "词", expires: nil, reason: "r", by: "a", at: 100), cap: 10)
            try store.append(ChangeRecord(at: 100, kind: .labelAdd, by: "a", reason: "r", subject: "account:u1"))
            try store.storeRuleSet(
                RuleSetVersion(
                    digest: "sha256:a", name: "n", version: "1", loadedAt: 100, by: "start", reason: "r", files: ["a.rules": [0x61, 0xFF]]))
        }
        let store = try SQLiteReviewStore(ledger: try SQLiteLedger(path: path))
        #expect(try store.reviewCase(id: "c1")?.resolution?.label == "ham")
        #expect(store.hasLabel(kind: .account, target: "u1", label: "trusted", at: 500))
        #expect(!store.hasLabel(kind: .account, target: "u1", label: "trusted", at: 1_500))
        #expect(store.entries(list: "l", at: 0).map(\.entry) == ["词"])
        #expect(store.changes(since: nil, kind: nil, limit: 10).map(\.seq) == [1])
        #expect(store.ruleSet(digest: "sha256:a")?.files["a.rules"] == [0x61, 0xFF])
        #expect(try store.openCase(Self.newCase(1, at: 200))?.id == "c2")
        // The export reads the file without taking it.
        var csv = ""
        try LabelsCSV.write(from: try SQLiteReviewStore.inspect(path: path), since: nil, at: 300) { csv += $0 }
        #expect(csv == "label,content,case,event,resolved_at\r\nham,t0,c1,m0,1970-01-01T00:01:50Z\r\n")
    }
}
