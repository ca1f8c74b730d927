import Foundation
import Testing
import WardenEngine
import WardenRedis
import WardenTestSupport

/// Two engines (as two servers would) counting together through one real Redis.
@Suite(.serialized) struct RedisCountersTests {
    let server: RedisServer

    init() throws { server = try RedisServer() }

    static let rules = """
        ruleset shared
        rule flood { on send when count(by: account, within: 1d) > 1000 }
        rule fanout { on send when distinct(to, by: account, within: 1d) > 50 }
        rule busy_day { on send when sum(attrs.n, by: account, per: day) >= 10 }
        """

    func engines() throws -> (Engine, Engine) {
        let ruleSet = try #require(Compiler.compile(source: Self.rules).ruleSet)
        let make = {
            Engine(
                ruleSet: ruleSet, counterBackend: RedisCounters(pool: RedisPool(host: "127.0.0.1", port: self.server.port, timeout: 0.5)))
        }
        return (make(), make())
    }

    func send(_ id: String, account: String, to: [String] = ["r"], at t: Double, n: Double? = nil) -> Event {
        var e = Event(id: id, type: .send, account: account, ts: t)
        e.text = "hi"
        e.to = to
        if let n { e.attrs["n"] = .number(n) }
        return e
    }

    @Test func theThousandAndFirstSendFiresOnEitherEngine() throws {
        let (a, b) = try engines()
        let t0 = 1_767_225_600.0
        for k in 0..<1000 {
            let d = (k % 2 == 0 ? a : b).check(send("m\(k)", account: "bot", at: t0 + Double(k)), now: 0)
            #expect(!d.fired.contains { $0.rule == "flood" }, "send \(k + 1)")
            #expect(d.warnings.isEmpty)
        }
        let last = b.check(send("m1000", account: "bot", at: t0 + 1000), now: 0)
        #expect(last.fired.contains { $0.rule == "flood" })
        // A dry run sees the 1,002nd but does not count it.
        #expect(a.check(send("dry", account: "bot", at: t0 + 1001), now: 0, commit: false).fired.contains { $0.rule == "flood" })
        let evidence = b.check(send("m1001", account: "bot", at: t0 + 1002), now: 0).fired.first { $0.rule == "flood" }?.evidence.first
        #expect(evidence?.value == 1002)
        // A day later the window has moved on.
        #expect(!a.check(send("next", account: "bot", at: t0 + 90_000), now: 0).fired.contains { $0.rule == "flood" })
    }

