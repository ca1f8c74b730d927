import Foundation
import Testing

@testable import WardenEngine

/// What an audit that decides accounts side by side needs of the engine: sweeps held while a
/// batch runs, and penalty ids put back in the events' order.
@Suite struct SplitStateTests {
    static let rules = """
        ruleset t
        rule burst { on send when count(by: account, within: 1m) > 1 score 50 penalty restrict_send(account, 1h) }
        decide { review when score >= 50 }
        """

    func send(_ account: String, at t: Double, id: String = UUID().uuidString) -> Event {
        var e = Event(id: id, type: .send, account: account, ts: t)
        e.to = ["r"]
        e.text = "hi"
        return e
    }

    /// 5,000 keys make the counter worth sweeping; an event two hours ahead would sweep away the
    /// key of an account whose next event, behind it in time, must still find its first one.
    @Test func heldSweepsDropNoKeyAnEventBehindStillReads() throws {
        let ruleSet = try #require(Compiler.compile(source: Self.rules).ruleSet)
        for held in [true, false] {
            let engine = Engine(ruleSet: ruleSet)
            let t0 = 1_767_225_600.0
            for k in 0..<5_000 { _ = engine.check(send("u\(k)", at: t0 + Double(k % 50)), now: 0) }
            _ = engine.check(send("behind", at: t0 + 100), now: 0)
            engine.holdSweeps(held)
            _ = engine.check(send("ahead", at: t0 + 7_200), now: 0)
            let second = engine.check(send("behind", at: t0 + 130), now: 0)
            // Held, the second send finds the first (the one-at-a-time answer); swept, it does not.
            #expect(second.fired.map(\.rule) == (held ? ["burst"] : []))
            engine.holdSweeps(false)
            // Released, the held sweep runs: the keys past every window go.
            #expect(engine.counterKeyCount < 100)
        }
    }

    /// Penalties recorded side by side are numbered as their events come, in the answers (and
    /// in the evidence of a later event) and in the ledger.
    @Test func penaltiesAreRenumberedInTheEventsOrder() throws {
        let ruleSet = try #require(Compiler.compile(source: Self.rules).ruleSet)
        let t0 = 1_767_225_600.0
        let events = (0..<6).map { k in send(["a", "b", "c"][k % 3], at: t0 + Double(k), id: "e\(k)") }
        let inOrder = Engine(ruleSet: ruleSet)
        let expected = events.map { inOrder.check($0, now: 0) }
        #expect(expected.map { $0.penalties.compactMap(\.id) } == [[], [], [], ["p-1"], ["p-2"], ["p-3"]])
        // Decided apart: c first, then b, then a; then put back in the events' order.
        let apart = Engine(ruleSet: ruleSet)
        let mark = apart.penaltyMark
        var decided = [Decision?](repeating: nil, count: events.count)
        for k in [2, 5, 1, 4, 0, 3] { decided[k] = apart.checkApart(apart.prepare(events[k]), now: 0) }
        var decisions = decided.map { $0! }
        #expect(decisions[5].penalties.first?.id == "p-1")
        apart.renumberPenalties(from: mark, in: &decisions)
        #expect(decisions.map(\.json) == expected.map(\.json))
        #expect(apart.penalties == inOrder.penalties)
        // A later send of `a` is refused by the penalty in force, under its renumbered id.
        let later = apart.check(send("a", at: t0 + 10), now: 0)
        #expect(later.fired.first?.evidence.first?.penalty?.id == "p-1")
    }
}
