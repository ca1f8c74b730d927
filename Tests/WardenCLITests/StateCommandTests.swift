import Foundation
import Testing
import WardenTestSupport

/// `warden state`: counters by rule and key and the penalties in force, from each kind of state.
@Suite struct StateCommandTests {
    let cli = CLITests()

    static func sends(_ account: String, count: Int, text: String = "hi", from minute: Int = 0) -> String {
        (0..<count).map { k in
            #"{"id":"\#(account)-\#(k)","type":"send","ts":"2026-03-01T10:\#(String(format: "%02d", minute + k / 60)):\#(String(format: "%02d", k % 60))Z","account":"\#(account)","to":["r\#(k)"],"text":"\#(text)"}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test func aSnapshotFileReadsByRuleAndKey() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // 40 sends from one account within a minute (the burst rule's challenge), 3 from another,
        // and a fraud message whose code is revoked.
        let fraud =
            #"{"id":"f1","type":"send","ts":"2026-03-01T10:00:30Z","account":"u_fraud","to":["x"],"text":"兼职刷单日赚300","code":"AB12CD34"}"#
        let r = try cli.run(
            ["check", "--rules", "rules", "--state-out", file],
            stdin: Self.sends("bot", count: 40) + Self.sends("quiet", count: 3) + fraud + "\n")
        #expect(r.status == 0)
        let state = try cli.run(["state", "--rules", "rules", file, "--limit", "2"])
        #expect(state.status == 0, "\(state.stderr)")
        let lines = state.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "state \(file) read at 2026-03-01T18:00:39+08:00 with rule set invite 2026.12-a")
        #expect(lines.contains("  count by account within 1m on send (rule burst): 3 keys"))
        #expect(lines.contains("    40  account=bot"))
        #expect(lines.contains("    3  account=quiet"))
        #expect(lines.contains("    … 1 more (--limit)"))
        #expect(lines.contains("  count by account within 1d on send (rules machine_brushing, enterprise_brushing, leader_jump): 3 keys"))
        #expect(lines.contains { $0.hasPrefix("  p-1 revoke_code on code AB12CD34 forever (rule fraud_text, offense 1") })

        // One target, as JSON; a time with nothing in the 1m window.
        let json = try cli.run(["state", "--rules", "rules", file, "--target", "quiet", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let counters = try #require(object["counters"] as? [[String: Any]])
        #expect(counters.allSatisfy { ($0["keys"] as? Int) == 1 })
        #expect(
            counters.contains { $0["counter"] as? String == "count by account within 1m on send" && $0["rules"] as? [String] == ["burst"] })
        let later = try cli.run(["state", "--rules", "rules", file, "--at", "2026-03-01T10:05:00Z"])
        #expect(
            !later.stdout.contains("(rule burst)") && later.stdout.contains("(rules machine_brushing, enterprise_brushing, leader_jump)"))
        #expect(try cli.run(["state", "--rules", "rules", "/nonexistent.json"]).status == 2)
    }

    @Test func redisStateReadsTheSameSums() throws {
        let redis = try RedisServer()
        let url = "redis://127.0.0.1:\(redis.port)"
        let r = try cli.run(
            ["check", "--rules", "rules", "--state", url], stdin: Self.sends("bot", count: 40) + Self.sends("quiet", count: 3))
        #expect(r.status == 0, "\(r.stderr)")
        let state = try cli.run(["state", "--rules", "rules", url, "--at", "2026-03-01T10:00:40Z"])
        #expect(state.status == 0, "\(state.stderr)")
        #expect(
            state.stdout.contains("  count by account within 1m on send (rule burst): 2 keys\n    40  account=bot\n    3  account=quiet\n"))
        #expect(
            state.stdout.contains(
                "distinct to by account, fingerprint(text) within 1d on send (rules fanout, leader_fanout, new_leader_fanout): 2 keys\n    40  account=bot, fingerprint(text)="
            ))
    }
}
