import Synchronization
import WardenMatching

/// A few evaluation contexts to reuse, so an event costs no allocation of the context's arrays
/// (14 caches per field, the fired flags, counter values, …): a check takes one, resets it for
/// its event, and gives it back. Concurrent checks each get their own.
final class ContextPool: Sendable {
    private let free = Mutex<[EvaluationContext]>([])
    /// Contexts kept beyond this are let go (a burst of concurrency does not pin memory).
    static let capacity = 16

    func take(event: Event, matcher: KeywordMatcher, now: Double, ruleCount: Int, counters: [CounterSpec], prepared: PreparedEvent?)
        -> EvaluationContext
    {
        let ctx: EvaluationContext
        if let reused = free.withLock({ $0.popLast() }) {
            reused.reset(event: event, matcher: matcher, now: now, ruleCount: ruleCount, counters: counters, prepared: prepared)
            ctx = reused
        } else {
            ctx = EvaluationContext(event: event, matcher: matcher, now: now, ruleCount: ruleCount, counters: counters)
            if let prepared { ctx.adopt(prepared) }
        }
        return ctx
    }

    func give(_ ctx: EvaluationContext) {
        free.withLock { if $0.count < Self.capacity { $0.append(ctx) } }
    }
}
