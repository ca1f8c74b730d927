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
        let lifted = e.lift(id: id, reason: "appeal accepted", at: t0 + 20)
        #expect(lifted?.lifted?.reason == "appeal accepted")
        #expect(e.check(send("hi", at: t0 + 30), now: 0).verdict == .allow)
        #expect(e.penalties.count == 1)  // recorded, not erased
        // A lifted penalty does not count as an offense.
        #expect(e.check(send("spam", at: t0 + 40), now: 0).penalties.first?.offense == 1)
        #expect(e.lift(id: "p-999", reason: "x", at: t0) == nil)
    }

    @Test func revokedCodesBlockSendsAndRedeemsAndDisabledGenerationBlocksIssues() throws {
        let e = try engine("""
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
        let e = try engine("rule spam { on send when text contains \"spam\" and count(by: account, within: 1h) >= 1 penalty restrict_send(account, 1d) }")
        let preview = e.check(send("spam", at: t0), now: 0, commit: false)
        #expect(preview.penalties.count == 1)
        #expect(e.penalties.isEmpty)
        #expect(e.counterKeyCount == 0)
        #expect(e.check(send("hi", at: t0 + 1), now: 0).verdict == .allow)
    }
}
