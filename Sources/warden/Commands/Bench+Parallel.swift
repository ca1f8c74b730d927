import Foundation
import Synchronization
import WardenEngine

extension Bench {
    /// `check` from `threads` threads at once, in four setups on one build: one thread; many
    /// threads behind one global lock (how the engine behaved before its state was sharded);
    /// many threads on different accounts; many threads on the same accounts (contention on the
    /// same counter keys and penalty targets).
    func benchParallel() throws {
        let parsed = try sampleEvents()
        guard !parsed.isEmpty else { return }
        let ruleSet = try self.ruleSet.load()
        let one = run(ruleSet, parsed, threads: 1, serialize: false, sameAccounts: false)
        let locked = run(ruleSet, parsed, threads: threads, serialize: true, sameAccounts: false)
        let sharded = run(ruleSet, parsed, threads: threads, serialize: false, sameAccounts: false)
        let same = run(ruleSet, parsed, threads: threads, serialize: false, sameAccounts: true)
        Output.line(
            String(
                format:
                    "check, %d threads: 1 thread %.0f events/s; one global lock %.0f (%.2f×); different accounts %.0f (%.2f×); same accounts %.0f (%.2f×)",
                threads, one, locked, locked / one, sharded, sharded / one, same, same / one))
    }

    /// Events per second over `seconds`, all threads together. Each pass replays the samples a
    /// day later (the pass number is shared, so threads stay close in event time).
    private func run(_ ruleSet: CompiledRuleSet, _ parsed: [Event], threads: Int, serialize: Bool, sameAccounts: Bool) -> Double {
        let engine = Engine(ruleSet: ruleSet)
        let gate = Mutex(())
        let passes = Atomic<Int>(0)
        let total = Atomic<Int>(0)
        let first = parsed.compactMap(\.ts).min() ?? 0
        let deadline = Date().addingTimeInterval(seconds)
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var count = 0
            while Date() < deadline {
                let pass = passes.add(1, ordering: .relaxed).newValue
                for var event in parsed {
                    event.id += "-\(pass)"
                    event.ts = (event.ts ?? first) + Double(pass / threads) * 86_400
                    if !sameAccounts {
                        event.account += "#\(thread)"
                        event.code = event.code.map { $0 + "#\(thread)" }
                    }
                    if serialize {
                        gate.withLock { _ in _ = engine.check(event, now: event.ts ?? 0) }
                    } else {
                        _ = engine.check(event, now: event.ts ?? 0)
                    }
                    count += 1
                }
            }
            total.add(count, ordering: .relaxed)
        }
        return Double(total.load(ordering: .relaxed)) / Date().timeIntervalSince(start)
    }
}
