import WardenMatching

extension EngineState {
    /// Judges the event's stateless rules (`CompiledRuleSet.statelessRules`) as `judge` does,
    /// on the calling thread: an audit's reader threads, ahead of the evaluation in event-time
    /// order, which then only reads the outcomes. Rules run in the rule set's order, so a
    /// `fired()` of one stateless rule by another reads what it reads in `judge`.
    func judgeAhead(_ prepared: PreparedEvent, at ts: Double, ruleSet: CompiledRuleSet) -> [RuleOutcome] {
        let event = prepared.event
        let ctx = aheadContexts.take(
            event: event, matcher: ruleSet.matcher, now: min(ts, clock() + ruleSet.info.maxFuture), ruleCount: ruleSet.rules.count,
            counters: ruleSet.counters, prepared: prepared)
        defer { aheadContexts.give(ctx) }
        ctx.readRules(of: ruleSet, prepared: prepared)
        ctx.rules = ruleSet.rules
        let kindBit = event.type.bit
        var outcomes: [RuleOutcome] = []
        for rule in ruleSet.rules where rule.onMask & kindBit != 0 && ruleSet.statelessRules[rule.index] {
            if !ctx.evidence.isEmpty { ctx.evidence.removeAll(keepingCapacity: true) }
            let warned = ctx.warnings.count
            ctx.ruleIndex = rule.index
            let (holds, score) = Self.judgeRule(rule, ctx)
            if holds { ctx.fired[rule.index] = true }
            guard holds || ctx.warnings.count > warned else { continue }
            outcomes.append(
                RuleOutcome(
                    index: rule.index, holds: holds, score: score, evidence: holds ? ctx.evidence.map { $0.completed() } : [],
                    warnings: Array(ctx.warnings[warned...])))
        }
        return outcomes
    }
}
