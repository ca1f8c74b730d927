import Testing

@testable import WardenEngine

@Suite struct LedgerTests {
    let t0 = 1_767_225_600.0

    func engine(_ rules: String) throws -> Engine {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t\n" + rules)
        return Engine(ruleSet: try #require(ruleSet, "\(diagnostics)"))
    }

    func send(_ text: String, at t: Double, account: String = "u", code: String? = nil) -> Event {
        var e = Event(id: "m\(Int(t))", type: .send, account: account, ts: t)
        e.to = ["x"]
        e.text = text
        e.code = code
        return e
    }

    @Test func escalationExtensionAndExpiry() throws {
        let e = try engine("rule spam { on send when text contains \"spam\" penalty restrict_send(account, escalate(1d, 7d)) }")
        let first = e.check(send("spam", at: t0), now: 0)
        #expect(first.penalties.map(\.offense) == [1])
        #expect(first.penalties[0].until == t0 + 86_400)
        // In force: blocked, and firing again opens no new offense; the end moves out.
        let again = e.check(send("spam", at: t0 + 3600), now: 0)
        #expect(again.verdict == .block)
        #expect(again.fired.map(\.rule) == ["penalty_in_force", "spam"])
        #expect(again.penalties.map(\.offense) == [1])
        #expect(again.penalties[0].until == t0 + 3600 + 86_400)
        // A day after the extended end it has expired: the next offense is the second, 7 days.
        #expect(e.check(send("hello", at: t0 + 3600 + 86_400), now: 0).verdict == .allow)
        let second = e.check(send("spam", at: t0 + 2 * 86_400), now: 0)
        #expect(second.penalties.map(\.offense) == [2])
        #expect(second.penalties[0].until == t0 + 2 * 86_400 + 7 * 86_400)
        // The last step repeats.
        let third = e.check(send("spam", at: t0 + 10 * 86_400), now: 0)
        #expect(third.penalties.map(\.offense) == [3])
        #expect(third.penalties[0].until == t0 + 17 * 86_400)
        #expect(e.penalties.count == 3)
    }

    @Test func liftingIsRecordedAndEndsEnforcement() throws {
        let e = try engine("rule spam { on send when text contains \"spam\" penalty restrict_send(account, escalate(1d, 7d)) }")
        let id = try #require(e.check(send("spam", at: t0), now: 0).penalties.first?.id)
        #expect(e.check(send("hi", at: t0 + 10), now: 0).verdict == .block)
        let lifted = try e.lift(id: id, reason: "appeal accepted", at: t0 + 20)
        #expect(lifted?.lifted?.reason == "appeal accepted")
        #expect(e.check(send("hi", at: t0 + 30), now: 0).verdict == .allow)
        #expect(e.penalties.count == 1)  // recorded, not erased
        // A lifted penalty does not count as an offense.
        #expect(e.check(send("spam", at: t0 + 40), now: 0).penalties.first?.offense == 1)
        #expect(try e.lift(id: "p-999", reason: "x", at: t0) == nil)
    }

    @Test func revokedCodesBlockSendsAndRedeemsAndDisabledGenerationBlocksIssues() throws {
        let e = try engine(
            """
            rule fraud { on send when text contains "刷单" penalty revoke_code(code), disable_generation(account, 1d) }
            rule watch { on redeem when active(revoke_code, code) score 5 }
            """)
        _ = e.check(send("刷单", at: t0, code: "AB12CD34"), now: 0)
        var redeem = Event(id: "r", type: .redeem, account: "new", ts: t0 + 5)
        redeem.code = "AB12CD34"
        let r = e.check(redeem, now: 0)
        #expect(r.verdict == .block)
        #expect(r.fired.map(\.rule) == ["penalty_in_force", "watch"])
        #expect(r.json.contains(#"{"kind":"penalty","action":"revoke_code","target":{"code":"AB12CD34"},"until":"forever","id":"p-1"}"#))
        var issue = Event(id: "i", type: .issue, account: "u", ts: t0 + 6)
        issue.code = "NEWCODE123"
        #expect(e.check(issue, now: 0).verdict == .block)
        issue.ts = t0 + 86_400
        #expect(e.check(issue, now: 0).verdict == .allow)
        #expect(e.check(send("hi", at: t0 + 7, account: "other", code: "AB12CD34"), now: 0).verdict == .block)
    }

    @Test func dryRunChangesNothing() throws {
        let e = try engine(
            "rule spam { on send when text contains \"spam\" and count(by: account, within: 1h) >= 1 penalty restrict_send(account, 1d) }")
        let preview = e.check(send("spam", at: t0), now: 0, commit: false)
        #expect(preview.penalties.count == 1)
        #expect(e.penalties.isEmpty)
        #expect(e.counterKeyCount == 0)
        #expect(e.check(send("hi", at: t0 + 1), now: 0).verdict == .allow)
    }
}

@Suite struct SnapshotTests {
    @Test func aRestoredEngineDecidesLikeOneThatNeverStopped() throws {
        let rules = """
            ruleset t
            rule many { on send when count(by: account, within: 1h) > 20 penalty restrict_send(account, escalate(1h, 1d)) }
            rule wide { on send when distinct(to, by: account, within: 1h) > 15 score 10 }
            rule daily { on send when sum(attrs.n, by: account, per: day) > 100 score 5 }
            """
        let ruleSet = try #require(Compiler.compile(source: rules).ruleSet)
        var rng = SplitMix(seed: 7)
        let events: [Event] = (0..<600).map { i in
            var e = Event(id: "e\(i)", type: .send, account: "u\(rng.next() % 3)", ts: 1_767_225_600 + Double(i) * 20)
            e.to = ["r\(rng.next() % 30)"]
            e.text = "hi"
            e.attrs["n"] = .number(Double(rng.next() % 5))
            return e
        }
        let straight = Engine(ruleSet: ruleSet)
        let expected = events.map { straight.check($0, now: 0).json }
        var first = Engine(ruleSet: ruleSet)
        var actual: [String] = []
        for (i, e) in events.enumerated() {
            if i % 150 == 149 {
                let text = first.snapshot()
                first = Engine(ruleSet: ruleSet)
                #expect(try first.restore(snapshot: text) == 0)
            }
            actual.append(first.check(e, now: 0).json)
        }
        #expect(actual == expected)
        #expect(!straight.penalties.isEmpty)
    }

