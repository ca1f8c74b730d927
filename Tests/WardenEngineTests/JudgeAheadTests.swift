import Foundation
import Testing
import WardenWire

@testable import WardenEngine

/// Rules that read only the event are judged ahead, on an audit's reader threads
/// (`Engine.prepare`); the evaluation in event-time order reads their outcomes. Whether a batch
/// is judged ahead changes from batch to batch with the load, so it must never change a decision.
@Suite struct JudgeAheadTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func compile(_ rules: String) throws -> CompiledRuleSet {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t version \"1\"\n" + rules)
        guard let ruleSet else {
            Issue.record("does not compile: \(diagnostics)")
            throw CancellationError()
        }
        return ruleSet
    }

    /// Anything that reads state, directly, through a let, through `fired()` or in the score,
    /// makes a rule stateful; text, fields and models do not.
    @Test func statelessRulesReadOnlyTheEvent() throws {
        let ruleSet = try compile(
            """
            let busy = count(by: account, within: 1h) > 2
            let spammy = text contains "spam"
            rule words { on send when text contains "x" and len(text) > 1 }
            rule pattern { on send when normalize(text) matches /红包/ or fingerprint(text) == "0" }
            rule rate { on send when count(by: account, within: 1h) > 2 }
            rule throughLet { on send when busy }
            rule textLet { on send when spammy }
            rule afterRate { on send when fired(rate) }
            rule afterWords { on send when fired(words) and subnet(ip, 24) == "10.0.0.0" }
            rule scored { on send when text contains "y" score count(by: device, within: 1d) }
            rule labelled { on send when has_label(account, "fraud") }
            rule penalised { on send when active(restrict_send, account) }
            rule deep { on redeem when invite_depth(account) > 3 }
            """)
        let byName = Dictionary(uniqueKeysWithValues: ruleSet.rules.map { ($0.name, ruleSet.statelessRules[$0.index]) })
        #expect(
            byName == [
                "words": true, "pattern": true, "rate": false, "throughLet": false, "textLet": true, "afterRate": false,
                "afterWords": true, "scored": false, "labelled": false, "penalised": false, "deep": false,
            ])
    }

    /// Every event of the sample log through the default rules: judged ahead, not judged ahead,
    /// and switching every few events (as an audit does with the load), the decisions are the
    /// same, byte for byte, with the evaluation's state carried from event to event.
    @Test func judgingAheadDecidesAsTheEvaluationInOrder() throws {
        let (compiled, diagnostics) = Compiler.compile(path: Self.root.appendingPathComponent("rules").path)
        let ruleSet = try #require(compiled, "\(diagnostics)")
        #expect(ruleSet.statelessRules.contains(true))
        #expect(ruleSet.statelessRules.contains(false))
        let log = try String(contentsOf: Self.root.appendingPathComponent("samples/events-10k.jsonl"), encoding: .utf8)
        let decoder = EventDecoder(requireTimestamp: true)
        let events = try log.split(separator: "\n").prefix(4000).map { try decoder.decode(line: String($0)).event }
        let engines = (0..<3).map { _ in Engine(ruleSet: ruleSet) }
        var judged = 0
        var fired = 0
        for (k, event) in events.enumerated() {
            let ahead = engines[0].prepare(event, judgingAhead: true)
            if let outcomes = ahead.outcomes {
                judged += 1
                fired += outcomes.filter { $0.holds }.count
            }
            let a = engines[0].check(ahead, now: event.ts!)
            let b = engines[1].check(engines[1].prepare(event, judgingAhead: false), now: event.ts!)
            let c = engines[2].check(engines[2].prepare(event, judgingAhead: k / 7 % 2 == 0), now: event.ts!)
            #expect(a.json == b.json, "event \(k + 1)")
            #expect(c.json == b.json, "event \(k + 1)")
        }
        #expect(judged > 3000)
        #expect(fired > 100)
    }

    /// What a rule judged ahead carries into the decision: its evidence, its score, the warnings
    /// of its patterns in rule order, `fired()` of it by a later rule (stateless or not), shadow
    /// mode and penalties.
    @Test func outcomesCarryEvidenceWarningsAndFired() throws {
        let ruleSet = try compile(
            """
            rule slow { on send when text matches /(a+)+$/ }
            rule base { on send when text contains "红包" score 40 penalty restrict_send(account, 1h) }
            rule also { on send when fired(base) and text contains "分享" score len(text) }
            rule rate { on send when fired(base) and count(by: account, within: 1h) >= 2 score 25 }
            rule trial { on send when text contains "分享" score 99 mode shadow }
            decide {
              block when score >= 100
              review when score >= 40
            }
            """)
        #expect(ruleSet.rules.map { ruleSet.statelessRules[$0.index] } == [true, true, true, false, true])
        let texts = [String(repeating: "a", count: 5000) + "!", "分享就领红包", "分享就领红包" + String(repeating: "a", count: 5000) + "!", "你好"]
        let ahead = Engine(ruleSet: ruleSet)
        let inOrder = Engine(ruleSet: ruleSet)
        for (k, text) in texts.enumerated() {
            var e = Event(id: "m\(k)", type: .send, account: "u\(k % 2)", ts: 1_767_225_600 + Double(k))
            e.text = text
            let prepared = ahead.prepare(e)
            #expect(prepared.outcomes != nil)
            let a = ahead.check(prepared, now: e.ts!)
            let b = inOrder.check(inOrder.prepare(e, judgingAhead: false), now: e.ts!)
            #expect(a.json == b.json, "\(k): \(a.json)\n\(b.json)")
        }
        var last = Event(id: "m9", type: .send, account: "u0", ts: 1_767_225_700)
        last.text = "分享就领红包aaaa" + String(repeating: "a", count: 5000) + "!"
        let d = ahead.check(ahead.prepare(last), now: last.ts!)
        #expect(d.warnings.count == 1)
        #expect(d.fired.map(\.rule).contains("also"))
        #expect(d.fired.first { $0.rule == "base" }?.evidence.map(\.kind) == [.keyword])
        #expect(d.shadow.map(\.rule) == ["trial"])
    }
}
