import Testing
import WardenEngine

/// Reward tiers (SPEC §9): which invitees qualify, which wait to come back, which are flagged,
/// through the built-ins and the account view.
@Suite struct RewardTierTests {
    static let rules = """
        ruleset t reward_tiers [1, 3, 5] reward_excludes ["farm"] reward_requires_return 24h
        rule bad_phone { on redeem when device == "bad" penalty review }
        rule banned { on send when text == "spam" penalty restrict_send(account, 7d) }
        rule q { on issue, redeem, send when true score qualified_invitees("lead") }
        rule f { on issue, redeem, send when true score flagged_invitees("lead") }
        rule level { on issue, redeem, send when true score reward_tier("lead") }
        decide { review when fired(bad_phone) }
        """
    static let t0 = 1_767_225_600.0
    static let hour = 3600.0

    func engine(_ source: String = RewardTierTests.rules) throws -> Engine {
        let (ruleSet, diagnostics) = Compiler.compile(source: source)
        guard let ruleSet else {
            Issue.record("does not compile: \(diagnostics)")
            throw CancellationError()
        }
        return Engine(ruleSet: ruleSet, review: MemoryReviewStore(), clock: { Self.t0 + 30 * 86_400 })
    }

    func event(_ type: Event.Kind, _ account: String, at hours: Double, code: String? = nil, device: String? = nil, text: String? = nil)
        -> Event
    {
        var e = Event(id: "\(type)-\(account)-\(hours)", type: type, account: account, ts: Self.t0 + hours * Self.hour)
        e.code = code
        e.device = device
        e.text = text
        if type == .send { e.to = ["x"] }
        return e
    }

    func scores(_ d: Decision) -> (q: Double?, f: Double?, tier: Double?) {
        let s = Dictionary(uniqueKeysWithValues: d.fired.map { ($0.rule, $0.score) })
        return (s["q"], s["f"], s["level"])
    }

    /// Five redeem; one on a flagged phone, one later banned; the others qualify only once
    /// they come back a day after redeeming (a send or an issue).
    @Test func inviteesQualifyWhenCleanAndBack() throws {
        let e = try engine()
        _ = e.check(event(.issue, "lead", at: 0, code: "LEAD0001"), now: 0)
        for (i, name) in ["a", "b", "c", "d"].enumerated() {
            #expect(e.check(event(.redeem, name, at: Double(i + 1), code: "LEAD0001", device: "p-\(name)"), now: 0).verdict == .allow)
        }
        #expect(e.check(event(.redeem, "x", at: 5, code: "LEAD0001", device: "bad"), now: 0).verdict == .review)
        // Back too soon: a send 2 hours after redeeming does not count.
        var d = e.check(event(.send, "a", at: 3, text: "hi"), now: 0)
        #expect(scores(d).q == 0 && scores(d).f == 1 && scores(d).tier == 0)
        d = e.check(event(.send, "a", at: 26, text: "hi"), now: 0)
        #expect(scores(d).q == 1 && scores(d).tier == 1)
        _ = e.check(event(.issue, "b", at: 27, code: "BBBB0001"), now: 0)
        _ = e.check(event(.send, "c", at: 28, text: "hi"), now: 0)
        // d's send counts as its return in its own evaluation; its restriction, recorded after,
        // flags it from the next event on.
        d = e.check(event(.send, "d", at: 29, text: "spam"), now: 0)
        #expect(scores(d).q == 4 && scores(d).f == 1 && scores(d).tier == 2)
        d = e.check(event(.send, "c", at: 30, text: "hi"), now: 0)
        #expect(scores(d).q == 3 && scores(d).f == 2 && scores(d).tier == 2)

        let view = try #require(e.account("lead", at: Self.t0 + 30 * Self.hour))
        let reward = try #require(view.invite?.reward)
        #expect(reward == RewardStanding(qualified: 3, pending: 0, flagged: 2, tier: 2))
        let json = view.jsonValue(at: Self.t0).text
        #expect(json.contains(#""qualified":3,"pending":0,"flagged":2,"tier":2"#))
        // The flagged redeemer shows in the downline; the banned one is penalized.
        let page = try #require(e.downline(of: "lead", depth: 1, limit: 10, at: Self.t0 + 30 * Self.hour))
        let status = Dictionary(uniqueKeysWithValues: page.entries.map { ($0.account, $0.status) })
        #expect(status == ["a": .ok, "b": .ok, "c": .ok, "d": .penalized, "x": .flagged])
        // Its review decision is in its recent list; an allowed one is not.
        #expect(e.account("x", at: Self.t0)?.recent.map(\.verdict) == [.review])
        #expect(e.account("a", at: Self.t0)?.recent.isEmpty == true)
    }