    @Test func badSnapshotsAreRefusedWithAReason() throws {
        let engine = Engine(ruleSet: try #require(Compiler.compile(source: "ruleset t").ruleSet))
        #expect(throws: SnapshotError.self) { try engine.restore(snapshot: "{") }
        #expect(throws: SnapshotError.self) { try engine.restore(snapshot: #"{"format":"other"}"#) }
        let other = try #require(Compiler.compile(source: "ruleset t\nrule c { on send when count(by: account, within: 1h) > 1 }").ruleSet)
        let source = Engine(ruleSet: other)
        var e = Event(id: "x", type: .send, account: "a", ts: 1_767_225_600)
        e.to = []
        e.text = ""
        _ = source.check(e, now: 0)
        #expect(try engine.restore(snapshot: source.snapshot()) == 1)
    }

    /// Numbers no server writes (a damaged or hand-made snapshot) are refused with a reason:
    /// they trapped (SIGILL) where they became integers.
    @Test func outOfRangeNumbersAreRefusedNotTrappedOn() throws {
        let source = """
            ruleset t
            rule c { on send when count(by: account, within: 1h) > 100 }
            rule d { on send when distinct(to, by: account, within: 1h) > 100 }
            """
        let ruleSet = try #require(Compiler.compile(source: source).ruleSet)
        let writer = Engine(ruleSet: ruleSet)
        var e = Event(id: "x", type: .send, account: "a", ts: 1_767_225_600)
        e.to = ["r"]
        e.text = "hi"
        _ = writer.check(e, now: 0)
        let good = writer.snapshot()
        #expect(try Engine(ruleSet: ruleSet).restore(snapshot: good) == 0)
        let damaged = [
            (#""buckets":\[\[[0-9]+"#, #""buckets":[[1e10"#),
            (#""level":0"#, #""level":1e30"#),
            (#""values":\[\["([0-9a-f]+)",[0-9]+"#, #""values":[["$1",1e10"#),
        ]
        for (pattern, replacement) in damaged {
            let text = good.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
            #expect(text != good, "\(pattern) is in the snapshot")
            #expect(throws: SnapshotError.self) { try Engine(ruleSet: ruleSet).restore(snapshot: text) }
        }
        // A penalty id at the end of Int's range does not overflow the next id.
        let records =
            #""penalties":[{"id":"p-9223372036854775807","action":"restrict_send","target_kind":"account","target":"a","start":1767225600,"forever":true,"offense":1,"rule":"c","event":"x"}]"#
        let withID = good.replacingOccurrences(of: #""penalties":\[\]"#, with: records, options: .regularExpression)
        #expect(withID != good)
        #expect(try Engine(ruleSet: ruleSet).restore(snapshot: withID) == 0)
    }

    /// 10^5 buckets of one key restore in one pass (a copy per bucket took 21 s).
    @Test func manyBucketsOfOneKeyRestore() throws {
        let ruleSet = try #require(
            Compiler.compile(source: "ruleset t\nrule c { on send when count(by: account, within: 1h) > 3 }").ruleSet)
        let buckets = (0..<100_000).map { "[\($0),1]" }.joined(separator: ",")
        let text =
            #"{"format":"warden-state/1","ruleset":"x","counters":[{"id":"count||account|1h||send","keys":[{"key":"a","buckets":["#
            + buckets
            + #"]}]}],"penalties":[]}"#
        let engine = Engine(ruleSet: ruleSet)
        #expect(try engine.restore(snapshot: text) == 0)
        #expect(engine.counterKeyCount == 1)
    }
}
