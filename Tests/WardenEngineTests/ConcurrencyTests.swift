import Foundation
import Testing

@testable import WardenEngine

@Suite struct ConcurrencyTests {
    /// Many tasks checking events of the same account at once: every one is counted.
    @Test func concurrentChecksLoseNoUpdates() async throws {
        let (ruleSet, diagnostics) = Compiler.compile(
            source: """
                ruleset t
                rule many { on send when count(by: account, within: 1d) >= 0 }
                """)
        let engine = Engine(ruleSet: try #require(ruleSet, "\(diagnostics)"))
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for k in 0..<250 {
                        var e = Event(id: "w\(worker)-\(k)", type: .send, account: "shared", ts: 1_767_225_600 + Double(k))
                        e.text = "hi"
                        e.to = ["x"]
                        _ = engine.check(e, now: 0)
                    }
                }
            }
        }
        var last = Event(id: "last", type: .send, account: "shared", ts: 1_767_225_600 + 300)
        last.text = "hi"
        last.to = ["x"]
        let value = engine.check(last, now: 0).fired.first?.evidence.first { $0.kind == .count }?.value
        #expect(value == 2001)
    }

    /// 1,200 sends of one account spread over 8 tasks: exactly one penalty record (offense 1)
    /// is written, the 200 sends past the 1,000th each answer with it, and the other accounts
    /// checked at the same time count on their own.
    @Test func exactlyOnePenaltyAtTheThresholdUnderConcurrency() async throws {
        let (ruleSet, diagnostics) = Compiler.compile(
            source: """
                ruleset t
                rule flood {
                  on send
                  when count(by: account, within: 1d) > 1000
                  penalty restrict_send(account, 1h)
                }
                """)
        let compiled = try #require(ruleSet, "\(diagnostics)")
        // A race shows only sometimes; five rounds make a missing lock fail nearly always.
        for _ in 0..<5 {
            let engine = Engine(ruleSet: compiled)
            let firstFires = await withTaskGroup(of: Int.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var fires = 0
                        for k in 0..<150 {
                            for account in ["hot", "cold-\(worker)"] {
                                var e = Event(id: "w\(worker)-\(k)", type: .send, account: account, ts: 1_767_225_600)
                                e.text = "hi"
                                e.to = ["x"]
                                let d = engine.check(e, now: 0)
                                if account == "hot", d.penalties.contains(where: { $0.offense == 1 && $0.id != nil }) { fires += 1 }
                            }
                        }
                        return fires
                    }
                }
                return await group.reduce(0, +)
            }
            let records = engine.penalties
            #expect(records.count == 1)
            #expect(records.first?.target == "hot")
            #expect(records.first?.offense == 1)
            // Every send after the 1,000th fires the rule and answers with that one record.
            #expect(firstFires == 200)
            #expect(engine.counterKeyCount == 9)
        }
    }
}