    @Test func theFiftyFirstDistinctRecipientFiresAndRepeatsDoNotCount() throws {
        let (a, b) = try engines()
        let t0 = 1_767_225_600.0
        for k in 0..<50 {
            let d = (k % 2 == 0 ? a : b).check(send("d\(k)", account: "spreader", to: ["r\(k)", "r\(k)"], at: t0 + Double(k)), now: 0)
            #expect(!d.fired.contains { $0.rule == "fanout" })
        }
        #expect(
            !a.check(send("again", account: "spreader", to: ["r0", "r49"], at: t0 + 60), now: 0).fired.contains { $0.rule == "fanout" })
        #expect(
            !a.check(send("dry", account: "spreader", to: ["r0"], at: t0 + 61), now: 0, commit: false).fired.contains {
                $0.rule == "fanout"
            })
        #expect(
            b.check(send("dry51", account: "spreader", to: ["r50"], at: t0 + 61), now: 0, commit: false).fired.contains {
                $0.rule == "fanout"
            })
        #expect(b.check(send("d50", account: "spreader", to: ["r50"], at: t0 + 62), now: 0).fired.contains { $0.rule == "fanout" })
    }

    @Test func sumsAndCalendarDaysAgreeAcrossEngines() throws {
        let (a, b) = try engines()
        let t0 = 1_767_225_600.0  // 2026-01-01T00:00:00Z
        #expect(!a.check(send("s1", account: "u", at: t0 + 10, n: 4), now: 0).fired.contains { $0.rule == "busy_day" })
        #expect(!b.check(send("s2", account: "u", at: t0 + 20, n: 5), now: 0).fired.contains { $0.rule == "busy_day" })
        #expect(a.check(send("s3", account: "u", at: t0 + 30, n: 1), now: 0).fired.contains { $0.rule == "busy_day" })
        #expect(!b.check(send("s4", account: "u", at: t0 + 86_400, n: 1), now: 0).fired.contains { $0.rule == "busy_day" })
    }

    @Test func whenRedisIsDownCountersReadZeroWithAWarningAndRecover() throws {
        let (a, _) = try engines()
        let t0 = 1_767_225_600.0
        for k in 0..<1000 { _ = a.check(send("m\(k)", account: "bot", at: t0 + Double(k)), now: 0) }
        server.stop()
        let down = a.check(send("down", account: "bot", at: t0 + 1000), now: 0)
        #expect(!down.fired.contains { $0.rule == "flood" })
        #expect(down.warnings.first?.hasPrefix("counter state unavailable: redis:") == true, "\(down.warnings)")
        #expect(down.warnings.last == "rules reading counters were skipped (on_state_error open)")
        #expect(down.verdict == .allow)
        try server.start()  // an empty Redis: the count starts again, and the engine works again
        let up = a.check(send("up", account: "bot", at: t0 + 1001), now: 0)
        #expect(up.warnings.isEmpty)
        #expect(up.fired.isEmpty)
    }

    /// Each policy with Redis down: open skips the rules that read counters (a rule that reads
    /// none still fires), closed reviews, block blocks; all say why.
    @Test(arguments: [("open", Verdict.allow), ("closed", .review), ("block", .block)])
    func theStateErrorPolicyDecides(policy: String, verdict: Verdict) throws {
        let source = """
            ruleset p on_state_error \(policy)
            rule few { on send when count(by: account, within: 1h) < 3 }
            rule word { on send when text contains "刷单" }
            """
        let ruleSet = try #require(Compiler.compile(source: source).ruleSet)
        let engine = Engine(
            ruleSet: ruleSet, counterBackend: RedisCounters(pool: RedisPool(host: "127.0.0.1", port: server.port, timeout: 0.5)))
        #expect(engine.check(send("up", account: "u", at: 1_767_225_600), now: 0).fired.map(\.rule) == ["few"])
        server.stop()
        var event = send("down", account: "u", at: 1_767_225_601)
        event.text = "刷单"
        let d = engine.check(event, now: 0)
        #expect(d.verdict == verdict)
        #expect(d.fired.map(\.rule) == ["word"])
        #expect(d.warnings.last == "rules reading counters were skipped (on_state_error \(policy))")
        try server.start()
    }

    @Test func anUnknownPolicyIsALintError() {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset p on_state_error sometimes\nrule r { on send when true }")
        #expect(ruleSet == nil)
        #expect(diagnostics.first?.message == "on_state_error is open, closed or block, not 'sometimes'")
    }

    /// A distinct key stops storing new values at the cap: 40,000 recipients in one event (a
    /// library caller; the decoder stops at 1,000) leave 32,768 values and the count there.
    @Test func distinctKeysStopAtTheCap() throws {
        let (a, _) = try engines()
        let d = a.check(send("spray", account: "sprayer", to: (0..<40_000).map { "r\($0)" }, at: 1_767_225_600), now: 0)
        let evidence = d.fired.first { $0.rule == "fanout" }?.evidence.first
        #expect(evidence?.value == Double(RedisCounters.distinctCap))
        let pool = RedisPool(host: "127.0.0.1", port: server.port, timeout: 1)
        guard case .array(let keys) = try pool.pipeline([["KEYS", "warden:c:*sprayer*"]])[0] else { throw RedisError("no keys") }
        let sizes = try keys.compactMap(\.string).map { try pool.pipeline([["HLEN", $0]])[0].int ?? 0 }
        #expect(sizes.max() == RedisCounters.distinctCap + 1)  // the values and the newest-step field
    }
}
