import Foundation
import Testing
import WardenAudit
import WardenEngine

@Suite struct AuditTests {
    static let rules = """
        ruleset t
        list w = ["刷单"]
        rule many { on send when count(by: account, within: 1h) > 5 score 60 penalty restrict_send(account, 1h) }
        rule fraud { on send when text contains any w score 80 penalty revoke_code(code) }
        rule wide { on send when distinct(to, by: account, within: 1h) > 3 score 50 }
        decide {
          block when score >= 100
          review when score >= 50
        }
        """

    func engine() throws -> Engine {
        Engine(ruleSet: try #require(Compiler.compile(source: Self.rules).ruleSet))
    }

    /// A stream of events in event-time order, no two at the same second (events with the same
    /// time keep their arrival order, so ties would make a shuffle change the answer).
    func events(_ n: Int, seed: UInt64) -> [String] {
        var rng = Xorshift(seed)
        var t = 1_767_225_600.0
        return (0..<n).map { i in
            t += Double(1 + rng.next() % 40)
            let account = "u\(rng.next() % 6)"
            let text = rng.next() % 15 == 0 ? "兼职刷单" : "你好"
            return
                #"{"id":"e\#(i)","type":"send","ts":\#(Int(t)),"account":"\#(account)","to":["r\#(rng.next() % 8)"],"text":"\#(text)","code":"C\#(rng.next() % 20)"}"#
        }
    }

    func write(_ lines: [String], _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-audit-\(UUID().uuidString)-\(name)").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func audit(_ paths: [String], lateness: Double = 600, strict: Bool = false, judgeAheadAfter: Int? = 4) throws -> (
        AuditSummary, [String: String]
    ) {
        var options = Auditor.Options()
        options.lateness = lateness
        options.strict = strict
        options.judgeAheadAfter = judgeAheadAfter
        var decisions: [String: String] = [:]
        let summary = try Auditor(engine: try engine(), options: options).run(
            paths: paths, onFinding: { decisions[$0.decision.id] = $0.decision.json })
        return (summary, decisions)
    }

    /// Whether the readers judge the stateless rules ahead (every batch, or none) changes no decision.
    @Test(arguments: [0, nil] as [Int?])
    func auditDecidesWhatCheckDecidesEvenWhenShuffledWithinTheBound(judgeAheadAfter: Int?) throws {
        let lines = events(3000, seed: 3)
        // check: one event at a time, in event-time order.
        let e = try engine()
        var expected: [String: String] = [:]
        for line in lines {
            let event = try EventDecoder().decode(line: line).event
            expected[event.id] = e.check(event, now: 0).json
        }
        // audit: the same events shuffled within blocks of 10, so each moves by at most 9
        // positions (at most 360 s of event time), well within the 10-minute bound.
        var shuffled: [String] = []
        var rng = Xorshift(9)
        for start in stride(from: 0, to: lines.count, by: 10) {
            var block = Array(lines[start..<min(start + 10, lines.count)])
            for i in stride(from: block.count - 1, to: 0, by: -1) { block.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            shuffled += block
        }
        #expect(shuffled != lines)
        let (summary, actual) = try audit([try write(shuffled, "shuffled.jsonl")], judgeAheadAfter: judgeAheadAfter)
        #expect(summary.late == 0)
        #expect(summary.events == 3000)
        #expect(actual == expected)
        #expect(summary.verdicts[.block, default: 0] > 0)
    }

    /// Invite chains and stars beside honest redemptions: the audit's invite graph (built in
    /// event-time order after the reorder) decides as `check` does, evidence included.
    @Test func theInviteGraphDecidesTheSameInAuditAndCheck() throws {
        let rules = """
            ruleset t
            rule chain { on redeem when invite_depth(account) >= 2 and issue_delay(inviter_of(account)) < 30m penalty hold_reward(account), review }
            rule star { on redeem when redeemers(inviter_of(account), within: 1d) >= 4 and redeemer_devices(inviter_of(account), within: 1d) <= 2 penalty revoke_code(code) }
            rule phone { on redeem when same_device_as_inviter(account) or siblings_on_device(account) >= 2 score 50 }
            decide { review when score >= 50 }
            """
        var rng = Xorshift(11)
        var t = 1_767_225_600
        var lines: [String] = []
        var codes: [String] = []
        for i in 0..<1500 {
            t += 1 + Int(rng.next() % 30)
            let device = "d\(rng.next() % 40)"
            if codes.isEmpty || rng.next() % 3 == 0 {
                let account = "a\(rng.next() % 300)"
                let code = "K\(i)"
                codes.append(code)
                lines.append(#"{"id":"e\#(i)","type":"issue","ts":\#(t),"account":"\#(account)","code":"\#(code)","device":"\#(device)"}"#)
            } else {
                let code = codes[Int(rng.next() % UInt64(min(codes.count, 12))) + max(0, codes.count - 12)]
                // Codes ending in 0 are farmed from two phones.
                let phone = code.hasSuffix("0") ? "s\(rng.next() % 2)" : device
                lines.append(
                    #"{"id":"e\#(i)","type":"redeem","ts":\#(t),"account":"a\#(rng.next() % 300)","code":"\#(code)","device":"\#(phone)"}"#)
            }
        }
        let ruleSet = try #require(Compiler.compile(source: rules).ruleSet)
        let e = Engine(ruleSet: ruleSet)
        var expected: [String: String] = [:]
        for line in lines {
            let event = try EventDecoder().decode(line: line).event
            expected[event.id] = e.check(event, now: 0).json
        }
        #expect(e.inviteEdges > 100)
        var shuffled: [String] = []
        for start in stride(from: 0, to: lines.count, by: 8) {
            shuffled += lines[start..<min(start + 8, lines.count)].reversed()
        }
        var decisions: [String: String] = [:]
        var report = ReportData()
        let audited = Engine(ruleSet: ruleSet)
        let summary = try Auditor(engine: audited, options: Auditor.Options())
            .run(
                paths: [try write(shuffled, "invites.jsonl")],
                onFinding: {
                    decisions[$0.decision.id] = $0.decision.json
                    report.add($0)
                })
        #expect(summary.late == 0)
        #expect(decisions == expected)
        // The report draws the trees, with the flagged redemptions' edges in red.
        let trees = audited.inviteTrees(flagged: report.flaggedRedeemers)
        #expect(!trees.largest.isEmpty && !trees.mostFlagged.isEmpty)
        #expect(trees.largest.first!.size >= trees.largest.last!.size)
        let html = HTMLReport.audit(summary, report, trees: trees)
        #expect(html.contains("<h2 id=invite-trees>") && html.contains("<svg class=tree") && html.contains("stroke='#c8553d'"))
        let fired = Set(expected.values.flatMap { json in ["chain", "star", "phone"].filter { json.contains(#""rule":"\#($0)""#) } })
        #expect(fired == ["chain", "star", "phone"])
    }

    @Test func badAndLateLinesAreReportedAndNothingElseIsLost() throws {
        var lines = events(200, seed: 4)
        lines.insert("not json", at: 10)
        lines.insert(#"{"id":"x","type":"send","account":"a","to":["b"],"text":"no time"}"#, at: 50)
        lines.insert(#"{"id":"late","type":"send","ts":1000,"account":"a","to":["b"],"text":"hi"}"#, at: 150)
        let path = try write(lines, "bad.jsonl")
        let (summary, decisions) = try audit([path])
        #expect(summary.badLines == 2)
        #expect(
            summary.badExamples == [
                "\(path):11:1: not valid JSON: unexpected character; expected a JSON value", "\(path):51: key 'ts': missing required key",
            ])
        #expect(summary.late == 1)
        #expect(summary.events == 201)
        #expect(decisions.count == 201)
        #expect(decisions["late"] != nil)
        #expect(throws: AuditError.self) { try audit([path], strict: true) }
    }

    /// A 1.2 MB line (never held whole), a line with a broken UTF-8 sequence and a JSON bomb are
    /// each reported with file, line and the exact reason; the 100 good events are decided.
    @Test func hostileLinesAreSkippedWithTheirReasonAndTheRestDecided() throws {
        var data = Data()
        let good = events(100, seed: 9)
        for (i, line) in good.enumerated() {
            data.append(contentsOf: Array(line.utf8) + [0x0A])
            switch i {
            case 19: data.append(contentsOf: Array(repeating: UInt8(ascii: "x"), count: 1_200_000) + [0x0A])
            case 39: data.append(contentsOf: Array(#"{"id":"u","text":""#.utf8) + [0xE5, 0x88] + Array(#""}"#.utf8) + [0x0A])
            case 59: data.append(contentsOf: Array(String(repeating: "[", count: 50_000).utf8) + [0x0A])
            default: break
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-hostile-\(UUID().uuidString).jsonl").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (summary, decisions) = try audit([path])
        #expect(
            summary.badExamples == [
                "\(path):21: event of 1200000 bytes; the limit is 1048576",
                "\(path):42: invalid UTF-8 at byte 18",
                "\(path):63:65: not valid JSON: JSON nested deeper than 64 levels",
            ])
        #expect(summary.badLines == 3)
        #expect(decisions.count == 100)
    }

    @Test func gzipAndCSVInputsDecideLikeJSONL() throws {
        let lines = events(500, seed: 5)
        let (_, plain) = try audit([try write(lines, "plain.jsonl")])
        // gzip, by content not by name
        let jsonl = try write(lines, "g.jsonl")
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-k", "-f", jsonl]
        try gz.run()
        gz.waitUntilExit()
        let (_, fromGzip) = try audit([jsonl + ".gz"])
        #expect(fromGzip == plain)
        // CSV with a header; `to` as a JSON array, text with a quoted comma
        var csv = ["id,type,ts,account,to,text,code"]
        for line in lines {
            let e = try EventDecoder().decode(line: line).event
            let text = e.text!.contains("刷单") ? "\"兼职刷单, 日结\"" : e.text!
            csv.append("\(e.id),send,\(Int(e.ts!)),\(e.account),\"[\"\"\(e.to![0])\"\"]\",\(text),\(e.code!)")
        }
        let (summary, fromCSV) = try audit([try write(csv, "events.csv")])
        #expect(summary.badLines == 0)
        #expect(fromCSV.count == plain.count)
        #expect(fromCSV.keys.sorted() == plain.keys.sorted())
        #expect(
            fromCSV.filter { $0.value.contains(#""decision":"block""#) }.count
                == plain.filter { $0.value.contains(#""decision":"block""#) }.count)
    }

    /// A CSV record whose quote never closes swallows lines only up to the event limit; it is
    /// reported, and the records after the swallowed part are still decided.
    @Test func anUnclosedCSVQuoteStopsAtTheLimit() throws {
        func row(_ id: String, _ text: String) -> String { "\(id),send,1767225600,u1,\"[\"\"r\"\"]\",\(text),C1" }
        var lines = ["id,type,ts,account,to,text,code", row("m1", "hi"), row("m2", "hi"), row("m3", "\"never closed")]
        lines += Array(repeating: String(repeating: "a", count: 1_000), count: 1_100)
        lines += [row("m4", "hi"), row("m5", "hi")]
        let path = try write(lines, "unclosed.csv")
        let (summary, decisions) = try audit([path])
        #expect(decisions.keys.sorted() == ["m1", "m2", "m4", "m5"])
        // Lines of 1,000 bytes (and a newline each) join the record until it passes the limit.
        let start = row("m3", "\"never closed").utf8.count
        let size = start + ((1_048_576 - start) / 1_001 + 1) * 1_001
        #expect(summary.badExamples.first == "\(path):4: CSV record of \(size) bytes (an unclosed quote?); the limit is 1048576")
    }

    @Test func penaltyOutboxRecordsCarryAnIdempotencyKey() throws {
        let e = try engine()
        var event = Event(id: "m1", type: .send, account: "a", ts: 1_767_225_600)
        event.text = "兼职刷单"
        event.to = ["b"]
        event.code = "CODE1"
        let changes = e.penaltyChanges(for: e.check(event, now: 0), event: event)
        // The same message the server's outbox delivers (one type, one key).
        #expect(
            changes.map(\.json) == [
                #"{"change":"recorded","idempotency_key":"p-1:recorded:forever","penalty":{"id":"p-1","action":"revoke_code","target":{"code":"CODE1"},"start":"2026-01-01T00:00:00Z","until":"forever","offense":1,"rule":"fraud","event":"m1"}}"#
            ])
        #expect(changes.first.map { $0.record.outboxMessage("recorded").body } == changes.first?.json)
    }

    /// A repeat offense extends the record: the outbox says so, with a key of its own.
    @Test func anExtensionIsItsOwnChange() throws {
        let e = try Engine(
            ruleSet: #require(
                Compiler.compile(
                    source: """
                        ruleset t
                        rule burst { on send when count(by: account, within: 1h) > 1 penalty restrict_send(account, escalate(1h, 1d)) }
                        """
                ).ruleSet))
        var changes: [PenaltyChange] = []
        for k in 0..<4 {
            var event = Event(id: "m\(k)", type: .send, account: "a", ts: 1_767_225_600 + Double(k) * 10)
            (event.text, event.to) = ("hi", ["b"])
            changes += e.penaltyChanges(for: e.check(event, now: 0), event: event)
        }
        // The second send records; each later one, while the penalty holds, extends it.
        #expect(changes.map(\.kind) == [.recorded, .extended, .extended])
        #expect(
            changes.map(\.idempotencyKey) == [
                "p-1:recorded:2026-01-01T01:00:10Z", "p-1:extended:2026-01-01T01:00:20Z", "p-1:extended:2026-01-01T01:00:30Z",
            ])
    }
}

struct Xorshift {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

@Suite struct DryRunTests {
    let t = AuditTests()

    func compare(_ baseline: String, _ current: String, _ path: String) throws -> DryRunReport {
        let old = Engine(ruleSet: try #require(Compiler.compile(source: baseline).ruleSet))
        let new = Engine(ruleSet: try #require(Compiler.compile(source: current).ruleSet))
        var report = DryRunReport()
        _ = try Auditor(engines: [old, new], options: Auditor.Options()).run(
            paths: [path],
            onFinding: {
                report.add(baseline: $0.decisions[0], current: $0.decisions[1], event: $0.event)
            })
        return report
    }

    @Test func aRuleSetAgainstItselfChangesNothing() throws {
        let path = try t.write(t.events(800, seed: 6), "same.jsonl")
        let report = try compare(AuditTests.rules, AuditTests.rules, path)
        #expect(report.events == 800)
        #expect(report.changed == 0)
        #expect(report.changedRules.isEmpty)
        #expect(report.newlyPenalized.isEmpty && report.freed.isEmpty)
        #expect(report.examples.isEmpty)
    }

    @Test func removingARuleShowsExactlyItsEffects() throws {
        let path = try t.write(t.events(800, seed: 7), "minus.jsonl")
        let without = AuditTests.rules.replacingOccurrences(
            of: "rule fraud { on send when text contains any w score 80 penalty revoke_code(code) }\n", with: "")
        #expect(without != AuditTests.rules)
        let report = try compare(AuditTests.rules, without, path)
        // Only the removed rule's hits change, and the enforcement of the codes it revoked …
        #expect(report.changedRules.map(\.0) == ["fraud", "penalty_in_force"])
        #expect(report.changedRules[0].2 == 0)
        #expect(report.changedRules[1].2 < report.changedRules[1].1)
        // … every changed decision is one where one of them fired, and verdicts only go down.
        let fraudHits = report.changedRules[0].1
        #expect(fraudHits > 0)
        #expect(report.changed > 0 && report.changed <= fraudHits + report.changedRules[1].1)
        for (from, row) in report.transitions {
            for (to, n) in row where n > 0 { #expect(to <= from, "\(from) → \(to)") }
        }
        #expect(
            report.examples.values.flatMap { $0 }.allSatisfy {
                ($0.baselineRules.contains("fraud") || $0.baselineRules.contains("penalty_in_force")) && !$0.currentRules.contains("fraud")
            })
    }
}
