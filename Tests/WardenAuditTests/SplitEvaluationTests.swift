import Foundation
import Testing
import WardenAudit
import WardenEngine

/// An audit whose rule set keeps all its state by account splits the evaluation over threads by
/// account, and decides, numbers penalties and leaves its state exactly as one thread would.
@Suite struct SplitEvaluationTests {
    static let rules = """
        ruleset split
        list w = ["刷单"]
        rule burst { on send when count(by: account, within: 1m) > 2 score 50 penalty restrict_send(account, escalate(10m, 1h, forever)) }
        rule wide { on send when distinct(to, by: account, within: 1h) > 3 score 50 }
        rule fraud { on send when text contains any w score 80 penalty delete_content(message), disable_generation(account, 1d) }
        rule quota { on issue when count(by: account, per: day) > 3 score 60 }
        decide {
          block when score >= 100
          review when score >= 50
        }
        """

    /// Sends, issues and redeems of 30,000 accounts over a few days, about 15 s apart, each
    /// batch of the audit spanning hours: every third event is by one of the last twenty
    /// accounts, so counters fill up in bursts, and they hold enough keys to be swept (4,096):
    /// one thread's events run hours ahead of another's, and a sweep run by the one ahead in
    /// time would drop keys the one behind still reads.
    func events(_ n: Int, seed: UInt64) -> [String] {
        var rng = Xorshift(seed)
        var t = 1_767_225_600
        var recent: [String] = []
        var codes: [String] = []
        return (0..<n).map { i in
            t += 1 + Int(rng.next() % 30)
            let account = recent.count == 20 && rng.next() % 3 == 0 ? recent[Int(rng.next() % 20)] : "u\(rng.next() % 30_000)"
            recent.append(account)
            if recent.count > 20 { recent.removeFirst() }
            switch rng.next() % 10 {
            case 0:
                let code = "K\(i)"
                codes.append(code)
                return
                    #"{"id":"e\#(i)","type":"issue","ts":\#(t),"account":"\#(account)","code":"\#(code)","device":"d\#(rng.next() % 50)"}"#
            case 1 where !codes.isEmpty:
                let code = codes[Int(rng.next() % UInt64(codes.count))]
                return
                    #"{"id":"e\#(i)","type":"redeem","ts":\#(t),"account":"\#(account)","code":"\#(code)","device":"d\#(rng.next() % 50)"}"#
            default:
                let text = rng.next() % 12 == 0 ? "兼职刷单" : "你好"
                return
                    #"{"id":"e\#(i)","type":"send","ts":\#(t),"account":"\#(account)","to":["r\#(rng.next() % 9)"],"text":"\#(text)"}"#
            }
        }
    }

    struct Run {
        var summary: AuditSummary
        var decisions: [String]
        var penalties: [PenaltyRecord]
        var snapshot: String
    }

    func audit(_ path: String, ruleSet: CompiledRuleSet, evaluators: Int) throws -> Run {
        var options = Auditor.Options()
        options.evaluators = evaluators
        options.splitAfter = 0
        let engine = Engine(ruleSet: ruleSet)
        var decisions: [String] = []
        let summary = try Auditor(engine: engine, options: options).run(paths: [path], onFinding: { decisions.append($0.decision.json) })
        return Run(summary: summary, decisions: decisions, penalties: engine.penalties, snapshot: engine.snapshot())
    }

    @Test func splitByAccountDecidesAndNumbersAsOneThread() throws {
        let lines = events(16_000, seed: 21)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-split-\(UUID().uuidString).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ruleSet = try #require(Compiler.compile(source: Self.rules).ruleSet)
        #expect(ruleSet.stateKeys.exactByAccount)

        let one = try audit(path, ruleSet: ruleSet, evaluators: 1)
        let split = try audit(path, ruleSet: ruleSet, evaluators: 3)
        #expect(one.summary.evaluation.hasPrefix("one thread"))
        #expect(split.summary.evaluation.hasPrefix("accounts split over 3 threads in"), "\(split.summary.evaluation)")
        #expect(split.summary.batches >= 4 && split.summary.batchesSplit == split.summary.batches)
        #expect(one.summary.late == 0 && one.summary.events == 16_000)
        #expect(split.decisions.count == one.decisions.count)
        #expect(split.decisions == one.decisions)
        // Penalties numbered in the order their events come, in the answers and in the ledger.
        #expect(split.penalties == one.penalties)
        #expect(one.penalties.count > 500)
        #expect(one.decisions.contains { $0.contains(#""rule":"penalty_in_force""#) })
        // The counters, the ledger and the invite graph.
        #expect(split.snapshot == one.snapshot)
        #expect(one.snapshot.contains(#""invites":{"#))

        // The same events decided by `check`, one at a time, in order.
        let engine = Engine(ruleSet: ruleSet)
        let checked = try lines.map { engine.check(try EventDecoder().decode(line: $0).event, now: 0).json }
        #expect(checked == one.decisions)
    }

    /// A dry run: two engines, each with its accounts split, each deciding as on one thread.
    @Test func aDryRunSplitsBothRuleSets() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-split-\(UUID().uuidString).jsonl").path
        try (events(9_000, seed: 5).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try #require(Compiler.compile(source: Self.rules).ruleSet)
        let new = try #require(Compiler.compile(source: Self.rules.replacingOccurrences(of: "> 2 score 50", with: "> 1 score 50")).ruleSet)
        func run(_ evaluators: Int) throws -> (AuditSummary, [[String]]) {
            var options = Auditor.Options()
            options.evaluators = evaluators
            options.splitAfter = 0
            var pairs: [[String]] = []
            let summary = try Auditor(engines: [Engine(ruleSet: old), Engine(ruleSet: new)], options: options)
                .run(paths: [path], onFinding: { pairs.append($0.decisions.map(\.json)) })
            return (summary, pairs)
        }
        let (oneSummary, one) = try run(1)
        let (splitSummary, split) = try run(2)
        #expect(splitSummary.batchesSplit == splitSummary.batches && splitSummary.batches >= 3)
        #expect(oneSummary.batchesSplit == 0)
        #expect(split == one)
        #expect(one.filter { $0[0] != $0[1] }.count > 100)
    }

    @Test func stateKeptByOtherKeysKeepsOneThreadAndSaysWhy() throws {
        let rules = Self.rules.replacingOccurrences(of: "delete_content(message)", with: "revoke_code(code)")
        let ruleSet = try #require(Compiler.compile(source: rules).ruleSet)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-split-\(UUID().uuidString).jsonl").path
        try (events(500, seed: 2).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try audit(path, ruleSet: ruleSet, evaluators: 2)
        #expect(run.summary.evaluation == "one thread, in event-time order (not split by account: penalties on code)")
        // A penalty on the inviter lands on another account.
        let inviter = try #require(
            Compiler.compile(source: Self.rules + "\nrule cut { on redeem when true penalty hold_reward(inviter) }\n").ruleSet)
        #expect(inviter.stateKeys.approximateByAccount == ["penalties on inviter"])
        // So does a penalty read on the inviter; one read on the event's own account does not.
        let reads = try #require(
            Compiler.compile(
                source: Self.rules
                    + "\nrule held { on redeem when active(restrict_send, inviter) or active(disable_generation, account) }\n"
            ).ruleSet)
        #expect(reads.stateKeys.approximateByAccount == ["penalties read on inviter"])
    }
}
