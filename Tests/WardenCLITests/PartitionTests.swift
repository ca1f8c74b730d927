import Foundation
import Testing
import WardenRedis
import WardenTestSupport

/// Issue 20: audits split by account over one shared Redis decide as one audit of the whole log.
@Suite(.serialized) struct PartitionTests {
    let cli = CLITests()

    static let rules = """
        ruleset part
        rule burst { on send when count(by: account, within: 1m) > 5 score 50 penalty restrict_send(account, 1h) }
        rule daily { on send when count(by: account, per: day) > 20 score 50 }
        rule fanout { on send when distinct(to, by: account, within: 1h) > 8 score 60 }
        decide {
          block when score >= 100
          review when score >= 50
        }
        """

    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("warden-part-\(UUID().uuidString)-\(name)").path
    }

    /// Findings without the ledger's ids (numbered by whichever process wrote first), sorted.
    func findings(_ paths: [String]) throws -> [String] {
        try paths.flatMap { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").map(String.init) }
            .map {
                // Ids differ by ledger (Redis numbers from the time), and Redis answers say what durability they got.
                $0.replacingOccurrences(of: #""id":"p-\d+""#, with: #""id":"p""#, options: .regularExpression)
                    .replacingOccurrences(of: #","durability":"[a-z_]+""#, with: "", options: .regularExpression)
            }
            .sorted()
    }

    @Test func twoPartitionsOnOneRedisFindWhatOneAuditFinds() throws {
        let redis = try RedisServer()
        try partitionsMatchTheWhole(
            state: "redis://127.0.0.1:\(redis.port)", pool: RedisPool(host: "127.0.0.1", port: redis.port, timeout: 1))
    }

    /// The same on a 3-master, 3-replica Redis Cluster.
    @Test func twoPartitionsOnAClusterFindWhatOneAuditFinds() throws {
        let cluster = try RedisClusterServer()
        try partitionsMatchTheWhole(state: cluster.url, pool: try RedisClients.open(url: cluster.url, timeout: 1))
    }

    func partitionsMatchTheWhole(state: String, pool: any RedisClient) throws {
        let rules = temporary("rules")
        try Self.rules.write(toFile: rules + ".rules", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: rules + ".rules") }
        let whole = temporary("whole.jsonl")
        let parts = [temporary("p1.jsonl"), temporary("p2.jsonl")]
        defer { for p in [whole] + parts { try? FileManager.default.removeItem(atPath: p) } }

        let one = try cli.run(["audit", "--rules", rules + ".rules", "samples/events-10k.jsonl", "--out", whole])
        #expect(one.status == 0, "\(one.stderr)")

        let processes = parts.enumerated().map { k, out in
            let p = Process()
            p.executableURL = CLITests.binary
            p.arguments = [
                "audit", "--rules", rules + ".rules", "samples/events-10k.jsonl", "--out", out, "--partition", "\(k + 1)/2",
                "--state", state,
            ]
            p.currentDirectoryURL = CLITests.root
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        let split = try findings(parts)
        let together = try findings([whole])
        #expect(together.count > 100)
        #expect(split.count == together.count)
        #expect(split == together)
        // The parts shared their state: both wrote penalties to the one ledger.
        let penalties = try pool.pipeline([["LLEN", "warden:all"]])[0].int ?? 0
        #expect(penalties == together.filter { $0.contains(#""action":"restrict_send""#) && !$0.contains("penalty_in_force") }.count)
        #expect(penalties > 0)
        // Each part decided only its own accounts.
        let first = try findings([parts[0]]).count
        #expect(first > 0 && first < together.count)
    }

    /// In one process, the evaluation splits the accounts over threads when that is exact, and
    /// says why not otherwise; the findings are the same either way.
    @Test func anAuditSaysHowItsEvaluationRan() throws {
        let rules = temporary("threads")
        try Self.rules.write(toFile: rules + ".rules", atomically: true, encoding: .utf8)
        let outs = [temporary("one.jsonl"), temporary("two.jsonl")]
        defer { for p in [rules + ".rules"] + outs { try? FileManager.default.removeItem(atPath: p) } }
        let one = try cli.run(["audit", "--rules", rules + ".rules", "samples/events-10k.jsonl", "--out", outs[0], "--evaluators", "1"])
        let two = try cli.run(["audit", "--rules", rules + ".rules", "samples/events-10k.jsonl", "--out", outs[1], "--evaluators", "2"])
        #expect(one.stdout.contains("evaluation: one thread, in event-time order (not split by account: one thread asked for)"))
        #expect(two.stdout.contains("evaluation: accounts split over 2 threads in "), "\(two.stdout)")
        #expect(try String(contentsOfFile: outs[0], encoding: .utf8) == String(contentsOfFile: outs[1], encoding: .utf8))
        let defaults = try cli.run(["audit", "--rules", "rules", "samples/events.jsonl"])
        #expect(defaults.stdout.contains("evaluation: one thread, in event-time order (not split by account: counters by code, "))
        let zero = try cli.run(["audit", "--rules", "rules", "samples/events.jsonl", "--evaluators", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--evaluators takes a number of threads, 1 or more, not 0"))
    }

    @Test func lintSaysWhetherAPartitionIsExact() throws {
        let rules = temporary("lint")
        try Self.rules.write(toFile: rules + ".rules", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: rules + ".rules") }
        let exact = try cli.run(["lint", "--keys", "--rules", rules + ".rules"])
        #expect(
            exact.stdout.contains(
                "state: counters by account (3); penalties on account; audit --partition (by account) is exact, and an audit splits its evaluation by account over every core\n"
            ))
        let defaults = try cli.run(["lint", "--keys", "--rules", "rules"])
        #expect(defaults.stdout.contains("audit --partition (by account) is approximate for counters by code"))
        // An inviter's downline is redeemed by other accounts, which another part decides.
        #expect(defaults.stdout.hasSuffix("penalties on code, penalties on inviter, the invite graph\n"))
        try (Self.rules + "\nrule deep { on redeem when invite_depth(account) > 3 }\n").write(
            toFile: rules + ".rules", atomically: true, encoding: .utf8)
        let invites = try cli.run(["lint", "--keys", "--rules", rules + ".rules"])
        #expect(invites.stdout.contains("audit --partition (by account) is approximate for the invite graph"))
        #expect(try cli.run(["audit", "--rules", "rules", "--partition", "3/2", "samples/events.jsonl"]).status == 2)
    }
}
