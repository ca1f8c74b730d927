import WardenMatching

/// Scores events with a compiled rule set.
///
/// Evaluation order for one event: every rule whose `on` lists the event's type runs in
/// dependency order (a rule read through `fired()` runs first); a rule fires when its `when` is
/// true; the scores of firing enforced rules add up; the first `decide` line that holds picks
/// the verdict (otherwise `allow`); `review`, `challenge` and `reject` penalties of firing
/// enforced rules can only raise it. Shadow rules (and accounts outside a rule's rollout) are
/// evaluated and reported under `shadow`, and change nothing else.
public struct Engine: Sendable {
    public let ruleSet: CompiledRuleSet

    public init(ruleSet: CompiledRuleSet) {
        self.ruleSet = ruleSet
    }

    /// Decides one event. `now` is used when the event has no `ts`.
    public func check(_ event: Event, now: Double) -> Decision {
        let time = event.ts ?? now
        let ctx = EvaluationContext(event: event, matcher: ruleSet.matcher, now: time, ruleCount: ruleSet.rules.count)
        var fired: [Decision.FiredRule] = []
        var shadow: [Decision.FiredRule] = []
        var penalties: [Decision.Penalty] = []
        var raise = Verdict.allow
        var total = 0.0
        for rule in ruleSet.rules where rule.on.contains(event.type) {
            ctx.evidence = []
            ctx.ruleName = rule.name
            guard rule.when(ctx).isTrue else { continue }
            ctx.fired[rule.index] = true
            let score = rule.score.flatMap { $0(ctx).number } ?? 0
            let record = Decision.FiredRule(rule: rule.name, score: score, tags: rule.tags, evidence: ctx.evidence)
            guard enforces(rule, account: event.account) else {
                shadow.append(record)
                continue
            }
            fired.append(record)
            total += score
            for spec in rule.penalties {
                switch spec.action {
                case "review": raise = max(raise, .review)
                case "challenge": raise = max(raise, .challenge)
                case "reject": raise = max(raise, .block)
                default: break
                }
                penalties.append(penalty(spec, rule: rule.name, ctx: ctx))
            }
        }
        ctx.score = total
        var verdict = Verdict.allow
        for line in ruleSet.decide where line.condition(ctx).isTrue {
            verdict = line.verdict
            break
        }
        return Decision(
            id: event.id, type: event.type, verdict: max(verdict, raise), score: total, fired: fired,
            penalties: penalties, shadow: shadow, ruleset: ruleSet.info, warnings: ctx.warnings)
    }

    /// Enforced unless shadow; with `rollout N%`, enforced for a stable N% of accounts.
    func enforces(_ rule: CompiledRuleSet.Rule, account: String) -> Bool {
        if rule.shadow { return false }
        guard let percent = rule.rollout else { return true }
        return Self.rolloutBucket(rule: rule.name, account: account) < percent
    }

    /// 0..<100, stable for a rule and an account across runs and machines.
    public static func rolloutBucket(rule: String, account: String) -> Int {
        Int(FNV1a.hash(Array(rule.utf8) + [0] + Array(account.utf8)) % 100)
    }

    func penalty(_ spec: PenaltySpec, rule: String, ctx: EvaluationContext) -> Decision.Penalty {
        var p = Decision.Penalty(action: spec.action, targetKey: nil, targetValue: nil, until: nil, forever: false, rule: rule)
        if let target = spec.target, case .string(let value) = target.value(of: ctx.event, now: ctx.now) {
            p.targetKey = target == .inviter ? "account" : target.name
            p.targetValue = value
        }
        switch spec.duration {
        case .none: break
        case .fixed(let seconds): p.until = ctx.now + Double(seconds)
        case .forever: p.forever = true
        case .escalate(let steps):
            // Without a ledger every offense is a first offense: the first step applies.
            if let first = steps.first, let seconds = first { p.until = ctx.now + Double(seconds) } else { p.forever = true }
        }
        return p
    }
}
