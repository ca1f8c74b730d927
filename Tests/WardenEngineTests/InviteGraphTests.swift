import Foundation
import Testing
import WardenEngine

/// The invite graph's built-ins, through rules: each probe rule scores one built-in's value.
@Suite struct InviteGraphTests {
    static let probes = """
        rule depth { on issue, redeem when true score invite_depth(account) }
        rule size { on issue, redeem when true score descendants(account) }
        rule top_speed { on issue, redeem when true score descendants("root", within: 1h) }
        rule owner_redeemers { on redeem when true score redeemers(inviter_of(account), within: 1d) }
        rule owner_devices { on redeem when true score redeemer_devices(inviter_of(account), within: 1d) }
        rule owner_networks { on redeem when true score redeemer_networks(inviter_of(account), within: 1d) }
        rule by_root { on redeem when inviter_of(account) == "root" }
        rule same_device { on redeem when same_device_as_inviter(account) }
        rule same_network { on redeem when same_network_as_inviter(account) }
        rule sibling_devices { on redeem when true score siblings_on_device(account) }
        rule sibling_networks { on redeem when true score siblings_on_network(account) }
        rule delay { on issue when issue_delay(account) > 59s and issue_delay(account) < 61s }
        rule limited { on redeem when true score code_max_uses(code) }
        """

    static let t0 = 1_767_225_600.0

    func engine(retention: Double = Engine.defaultInviteRetention, lateness: Double = 600) throws -> Engine {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t\n" + Self.probes)
        guard let ruleSet else {
            Issue.record("does not compile: \(diagnostics)")
            throw CancellationError()
        }
        return Engine(ruleSet: ruleSet, lateness: lateness, inviteRetention: retention)
    }

    func issue(_ account: String, _ code: String, at t: Double, device: String? = nil, ip: String? = nil, maxUses: Double? = nil) -> Event {
        var e = Event(id: "i-\(account)-\(code)", type: .issue, account: account, ts: Self.t0 + t)
        e.code = code
        e.device = device
        e.ip = ip
        if let maxUses { e.attrs["max_uses"] = .number(maxUses) }
        return e
    }

    func redeem(_ account: String, _ code: String, at t: Double, device: String? = nil, ip: String? = nil, inviter: String? = nil) -> Event
    {
        var e = Event(id: "r-\(account)", type: .redeem, account: account, ts: Self.t0 + t)
        e.code = code
        e.device = device
        e.ip = ip
        e.inviter = inviter
        return e
    }

