import Foundation

/// What a watcher of one evaluation is told, stage by stage: the event prepared (counters
/// counted, penalties in force found), each rule evaluated, each `decide` line tried, the verdict.
/// The evaluation calls these and reads nothing back, so watching changes no decision; an event
/// nobody watches passes nil and pays one comparison per stage.
protocol EvaluationObserver: AnyObject {
    func prepared(
        _ event: Event, at time: Double, ruleSet: CompiledRuleSet, context: EvaluationContext, inForce: [PenaltyRecord],
        invites: InviteGraph)
    func evaluated(_ rule: CompiledRuleSet.Rule, holds: Bool, enforced: Bool, score: Double, context: EvaluationContext)
    func tried(decideLine text: String, holds: Bool)
    func decided(total: Double, fired: [Decision.FiredRule], verdict: Verdict, raise: Verdict)
}

/// `check --explain`: an observer that writes what it is told into an `ExplainTrace`.
final class ExplainRecording: EvaluationObserver {
    var trace = ExplainTrace()

    func prepared(
        _ event: Event, at time: Double, ruleSet: CompiledRuleSet, context ctx: EvaluationContext, inForce: [PenaltyRecord],
        invites: InviteGraph
    ) {
        (trace.eventID, trace.eventType, trace.account, trace.time) = (event.id, event.type.rawValue, event.account, time)
        trace.zone = ruleSet.info.timezone.isEmpty || ruleSet.info.timezone == "UTC" ? nil : TimeZone(identifier: ruleSet.info.timezone)
        trace.inForce = inForce.map { "\($0.action) on \($0.targetKind) \($0.target) (\($0.id))" }
        for (i, spec) in ruleSet.counters.enumerated() where spec.on.contains(event.type) {
            let key = zip(spec.keyNames, ctx.counterKeyParts(i)).map { "\($0)=\($1)" }.joined(separator: ", ")
            trace.counters.append("\(spec.kind.rawValue) \(spec.window.label) [\(key)] = \(ctx.counterValues[i].display)")
        }
        if event.type == .redeem, let change = ctx.inviteChange {
            let path = invites.read(change) { $0.path(to: event.account) }
            trace.invitePath =
                path.map { step in
                    step.account + (step.joined.map { " (\(Timestamp.format($0))" + (step.device.map { ", \($0)" } ?? "") + ")" } ?? "")
                }.joined(separator: " → ") + (change.redemption?.owner == nil ? " (the code's issue event has not been seen)" : "")
        }
        trace.skipped = ruleSet.rules.filter { !$0.on.contains(event.type) }.map(\.name)
    }

    func evaluated(_ rule: CompiledRuleSet.Rule, holds: Bool, enforced: Bool, score: Double, context ctx: EvaluationContext) {
        // Tracing a condition evaluates its parts again, which adds evidence: the rule's own
        // evidence is put back afterwards, so the decision is the one an unexplained check gives.
        let evidence = ctx.evidence
        var lines: [ExplainTrace.Line] = []
        rule.explain?.trace(ctx, depth: 0, into: &lines)
        ctx.evidence = evidence
        trace.rules.append(
            ExplainTrace.RuleTrace(
                name: rule.name, description: rule.description, fired: holds, enforced: enforced, score: score, lines: lines))
    }

    func tried(decideLine text: String, holds: Bool) { trace.decideLines.append((text, holds)) }

    func decided(total: Double, fired: [Decision.FiredRule], verdict: Verdict, raise: Verdict) {
        let parts = fired.filter { $0.score != 0 }.map { "\($0.rule) \(Value.number($0.score).display)" }
        trace.scoreSum = "\(Value.number(total).display)" + (parts.isEmpty ? "" : " = " + parts.joined(separator: " + "))
        trace.verdict = max(verdict, raise).rawValue + (raise > verdict ? " (raised by a penalty: \(raise.rawValue))" : "")
    }
}