    /// A label of `reward_excludes` flags an invitee; a pending one waits; a snapshot keeps both.
    @Test func excludedLabelsPendingAndSnapshots() throws {
        let e = try engine()
        _ = e.check(event(.issue, "lead", at: 0, code: "LEAD0001"), now: 0)
        _ = e.check(event(.redeem, "a", at: 1, code: "LEAD0001", device: "p1"), now: 0)
        _ = e.check(event(.redeem, "b", at: 1, code: "LEAD0001", device: "p2"), now: 0)
        _ = e.check(event(.send, "a", at: 30, text: "hi"), now: 0)
        _ = e.check(event(.send, "b", at: 30, text: "hi"), now: 0)
        _ = e.check(event(.redeem, "c", at: 31, code: "LEAD0001", device: "bad"), now: 0)
        _ = e.check(event(.redeem, "p", at: 32, code: "LEAD0001", device: "p3"), now: 0)
        try e.review!.addLabel(EntityLabel(kind: .account, target: "b", label: "farm", expires: nil, reason: "test", by: "t", at: Self.t0))
        let at = Self.t0 + 40 * Self.hour
        #expect(e.account("lead", at: at)?.invite?.reward == RewardStanding(qualified: 1, pending: 1, flagged: 2, tier: 1))
        let restored = try engine()
        _ = try restored.restore(snapshot: e.snapshot())
        try restored.review!.addLabel(
            EntityLabel(kind: .account, target: "b", label: "farm", expires: nil, reason: "test", by: "t", at: Self.t0))
        #expect(restored.account("lead", at: at)?.invite?.reward == RewardStanding(qualified: 1, pending: 1, flagged: 2, tier: 1))
    }

    /// Without `reward_requires_return` a clean invitee qualifies at once; without tiers the
    /// tier is 0.
    @Test func headerDefaults() throws {
        let e = try engine("ruleset t\nrule q { on redeem when true score qualified_invitees(inviter_of(account)) }\n")
        _ = e.check(event(.issue, "lead", at: 0, code: "LEAD0001"), now: 0)
        _ = e.check(event(.redeem, "a", at: 1, code: "LEAD0001"), now: 0)
        let d = e.check(event(.redeem, "b", at: 2, code: "LEAD0001"), now: 0)
        #expect(d.fired.first?.score == 2)  // a, and b's own redemption
        #expect(e.account("lead", at: Self.t0)?.invite?.reward == RewardStanding(qualified: 2, pending: 0, flagged: 0, tier: 0))
    }

    /// The header is checked: tiers rise, labels are strings, the return is a real wait.
    @Test func badHeadersAreRefused() {
        for (header, message) in [
            ("reward_tiers [3, 1]", "each larger than the one before"), ("reward_tiers [1, \"x\"]", "whole invitee counts"),
            ("reward_tiers [1] reward_excludes [farm]", "label names in quotes"),
            ("reward_tiers [1] reward_requires_return 10s", "at least 1m"),
        ] {
            let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t \(header)\nrule r { on send when true }\n")
            #expect(ruleSet == nil, "\(header)")
            #expect(diagnostics.contains { $0.message.contains(message) }, "\(header): \(diagnostics.map(\.message))")
        }
        let (_, warnings) = Compiler.compile(source: "ruleset t reward_requires_return 1d\nrule r { on send when true }\n")
        #expect(warnings.contains { $0.message.contains("do nothing without reward_tiers") })
    }
}
