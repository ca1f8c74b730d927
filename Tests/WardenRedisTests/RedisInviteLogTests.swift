import Foundation
import Testing
import WardenEngine
import WardenRedis
import WardenTestSupport

/// Two engines (as two servers would) building one invite graph through one real Redis: their
/// decisions are those of a single engine that saw every event.
@Suite(.serialized) struct RedisInviteLogTests {
    let server: RedisServer

    init() throws { server = try RedisServer() }

    static let rules = """
        ruleset shared
        rule chain { on redeem when invite_depth(account) >= 2 and issue_delay(inviter_of(account)) < 30m penalty hold_reward(account) }
        rule star { on redeem when redeemers(inviter_of(account), within: 1d) >= 3 and redeemer_devices(inviter_of(account), within: 1d) <= 1 }
        rule phone { on redeem when same_device_as_inviter(account) or siblings_on_device(account) >= 1 }
        rule early { on redeem when inviter_of(account) == "late_owner" }
        rule size { on issue when descendants(account) >= 2 }
        """

    func ruleSet() throws -> CompiledRuleSet { try #require(Compiler.compile(source: Self.rules).ruleSet) }

    /// Penalties are shared too (as RedisLedger shares them between servers), so decisions compare whole.
    let ledger = MemoryLedger()

    func shared(_ ruleSet: CompiledRuleSet) -> Engine {
        Engine(
            ruleSet: ruleSet, ledger: ledger,
            inviteLog: RedisInviteLog(pool: RedisPool(host: "127.0.0.1", port: server.port, timeout: 0.5), prefix: "t"))
    }

    static let t0 = 1_767_225_600.0

    /// Chains, a star on one phone, a redemption before its issue, and a second inviter.
    func events() -> [Event] {
        var out: [Event] = []
        func add(_ type: Event.Kind, _ account: String, _ code: String, _ t: Double, device: String) {
            var e = Event(id: "e\(out.count)", type: type, account: account, ts: Self.t0 + t)
            e.code = code
            e.device = device
            out.append(e)
        }
        add(.issue, "a0", "A0", 0, device: "p1")
        add(.redeem, "a1", "A0", 60, device: "p2")
        add(.issue, "a1", "A1", 90, device: "p2")
        add(.redeem, "a2", "A1", 150, device: "p1")
        add(.issue, "a2", "A2", 160, device: "p1")
        add(.redeem, "a3", "A2", 200, device: "p3")
        add(.redeem, "w", "LATE", 210, device: "p9")  // before LATE's issue
        add(.issue, "s0", "S0", 220, device: "s")
        for k in 1...4 { add(.redeem, "s\(k)", "S0", 220 + Double(k) * 30, device: "s") }
        add(.issue, "late_owner", "LATE", 400, device: "p8")
        add(.redeem, "w2", "LATE", 410, device: "p9")
        add(.redeem, "a3", "S0", 420, device: "p3")  // a3 already has an inviter
        add(.issue, "a0", "A0b", 430, device: "p1")
        return out
    }

    @Test func twoEnginesOnOneRedisDecideAsOneEngine() throws {
        let ruleSet = try ruleSet()
        let single = Engine(ruleSet: ruleSet)
        let (a, b) = (shared(ruleSet), shared(ruleSet))
        for (k, event) in events().enumerated() {
            let expected = single.check(event, now: 0)
            let got = (k % 2 == 0 ? a : b).check(event, now: 0)
            #expect(got.json == expected.json, "event \(k)")
            #expect(got.warnings.isEmpty)
        }
        #expect(a.inviteEdges == single.inviteEdges && b.inviteEdges == single.inviteEdges)
        // A third server that starts now reads the whole log.
        let c = shared(ruleSet)
        #expect(c.inviteEdges == single.inviteEdges)
        // Snapshots of every engine agree (the graph part included).
        let probe = { (e: Engine) in e.check(Event(id: "p", type: .issue, account: "a0", ts: Self.t0 + 500), now: 0, commit: false).json }
        #expect(probe(c) == probe(single) && probe(a) == probe(single))
        let restored = Engine(ruleSet: ruleSet)
        try restored.restore(snapshot: a.snapshot())
        #expect(probe(restored) == probe(single))
    }

    @Test func whenRedisIsDownTheGraphAnswersFromWhatItHasWithAWarning() throws {
        let ruleSet = try ruleSet()
        let a = shared(ruleSet)
        let all = events()
        for event in all.prefix(6) { _ = a.check(event, now: 0) }
        server.stop()
        let d = a.check(all[6], now: 0)
        #expect(d.warnings.contains { $0.hasPrefix("invite graph state unavailable") }, "\(d.warnings)")
        #expect(d.warnings.contains { $0.hasPrefix("invite graph change not shared") }, "\(d.warnings)")
        // What the engine had stays: a3 still sits three levels down.
        var probe = Event(id: "q", type: .redeem, account: "a3", ts: Self.t0 + 300)
        probe.code = "A2"
        #expect(a.check(probe, now: 0, commit: false).fired.map(\.rule).contains("chain"))
        try server.start()
    }
}
