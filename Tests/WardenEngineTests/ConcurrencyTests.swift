import Foundation
import Testing
@testable import WardenEngine

@Suite struct ConcurrencyTests {
    /// Many tasks checking events of the same account at once: every one is counted.
    @Test func concurrentChecksLoseNoUpdates() async throws {
        let (ruleSet, diagnostics) = Compiler.compile(source: """
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
}
