import Foundation
import Testing

@testable import WardenEngine

@Suite struct CounterTests {
    func engine(_ rules: String, timezone: String = "UTC") throws -> Engine {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t timezone \"\(timezone)\"\n" + rules)
        let compiled = try #require(ruleSet, "\(diagnostics)")
        return Engine(ruleSet: compiled)
    }

    func send(_ account: String, at t: Double, to: [String] = ["x"], text: String = "hi", n: Double? = nil) -> Event {
        var e = Event(id: "e", type: .send, account: account, ts: t)
        e.to = to
        e.text = text
        if let n { e.attrs["n"] = .number(n) }
        return e
    }

    /// The value a counter showed, read from the evidence of an always-true comparison.
    func value(_ d: Decision, _ rule: String) -> Double? {
        d.fired.first { $0.rule == rule }?.evidence.first { $0.kind == .count }?.value
    }

    static let epoch = 1_577_836_800.0

    /// Random streams (several keys, events late by up to the bound, gaps longer than the
    /// windows) against a model that keeps every event.
    @Test func agreesWithABruteForceModel() throws {
        let e = try engine(
            """
            rule c { on send when count(by: account, within: 1h) >= 0 }
            rule s { on send when sum(attrs.n, by: account, within: 10m) >= 0 }
            rule d { on send when distinct(to, by: account, within: 1h) >= 0 }
            rule p { on send when count(by: account, per: day) >= 0 }
            """, timezone: "Asia/Shanghai")
        var rng = SplitMix(seed: 42)
        var seen: [(account: String, t: Double, n: Double, to: [String])] = []
        var newest = 1_767_225_600.0
        for i in 0..<4000 {
            newest += rng.next() % 50 == 0 ? Double(rng.next() % 30_000) : Double(rng.next() % 90)
            let t = newest - Double(rng.next() % 601)
            let account = "k\(rng.next() % 5)"
            let n = Double(rng.next() % 10)
            let to = (0..<Int(rng.next() % 3 + 1)).map { _ in "r\(rng.next() % 200)" }
            seen.append((account, t, n, to))
            let decision = e.check(send(account, at: t, to: to, n: n), now: 0)
            func model(step: Double, span: Double, offset: Double = 0) -> [(account: String, t: Double, n: Double, to: [String])] {
                let start = ((t + offset - Self.epoch) / step).rounded(.down) - span + 1
                return seen.filter { $0.account == account && (($0.t + offset - Self.epoch) / step).rounded(.down) >= start }
            }
            let hour = model(step: 60, span: 60)
            #expect(value(decision, "c") == Double(hour.count), "event \(i)")
            #expect(value(decision, "s") == model(step: 10, span: 60).reduce(0) { $0 + $1.n }, "event \(i)")
            #expect(value(decision, "d") == Double(Set(hour.flatMap(\.to)).count), "event \(i)")
            // Calendar days in Asia/Shanghai (UTC+8, no DST): local midnight is 16:00 UTC.
            let days = seen.filter {
                $0.account == account && (($0.t + 28_800) / 86_400).rounded(.down) >= ((t + 28_800) / 86_400).rounded(.down)
            }
            #expect(value(decision, "p") == Double(days.count), "event \(i)")
        }
    }

    @Test func distinctIsExactPastAThousandAndWithinTwoPercentBeyondCapacity() throws {
        let e = try engine("rule d { on send when distinct(to, by: account, within: 1d) >= 0 }")
        var last = 0.0
        for i in 0..<100_000 {
            let d = e.check(send("big", at: 1_767_225_600 + Double(i) * 0.1, to: ["r\(i)"]), now: 0)
            last = value(d, "d") ?? -1
            if i == 1_499 { #expect(last == 1_500) }
        }
        #expect(abs(last - 100_000) / 100_000 < 0.02, "estimate \(last)")
    }

    @Test func countersCountWhateverTheRestOfTheConditionSays() throws {
        let e = try engine(
            """
            rule a { on send when text contains "go" and count(by: account, within: 1h) > 2 }
            rule b { on send when count(by: account, within: 1h) > 2 and text contains "go" }
            """)
        for k in 0..<3 { _ = e.check(send("u", at: 1_767_225_600 + Double(k), text: "no"), now: 0) }
        let d = e.check(send("u", at: 1_767_225_610, text: "go"), now: 0)
        #expect(d.fired.map(\.rule) == ["a", "b"])
        #expect(e.ruleSet.counters.count == 1)  // identical counters are one
    }

    @Test func whereFiltersAndListKeys() throws {
        let e = try engine(
            """
            rule personal { on issue when count(by: account, per: day, where: tier == "personal") > 1 }
            rule per_recipient { on send when count(by: to, within: 1h) > 1 }
            """)
        var issue = Event(id: "i", type: .issue, account: "u", ts: 1_767_225_600)
        issue.code = "C"
        issue.tier = "enterprise"
        _ = e.check(issue, now: 0)
        issue.tier = "personal"
        #expect(!e.check(issue, now: 0).fired("personal"))
        #expect(e.check(issue, now: 0).fired("personal"))
        _ = e.check(send("u1", at: 1_767_225_600, to: ["a", "b"]), now: 0)
        let d = e.check(send("u2", at: 1_767_225_601, to: ["b", "c"]), now: 0)
        #expect(d.fired("per_recipient"))
        #expect(d.fired[0].evidence[0].key?.map(\.1) == ["b"])
    }

    @Test func perDayResetsAtLocalMidnightInShanghai() throws {
        let e = try engine("rule quota { on send when count(by: account, per: day) > 2 }", timezone: "Asia/Shanghai")
        let beforeMidnight = Timestamp.parse("2026-01-01T15:59:00Z")!  // 23:59 in Shanghai
        for k in 0..<2 { #expect(!e.check(send("u", at: beforeMidnight + Double(k)), now: 0).fired("quota")) }
        #expect(e.check(send("u", at: beforeMidnight + 10), now: 0).fired("quota"))
        let d = e.check(send("u", at: Timestamp.parse("2026-01-01T16:00:00Z")!), now: 0)
        #expect(!d.fired("quota"))
    }

    /// A counter's identity comes from its tree: two spellings of one counter share its state.
    @Test func spellingsOfOneCounterShareIt() throws {
        let e = try engine(
            """
            rule a { on send when count(by: account, within: 1h) > 2 }
            rule b { on send when count( by:account,within:60m ) > 2 }
            """)
        for k in 0..<2 { _ = e.check(send("u", at: 1_767_225_600 + Double(k)), now: 0) }
        let d = e.check(send("u", at: 1_767_225_610), now: 0)
        #expect(d.fired("a") && d.fired("b"))
        #expect(e.ruleSet.counters.count == 1)
    }

    @Test func quietKeysAreDropped() throws {
        let e = try engine("rule c { on send when count(by: account, within: 1h) > 100 }")
        let n = CounterStore.sweepThreshold + 100
        for k in 0..<n { _ = e.check(send("u\(k)", at: 1_767_225_600 + Double(k) / 10), now: 0) }
        #expect(e.counterKeyCount == n)
        _ = e.check(send("late-comer", at: 1_767_225_600 + 3 * 3600), now: 0)
        #expect(e.counterKeyCount == 1)
    }

    /// Sweeping visits every shard under its lock, so a counter with few keys is left alone:
    /// its stale keys stay (bounded by the threshold) until it grows past it.
    @Test func smallCountersAreNotSwept() throws {
        let e = try engine("rule c { on send when count(by: account, within: 1h) > 100 }")
        for k in 0..<10 { _ = e.check(send("u\(k)", at: 1_767_225_600 + Double(k)), now: 0) }
        _ = e.check(send("late-comer", at: 1_767_225_600 + 3 * 3600), now: 0)
        #expect(e.counterKeyCount == 11)
    }
}

/// A small deterministic generator, so a failing stream can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
