import Foundation
import Testing
import WardenEngine

/// Issue 19, finding 3: a reload builds the next engine off the request path and shares the
/// state instead of copying it, so counts that land during the hand-over are kept.
@Suite struct ReloadTests {
    static let t0 = 1_767_225_600.0

    func rulesDirectory(_ rules: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try rules.write(to: dir.appendingPathComponent("main.rules"), atomically: true, encoding: .utf8)
        return dir
    }

    static let rules = """
        ruleset t
        rule seen { on send when count(by: account, within: 1d) >= 0 }
        rule fraud { on send when text contains "刷单" penalty restrict_send(account, 1d) }
        """

    func send(_ account: String, _ i: Int, text: String = "hi") -> Event {
        var e = Event(id: "\(account)-\(i)", type: .send, account: account, ts: Self.t0 + Double(i) / 10)
        e.to = ["x"]
        e.text = text
        return e
    }

    func count(_ d: Decision) -> Double? {
        d.fired.first { $0.rule == "seen" }?.evidence.first { $0.kind == .count }?.value
    }

    /// 4 threads send 4,000 events of one account while another reloads 25 times: every event
    /// is counted (the copy made under the lock used to drop those that landed meanwhile).
    @Test func countsDuringReloadsAreKept() async throws {
        let dir = try rulesDirectory(Self.rules)
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = try WardenService(rulesAt: dir.path, clock: { Self.t0 + 3600 })
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for i in 0..<1000 { _ = service.check(self.send("bot", worker * 1000 + i)) }
                }
            }
            group.addTask {
                for k in 0..<25 {
                    // Every other reload changes the rule set (another rule), so engines differ.
                    let extra = k % 2 == 0 ? "rule r\(k) { on send when count(by: account, within: 2d) > 1000000 }\n" : ""
                    try? (Self.rules + "\n" + extra).write(to: dir.appendingPathComponent("main.rules"), atomically: true, encoding: .utf8)
                    #expect(service.reload().accepted)
                }
            }
        }
        let last = service.check(send("bot", 4000), dryRun: true)
        #expect(count(last) == 4001)
    }

    /// The ledger (here in memory) and the counters are the same objects after a reload: a
    /// penalty and a count from before are there, and what was not changed is not reset.
    @Test func stateCarriesOverAndChangedCountersStartEmpty() throws {
        let dir = try rulesDirectory(Self.rules)
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = try WardenService(rulesAt: dir.path, clock: { Self.t0 + 3600 })
        for i in 0..<5 { _ = service.check(send("a", i)) }
        _ = service.check(send("f", 0, text: "刷单"))
        let changed = Self.rules.replacingOccurrences(of: "within: 1d) >= 0", with: "within: 2d) >= 0")
        try changed.write(to: dir.appendingPathComponent("main.rules"), atomically: true, encoding: .utf8)
        let result = service.reload()
        #expect(result.accepted && result.countersReset == ["count||account|2d||send"] && result.countersKept == 0)
        #expect(count(service.check(send("a", 5), dryRun: true)) == 1)  // a new definition starts empty
        #expect(service.penalties(targetKind: .account, target: "f").count == 1)
        try Self.rules.write(to: dir.appendingPathComponent("main.rules"), atomically: true, encoding: .utf8)
        let back = service.reload()
        #expect(back.countersKept == 0 && back.countersReset == ["count||account|1d||send"])
    }
}

/// Issue 19, "also found": rule files and list files a hostile or careless change could bring.
@Suite struct RuleFileLimitTests {
    func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aRulesFileLinkingOutsideIsRefusedUnread() throws {
        let dir = try directory()
        let outside = try directory()
        defer { for d in [dir, outside] { try? FileManager.default.removeItem(at: d) } }
        try "ruleset t\n".write(to: dir.appendingPathComponent("a.rules"), atomically: true, encoding: .utf8)
        try "secret-line: root:x:0:0\n".write(to: outside.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            at: dir.appendingPathComponent("b.rules"), withDestinationURL: outside.appendingPathComponent("passwd"))
        let (ruleSet, diagnostics) = Compiler.compile(path: dir.path)
        #expect(ruleSet == nil)
        #expect(diagnostics.contains { $0.message.contains("links outside the rule set's directory") })
        #expect(!diagnostics.contains { $0.message.contains("secret-line") || ($0.range?.text.contains("secret") ?? false) })
    }

    @Test func aHugeListFileIsRefusedBeforeItIsRead() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "ruleset t\nlist w = file(\"big.txt\")\nrule r { on send when text contains any w }\n"
            .write(to: dir.appendingPathComponent("a.rules"), atomically: true, encoding: .utf8)
        let big = dir.appendingPathComponent("big.txt")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 40 << 20)  // sparse: 40 MiB on paper
        try handle.close()
        let started = Date()
        let (ruleSet, diagnostics) = Compiler.compile(path: dir.path)
        #expect(ruleSet == nil)
        #expect(diagnostics.contains { $0.message == "list file 'big.txt' has 41943040 bytes; the limit is 33554432" })
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func droppingTheDecideBlockIsWarnedAndNotReloaded() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("main.rules")
        let withDecide = "ruleset t\nrule r { on send when text contains \"刷单\" score 100 }\ndecide { block when score >= 100 }\n"
        try withDecide.write(to: file, atomically: true, encoding: .utf8)
        let service = try WardenService(rulesAt: dir.path)
        let without = "ruleset t\nrule r { on send when text contains \"刷单\" score 100 }\n"
        try without.write(to: file, atomically: true, encoding: .utf8)
        let reload = service.reload()
        #expect(!reload.accepted && reload.diagnostics.first?.message.contains("no decide block") == true)
        let (_, diagnostics) = Compiler.compile(path: dir.path)
        #expect(diagnostics.contains { $0.severity == .warning && $0.message.hasPrefix("no decide block") })
    }
}