    /// Each probe's score (nil: the rule did not fire).
    func values(_ d: Decision) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: d.fired.map { ($0.rule, $0.score) })
    }

    /// root → a → b, root → c; a star of root's code; devices and networks chosen to share.
    func buildTree(_ e: Engine) -> [Decision] {
        [
            e.check(issue("root", "R1", at: 0, device: "phone-r", ip: "10.1.1.1"), now: 0),
            e.check(redeem("a", "R1", at: 60, device: "phone-a", ip: "10.1.1.2"), now: 0),
            e.check(issue("a", "A1", at: 120, device: "phone-a", ip: "10.1.1.2"), now: 0),
            e.check(redeem("b", "A1", at: 180, device: "phone-a", ip: "10.2.2.2"), now: 0),
            e.check(redeem("c", "R1", at: 240, device: "phone-a", ip: "10.3.3.3"), now: 0),
        ]
    }

    @Test func eachBuiltInReadsTheTree() throws {
        let e = try engine()
        let d = buildTree(e)
        let a = values(d[1])
        #expect(a["depth"] == 1)
        #expect(a["by_root"] != nil)
        #expect(a["owner_redeemers"] == 1)
        #expect(a["same_device"] == nil && a["same_network"] != nil)  // 10.1.1.0/24 as the root's issue
        #expect(values(d[2])["delay"] != nil)  // a redeemed at 60, issued at 120
        let b = values(d[3])
        #expect(b["depth"] == 2)
        #expect(b["top_speed"] == 2)
        #expect(b["same_device"] != nil)  // b redeemed on a's phone
        let c = values(d[4])
        #expect(c["owner_redeemers"] == 2 && c["owner_devices"] == 1 && c["owner_networks"] == 2)
        #expect(c["sibling_devices"] == 1 && c["sibling_networks"] == 0)  // a used phone-a too
        #expect(c["top_speed"] == 3)
        #expect(c["limited"] == 0)  // no max_uses: the probe scores null as 0, and code_overused stays quiet
        // The root's subtree, read on a later event of the root.
        let later = values(e.check(issue("root", "R2", at: 300, maxUses: 1), now: 0))
        #expect(later["size"] == 3)
        // Evidence: the path from the root, with times and devices.
        let evidence = d[3].fired.first { $0.rule == "same_device" }?.evidence.first
        #expect(evidence?.kind == .invite)
        #expect(evidence?.path?.map(\.account) == ["root", "a", "b"])
        #expect(evidence?.path?.last?.device == "phone-a")
        let json = d[3].json
        #expect(json.contains(#""builtin":"same_device_as_inviter","account":"b","path":[{"account":"root""#), "\(json)")
    }

    /// A star's figures, kept incrementally (invitees in order of joining, device and network
    /// counts per inviter), equal a brute-force count over the events so far, late events
    /// included.
    @Test func aStarsFiguresMatchABruteForceCount() throws {
        let e = try engine()
        _ = e.check(issue("root", "R1", at: 0, device: "phone-r", ip: "10.0.0.1"), now: 0)
        var rng = SystemRandomNumberGenerator()
        struct Joined {
            var t: Double
            var device: String
            var network: String
        }
        var bound: [Joined] = []
        var t = 100.0
        for k in 0..<400 {
            t += Double.random(in: 0...600, using: &rng)
            let at = t - (k % 7 == 0 ? Double.random(in: 0...500, using: &rng) : 0)  // some late
            let device = "d\(Int.random(in: 0..<25, using: &rng))"
            let network = "10.\(Int.random(in: 0..<9, using: &rng)).0.1"
            let d = e.check(redeem("x\(k)", "R1", at: at, device: device, ip: network), now: 0)
            let now = Self.t0 + at
            func second(_ x: Double) -> Int { Int((x - 1_577_836_800).rounded(.down)) }
            let inWindow = bound.filter { second(Self.t0 + $0.t) > second(now - 86_400) && second(Self.t0 + $0.t) <= second(now) }
            let subnet = network.split(separator: ".").prefix(3).joined(separator: ".") + ".0/24"
            let v = values(d)
            #expect(v["owner_redeemers"] == Double(inWindow.count + 1), "event \(k)")
            #expect(v["owner_devices"] == Double(Set(inWindow.map(\.device) + [device]).count), "event \(k)")
            #expect(v["owner_networks"] == Double(Set(inWindow.map(\.network) + [subnet]).count), "event \(k)")
            #expect(v["sibling_devices"] == Double(bound.filter { $0.device == device }.count), "event \(k)")
            #expect(v["sibling_networks"] == Double(bound.filter { $0.network == subnet }.count), "event \(k)")
            bound.append(Joined(t: at, device: device, network: subnet))
        }
        // The same after a snapshot restore (invitees sorted and counted again).
        let restored = try engine()
        _ = try restored.restore(snapshot: e.snapshot())
        let probe = redeem("last", "R1", at: t + 1, device: "d0", ip: "10.0.0.9")
        #expect(values(restored.check(probe, now: 0)) == values(e.check(probe, now: 0)))
    }

    /// A cycle longer than the depth paths are followed to is refused like a short one (the
    /// ancestor walk stopped at 64 and let a ring of 70 accounts close).
    @Test func aLongCycleDoesNotClose() throws {
        let e = try engine()
        _ = e.check(issue("a0", "C0", at: 0), now: 0)
        for k in 1..<70 {
            _ = e.check(redeem("a\(k)", "C\(k - 1)", at: Double(k * 10)), now: 0)
            _ = e.check(issue("a\(k)", "C\(k)", at: Double(k * 10 + 5)), now: 0)
        }
        let closing = values(e.check(redeem("a0", "C69", at: 1_000), now: 0))
        #expect(closing["depth"] == 0 && closing["by_root"] == nil)
        #expect(values(e.check(issue("a0", "C0B", at: 1_010), now: 0))["depth"] == 0)
    }

    /// Redemptions of a code nobody issued wait for its issue up to a cap: a hundred thousand,
    /// bound by one issue, made a star that slowed every redeem under the graph's lock.
    @Test func waitingRedemptionsOfOneCodeAreCapped() throws {
        let e = try engine()
        for k in 0..<1_200 { _ = e.check(redeem("w\(k)", "LATE1", at: Double(k)), now: 0) }
        _ = e.check(issue("boss", "LATE1", at: 1_300), now: 0)
        let next = values(e.check(redeem("after", "LATE1", at: 1_400), now: 0))
        #expect(next["owner_redeemers"] == 1_001)
    }

    @Test func maxUsesComesFromTheIssueEvent() throws {
        let e = try engine()
        _ = e.check(issue("o", "ONE", at: 0, maxUses: 1), now: 0)
        #expect(values(e.check(redeem("x", "ONE", at: 10), now: 0))["limited"] == 1)
    }

    @Test func aRedemptionBeforeItsIssueBindsWhenTheIssueComes() throws {
        let e = try engine()
        let early = values(e.check(redeem("a", "R1", at: 60, device: "p"), now: 0))
        #expect(early["by_root"] == nil && early["depth"] == 0)
        _ = e.check(issue("root", "R1", at: 0, device: "p"), now: 0)
        #expect(e.inviteEdges == 1)
        let next = values(e.check(redeem("b", "R1", at: 120, device: "p"), now: 0))
        #expect(next["owner_redeemers"] == 2 && next["sibling_devices"] == 1 && next["same_device"] != nil)
        let (_, trace) = e.explain(redeem("z", "R1", at: 130, device: "q"), now: 0, commit: false)
        #expect(trace.text.contains("invite path: root (2026-01-01T00:00:00Z, p) → z (2026-01-01T00:02:10Z, q)"), "\(trace.text)")
    }

    @Test func lateEventsLandAtTheirTime() throws {
        let e = try engine()
        _ = e.check(issue("root", "R1", at: 0), now: 0)
        // Joins at 4000 and, arriving later but within the lateness bound, 3700 and 100.
        _ = e.check(redeem("x", "R1", at: 4000), now: 0)
        _ = e.check(redeem("y", "R1", at: 3700), now: 0)
        _ = e.check(redeem("w", "R1", at: 100), now: 0)
        // At 4100, the last hour holds x and y, not w.
        let v = values(e.check(redeem("z", "R1", at: 4100), now: 0))
        #expect(v["top_speed"] == 3)  // x, y and z itself
        #expect(v["owner_redeemers"] == 4)
    }

    @Test func dryRunsReadWhatACommitWould() throws {
        let e = try engine()
        _ = buildTree(e)
        let probe = redeem("d", "A1", at: 300, device: "phone-a")
        let dry = e.check(probe, now: 0, commit: false)
        #expect(e.inviteEdges == 3)
        let real = e.check(probe, now: 0)
        #expect(e.inviteEdges == 4)
        #expect(dry.json == real.json)
    }

    @Test func noSelfInvitesNoSecondInviterNoCycles() throws {
        let e = try engine()
        _ = buildTree(e)
        _ = e.check(issue("b", "B1", at: 300), now: 0)
        _ = e.check(redeem("b", "B1", at: 310), now: 0)  // its own code
        _ = e.check(redeem("a", "B1", at: 320), now: 0)  // a is above b
        _ = e.check(redeem("b", "R1", at: 330), now: 0)  // b already has an inviter
        #expect(e.inviteEdges == 3)
        #expect(values(e.check(redeem("q", "B1", at: 340), now: 0))["depth"] == 3)
    }

    @Test func retentionForgetsQuietAccounts() throws {
        let e = try engine(retention: 86_400, lateness: 0)
        _ = buildTree(e)
        #expect(e.inviteEdges == 3)
        // Two days later, only the new pair is left.
        _ = e.check(issue("n", "N1", at: 2 * 86_400), now: 0)
        _ = e.check(redeem("m", "N1", at: 2 * 86_400 + 10), now: 0)
        #expect(e.inviteEdges == 1)
        #expect(values(e.check(redeem("late", "R1", at: 2 * 86_400 + 20), now: 0))["by_root"] == nil)
    }

    @Test func theRuleSetSetsTheRetention() throws {
        let ruleSet = try #require(Compiler.compile(source: "ruleset t invite_retention 1d\n" + Self.probes).ruleSet)
        let e = Engine(ruleSet: ruleSet, lateness: 0)
        _ = buildTree(e)
        _ = e.check(issue("n", "N1", at: 2 * 86_400), now: 0)
        #expect(e.inviteEdges == 0)
        let (none, diagnostics) = Compiler.compile(source: "ruleset t invite_retention 30m\n" + Self.probes)
        #expect(none == nil)
        #expect(diagnostics.contains { $0.message == "invite_retention is at least 1h" })
    }

    /// A snapshot whose penalties or invite graph are damaged is refused whole, with the reason.
    @Test func damagedSnapshotsAreRefusedWithTheReason() throws {
        let e = try engine()
        func reason(_ text: String) -> String? {
            do {
                try e.restore(snapshot: text)
                return nil
            } catch {
                return error.message
            }
        }
        let head = #"{"format":"warden-state/1","ruleset":"x","counters":[],"#
        let penalty =
            #"{"id":"p-1","action":"ban","target_kind":"account","target":"u","start":1,"forever":false,"offense":1,"rule":"r","event":"e"}"#
        #expect(reason(head + #""penalties":[\#(penalty)]}"#) == "penalty p-1: unknown action 'ban'")
        #expect(
            reason(head + #""penalties":[],"invites":{"accounts":[{"inviter":"a"}],"codes":[]}}"#) == "an invite account needs 'account'")
        #expect(
            reason(head + #""penalties":[],"invites":{"accounts":[{"account":"b","inviter":"a"}],"codes":[]}}"#)
                == "invite account b: an inviter needs 'joined'")
        let cycle = #"[{"account":"a","inviter":"b","joined":1},{"account":"b","inviter":"a","joined":2}]"#
        #expect(
            reason(head + #""penalties":[],"invites":{"accounts":\#(cycle),"codes":[]}}"#)
                == "invite account b: a second inviter or a cycle")
        #expect(reason(head + #""penalties":[],"invites":{"accounts":[]}}"#) == "the invite graph needs 'accounts' and 'codes' arrays")
        // A snapshot from before the graph has none, and restores.
        #expect(reason(head + #""penalties":[]}"#) == nil)
    }

    @Test func aSnapshotCarriesTheGraph() throws {
        let e = try engine()
        _ = buildTree(e)
        _ = e.check(redeem("early", "LATER", at: 250), now: 0)  // waits for its issue
        let restored = try engine()
        try restored.restore(snapshot: e.snapshot())
        #expect(restored.inviteEdges == 3)
        #expect(restored.snapshot() == e.snapshot())
        for probe in [
            redeem("d", "A1", at: 300, device: "phone-a", ip: "10.1.1.9"), issue("c", "C1", at: 310), issue("root", "LATER", at: 320),
        ] {
            #expect(restored.check(probe, now: 0).json == e.check(probe, now: 0).json)
        }
        #expect(restored.inviteEdges == 5 && e.inviteEdges == 5)  // d, and early once LATER was issued
    }

    /// The account view's counts: a root that later redeems brings its subtree along, and a
    /// snapshot gives the same figures.
    @Test func descendantCountsFollowEdgesAndSnapshots() throws {
        let e = try engine()
        _ = buildTree(e)  // root → a → b, root → c
        _ = e.check(issue("z", "Z1", at: 300), now: 0)
        _ = e.check(redeem("y", "Z1", at: 310), now: 0)
        _ = e.check(issue("y", "Y1", at: 320), now: 0)
        _ = e.check(redeem("x", "Y1", at: 330), now: 0)  // z → y → x
        #expect(e.account("root", at: Self.t0)?.invite?.descendants == 3)
        _ = e.check(issue("c", "C1", at: 340), now: 0)
        _ = e.check(redeem("z", "C1", at: 350), now: 0)  // z (with y, x) joins below c
        #expect(e.account("root", at: Self.t0)?.invite?.descendants == 6)
        #expect(e.account("c", at: Self.t0)?.invite?.descendants == 3)
        #expect(e.account("a", at: Self.t0)?.invite?.descendants == 1)
        let restored = try engine()
        _ = try restored.restore(snapshot: e.snapshot())
        for name in ["root", "a", "c", "z", "y", "x"] {
            #expect(
                restored.account(name, at: Self.t0)?.invite?.descendants == e.account(name, at: Self.t0)?.invite?.descendants, "\(name)")
        }
    }
}
