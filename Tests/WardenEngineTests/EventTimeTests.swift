import Foundation
import Testing
import WardenEngine

/// Issue 19, finding 1: one event with a future `ts` must not switch off rolling counters for
/// every account, nor answer a penalty that is not in force.
@Suite struct EventTimeTests {
    static let t0 = 1_767_225_600.0  // 2026-01-01
    /// The wall clock of these engines: a little after the events below.
    static let wall = t0 + 1000

    func engine(_ rules: String, header: String = "") throws -> Engine {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t \(header)\n" + rules)
        return Engine(ruleSet: try #require(ruleSet, "\(diagnostics)"), clock: { Self.wall })
    }

    func send(_ account: String, at t: Double, text: String = "hi") -> Event {
        var e = Event(id: "\(account)-\(t)", type: .send, account: account, ts: t)
        e.to = ["x"]
        e.text = text
        return e
    }

    static let burst = "rule burst { on send when count(by: account, within: 1m) >= 5 score 10 }"

    func bursts(_ e: Engine, _ account: String, from t: Double) -> Int {
        (0..<10).filter { i in e.check(send(account, at: t + Double(i)), now: t + Double(i)).fired.contains { $0.rule == "burst" } }.count
    }

    @Test func aFutureEventDoesNotSwitchOffOtherAccountsCounters() throws {
        let e = try engine(Self.burst)
        #expect(bursts(e, "a", from: Self.t0) == 6)
        let year9999 = try #require(Timestamp.parse("9999-01-01T00:00:00Z"))
        let d = e.check(send("attacker", at: year9999), now: Self.wall)
        #expect(d.warnings.contains { $0.contains("ahead of the clock") })
        #expect(bursts(e, "b", from: Self.t0 + 20) == 6)
        #expect(bursts(e, "c", from: Self.t0 + 600) == 6)
    }

    /// Within the bound too: an account 700 s ahead of another is not a reason to drop the
    /// other's events as late (lateness is per key).
    /// Times print as RFC 3339 whatever they are: four-digit years, and a value from a damaged
    /// store clamped to the years RFC 3339 has instead of trapping.
    @Test func timesPrintAsRFC3339() throws {
        let early = try #require(Timestamp.parse("0001-01-01T00:00:00Z"))
        #expect(Timestamp.format(early) == "0001-01-01T00:00:00Z")
        #expect(Timestamp.format(try #require(Timestamp.parse("0000-03-01T12:00:00Z"))) == "0000-03-01T12:00:00Z")
        #expect(Timestamp.format(1e300) == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.format(-1e300) == "0000-01-01T00:00:00Z")
        #expect(Timestamp.format(.nan) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.format(Self.t0) == "2026-01-01T00:00:00Z")
    }

    @Test func lateIsPerKey() throws {
        let e = try engine(Self.burst, header: "max_future 30m")
        _ = e.check(send("early-riser", at: Self.t0 + 700), now: Self.wall)
        #expect(bursts(e, "b", from: Self.t0) == 6)
    }

    @Test func futureErrorNamesTheKeyAndTheBound() throws {
        let e = try engine(Self.burst)
        let error = try #require(e.futureError(send("a", at: Self.wall + 3600), now: Self.wall))
        #expect(error.key == "ts")
        #expect(error.message.contains("1 h ahead of the clock") && error.message.contains("5m (the rule set's max_future)"))
        #expect(e.futureError(send("a", at: Self.wall + 299), now: Self.wall) == nil)
        #expect(e.futureError(send("a", at: Self.t0 - 86_400 * 365), now: Self.wall) == nil)  // the past is fine
        let wide = try engine(Self.burst, header: "max_future 1h")
        #expect(wide.futureError(send("a", at: Self.wall + 3000), now: Self.wall) == nil)
    }

    @Test func maxFutureIsBounded() {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t max_future 2h\n" + Self.burst)
        #expect(ruleSet == nil)
        #expect(diagnostics.contains { $0.message.contains("max_future is at most 1h") })
    }

    /// A penalty in an answer is in force now and listed, even when the event is ahead.
    @Test func aPenaltyStartsAtTheClock() throws {
        let e = try engine(#"rule fraud { on send when text contains "刷单" score 100 penalty revoke_code(code) }"#)
        var event = send("a", at: Self.wall + 200, text: "兼职刷单")
        event.code = "CODE1"
        let d = e.check(event, now: Self.wall)
        let p = try #require(d.penalties.first)
        #expect(e.penalties(targetKind: .code, target: "CODE1", inForceAt: Self.wall).map(\.id) == [p.id])
        var redeem = Event(id: "r", type: .redeem, account: "b", ts: Self.wall + 1)
        redeem.code = "CODE1"
        #expect(e.check(redeem, now: Self.wall + 1).verdict == .block)
    }
}

/// Issue 21: presence of a field, through `!= null` and `== null`.
@Suite struct NullPresenceTests {
    @Test func presenceOfAField() throws {
        let (ruleSet, diagnostics) = Compiler.compile(
            source: "ruleset t\nrule has_code { on send when code != null }\nrule no_device { on send when device == null }")
        let engine = Engine(ruleSet: try #require(ruleSet, "\(diagnostics)"))
        var e = Event(id: "m", type: .send, account: "a", ts: 1_767_225_600)
        e.to = ["b"]
        #expect(engine.check(e, now: 0).fired.map(\.rule) == ["no_device"])
        e.code = "CODE1"
        e.device = "phone"
        #expect(engine.check(e, now: 0).fired.map(\.rule) == ["has_code"])
    }
}
