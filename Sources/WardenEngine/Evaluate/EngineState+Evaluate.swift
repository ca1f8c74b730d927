import Foundation
import WardenMatching

extension EngineState {
    /// One event, in four stages: **facts** (the context, its time, the invite change it
    /// makes), **count** (counters updated, penalties in force read: one round trip when the
    /// backend holds both), **evaluate** (rules and `decide`, reading only), **commit**
    /// (penalties recorded or extended, the invite change shared). Nothing is written before
    /// the verdict is known, and an observer watches the stages without taking part.
    func evaluate(
        _ event: Event, ruleSet: CompiledRuleSet, now: Double, commit: Bool, prepared: PreparedEvent? = nil,
        observer: (any EvaluationObserver)? = nil, invitesLater: Bool = false
    ) -> Decision {
        let ctx = facts(event, ruleSet: ruleSet, now: now, prepared: prepared, invitesLater: invitesLater)
        defer { contexts.give(ctx) }
        let enforced = count(ctx, ruleSet: ruleSet, commit: commit)
        observer?.prepared(event, at: ctx.now, ruleSet: ruleSet, context: ctx, inForce: enforced, invites: invites)
        // An explain (an observer) watches every rule evaluated here.
        let outcomes = observer == nil ? prepared?.outcomes : nil
        var judgement = judge(ctx, ruleSet: ruleSet, enforced: enforced, outcomes: outcomes, observer: observer)
        let penalties = self.commit(ctx, judgement: &judgement, ruleSet: ruleSet, commit: commit)
        observer?.decided(total: judgement.total, fired: judgement.fired, verdict: judgement.verdict, raise: judgement.raise)
        var decision = Decision(
            id: event.id, type: event.type, verdict: max(judgement.verdict, judgement.raise), score: judgement.total,
            fired: judgement.fired, penalties: penalties, shadow: judgement.shadow, ruleset: ruleSet.info, warnings: ctx.warnings,
            stateUnavailable: ctx.stateUnavailable, ledgerFailed: ctx.ledgerFailure != nil, penaltiesRead: ctx.penaltiesRead)
        if commit, let review, penalties.contains(where: { $0.action == .review }) {
            openCase(for: &decision, event: event, at: ctx.penaltyTime, in: review)
        }
        if commit, decision.verdict != .allow {
            recent.record(
                event.account,
                RecentDecisions.Entry(
                    id: event.id, type: event.type.rawValue, at: ctx.now, verdict: decision.verdict, rules: decision.fired.map(\.rule),
                    caseID: decision.caseID))
        }
        return decision
    }

    /// The last of the commit stage: a decision with `review` opens a case holding the event
    /// and the decision as answered. A full queue or a store that did not take the case is said
    /// in a warning; the decision stands either way.
    private func openCase(for decision: inout Decision, event: Event, at t: Double, in review: any ReviewStore) {
        do throws(ReviewError) {
            if let opened = try review.openCase(ReviewCase(event: event, decision: decision, at: t)) {
                decision.caseID = opened.id
            } else {
                decision.warnings.append("review queue full (\(review.maxOpenCases) open cases): no case opened for this decision")
            }
        } catch {
            decision.warnings.append("review case not stored: \(error.message)")
        }
    }

    /// What the rules concluded, before anything is written.
    struct Judgement {
        var fired: [Decision.FiredRule] = []
        var shadow: [Decision.FiredRule] = []
        /// The verdict penalties and state failures force, whatever `decide` says.
        var raise = Verdict.allow
        var verdict = Verdict.allow
        var total = 0.0
    }

    /// Stage 1: the evaluation context of `event`, its time bounded by the clock, and the
    /// invite change an `issue` or `redeem` makes (worked out, not yet shared; with
    /// `invitesLater`, left to `applyInvite` after the evaluation).
    private func facts(_ event: Event, ruleSet: CompiledRuleSet, now: Double, prepared: PreparedEvent?, invitesLater: Bool)
        -> EvaluationContext
    {
        // No event moves time past the clock by more than the rule set allows (the counters'
        // lateness, the invite graph's retention and the ledger all read it).
        let wall = clock()
        let bound = wall + ruleSet.info.maxFuture
        let time = min(event.ts ?? now, bound)
        let ctx = contexts.take(
            event: event, matcher: ruleSet.matcher, now: time, ruleCount: ruleSet.rules.count, counters: ruleSet.counters,
            prepared: prepared)
        if let ts = event.ts, ts > bound {
            ctx.warnings.append(
                "ts \(Timestamp.format(ts)) is ahead of the clock by more than max_future; evaluated at \(Timestamp.format(bound))")
        }
        // Penalties start, and are enforced, at the clock: an answer's penalty is in force now.
        ctx.penaltyTime = min(time, wall)
        ctx.ledger = ledger
        ctx.review = review
        if let review, let liveLists { ctx.live = liveLists.snapshot(review: review, at: time) }
        // A send reads the graph as this engine has it: it never waits on the shared log.
        ctx.invites = invites
        if invitesLater {
            // Nothing of this event's reads the graph (`Engine.apartObstacle`).
        } else if event.type == .send {
            if let wait = ruleSet.info.rewardReturn { ctx.inviteChange = invites.activity(of: event.account, at: time, wait: wait) }
        } else {
            let network = event.ip.flatMap { ctx.address($0) }.flatMap { $0.network(prefix: $0.isIPv4 ? 24 : 64) }
            if let problem = invites.sync() { ctx.warnings.append("invite graph state unavailable: \(problem)") }
            ctx.inviteChange = invites.change(for: event, at: time, network: network)
        }
        ctx.readRules(of: ruleSet, prepared: prepared)
        return ctx
    }

    /// Stage 2: the counters updated (or only read, without `commit`) and the penalties in
    /// force on the event's account and code.
    private func count(_ ctx: EvaluationContext, ruleSet: CompiledRuleSet, commit: Bool) -> [PenaltyRecord] {
        // The event's kind, account and code, not the event: a copy of it retains every string.
        let queries = Self.inForceQueries(type: ctx.event.type, account: ctx.event.account, code: ctx.event.code)
        let answers = updateCounters(ctx, specs: ruleSet.counters, commit: commit, inForce: queries)
        return (answers ?? ledger.inForce(queries, at: ctx.penaltyTime)).compactMap { $0 }
    }

    /// Stage 3: every rule of the event's kind, then `decide`. Reads the context only. With
    /// `outcomes` (`judgeAhead`), the stateless rules are read from them, not evaluated.
    private func judge(
        _ ctx: EvaluationContext, ruleSet: CompiledRuleSet, enforced: [PenaltyRecord], outcomes: [RuleOutcome]?,
        observer: (any EvaluationObserver)?
    ) -> Judgement {
        var j = Judgement()
        if !enforced.isEmpty {
            j.raise = .block
            j.fired.append(
                Decision.FiredRule(
                    rule: "penalty_in_force", score: 0, tags: [],
                    evidence: enforced.map { record in
                        var e = Evidence(kind: .penalty)
                        e.penalty = record
                        return e
                    }))
        }
        if ctx.stateUnavailable {
            // SPEC: the rule set's on_state_error says what a decision without counters does.
            // Rules that read counters cannot be evaluated truthfully, whatever the policy.
            j.raise = ruleSet.info.onStateError.raising(j.raise)
            ctx.warnings.append("rules reading counters were skipped (on_state_error \(ruleSet.info.onStateError.rawValue))")
        }
        let account = ctx.event.account
        let kindBit = ctx.event.type.bit
        ctx.rules = ruleSet.rules
        var next = 0
        for rule in ruleSet.rules where rule.onMask & kindBit != 0 {
            if ctx.stateUnavailable, rule.readsCounters { continue }
            // Emptied only when it holds something: `removeAll` on an empty array is not free,
            // and most rules leave none.
            if !ctx.evidence.isEmpty { ctx.evidence.removeAll(keepingCapacity: true) }
            ctx.ruleIndex = rule.index
            var holds = false
            var score = 0.0
            var judged: RuleOutcome?
            if let outcomes, ruleSet.statelessRules[rule.index] {
                // Judged ahead: listed when it held or warned, in this order.
                if next < outcomes.count, outcomes[next].index == rule.index {
                    judged = outcomes[next]
                    next += 1
                }
                holds = judged?.holds ?? false
                score = judged?.score ?? 0
                if let warnings = judged?.warnings, !warnings.isEmpty { ctx.warnings.append(contentsOf: warnings) }
            } else {
                (holds, score) = Self.judgeRule(rule, ctx)
            }
            if let observer {
                observer.evaluated(rule, holds: holds, enforced: enforces(rule, account: account), score: score, context: ctx)
            }
            guard holds else { continue }
            ctx.fired[rule.index] = true
            let record = Decision.FiredRule(
                rule: rule.name, score: score, tags: rule.tags, evidence: judged?.evidence ?? ctx.evidence.map { $0.completed() })
            guard enforces(rule, account: account) else {
                j.shadow.append(record)
                continue
            }
            j.fired.append(record)
            j.total += score
            if !rule.penalties.isEmpty {
                for spec in rule.penalties { if let v = spec.action.verdict { j.raise = max(j.raise, v) } }
                ctx.penalized.append(rule)
            }
        }
        ctx.score = j.total
        for line in ruleSet.decide {
            let holds = line.condition(ctx).isTrue
            observer?.tried(decideLine: line.text, holds: holds)
            if holds {
                j.verdict = line.verdict
                break
            }
        }
        return j
    }

    /// Stage 4: the planned penalties recorded (or extended, or described only without
    /// `commit`) and the invite change shared. A penalty the ledger did not store raises the
    /// verdict as `on_state_error` says.
    private func commit(_ ctx: EvaluationContext, judgement j: inout Judgement, ruleSet: CompiledRuleSet, commit: Bool)
        -> [Decision.Penalty]
    {
        var penalties: [Decision.Penalty] = []
        for rule in ctx.penalized {
            for spec in rule.penalties {
                if let p = apply(spec, rule: rule.name, ctx: ctx, commit: commit, already: penalties) { penalties.append(p) }
            }
        }
        if let failure = ctx.ledgerFailure {
            // SPEC: on_state_error decides what an event whose penalty could not be stored gets.
            j.raise = ruleSet.info.onStateError.raising(j.raise)
            ctx.warnings.insert(Decision.ledgerFailureWarning(failure, policy: ruleSet.info.onStateError), at: 0)
        }
        if commit, let change = Self.decided(ctx.inviteChange, verdict: max(j.verdict, j.raise)),
            let problem = invites.commit(change)
        {
            ctx.warnings.append("invite graph change not shared: \(problem)")
        }
        return penalties
    }

    /// What a committed event tells the invite graph: its issue or redemption (a redemption
    /// that was not allowed marked flagged, for reward tiers), or, for a send of a bound
    /// invitee, that it came back (`reward_requires_return`, worked out in `facts`).
    /// The invite change of an event decided with `invitesLater`, made now: worked out against
    /// the graph as it stands (the code's owner, its uses) and shared, as `evaluate` would have.
    func applyInvite(of event: Event, verdict: Verdict, ruleSet: CompiledRuleSet, now: Double) {
        guard event.type != .send else { return }
        let time = min(event.ts ?? now, clock() + ruleSet.info.maxFuture)
        let network = event.ip.flatMap { IPAddress($0) }.flatMap { $0.network(prefix: $0.isIPv4 ? 24 : 64) }
        guard let change = Self.decided(invites.change(for: event, at: time, network: network), verdict: verdict) else { return }
        _ = invites.commit(change)
    }

    /// An event's invite change as the verdict leaves it: a redemption not allowed is flagged.
    private static func decided(_ change: InviteChange?, verdict: Verdict) -> InviteChange? {
        if case .redeem(var r)? = change {
            r.flagged = verdict != .allow
            return .redeem(r)
        }
        return change
    }

    /// Whether a rule holds, and its score when it does (0 otherwise).
    static func judgeRule(_ rule: CompiledRuleSet.Rule, _ ctx: EvaluationContext) -> (holds: Bool, score: Double) {
        guard holds(rule, ctx) else { return (false, 0) }
        return (true, rule.score.flatMap { $0.eval(ctx).number } ?? 0)
    }

    /// Whether a rule's condition holds, with its evidence in `ctx` when it does. The cheap-first
    /// test decides most rules; one that holds is evaluated again in source order, which is what
    /// defines its evidence (and the warnings of its patterns, which are taken from that run).
    static func holds(_ rule: CompiledRuleSet.Rule, _ ctx: EvaluationContext) -> Bool {
        guard let test = rule.test?.eval else { return rule.when(ctx).isTrue }
        let warnings = ctx.warnings.count
        ctx.collectsEvidence = false
        let passes = test(ctx).isTrue
        ctx.collectsEvidence = true
        guard passes else { return false }
        ctx.warnings.removeSubrange(warnings...)
        return rule.when(ctx).isTrue
    }

    /// What to ask the ledger for an event. SPEC §2: generation disabled blocks `issue`;
    /// sending restricted blocks `send`; a revoked code blocks `send` and `redeem` events that
    /// carry it.
    static func inForceQueries(type: Event.Kind, account: String, code: String?) -> [PenaltyQuery] {
        var checks: [PenaltyQuery] = []
        switch type {
        case .issue: checks.append(PenaltyQuery(action: .disableGeneration, targetKind: .account, target: account))
        case .send: checks.append(PenaltyQuery(action: .restrictSend, targetKind: .account, target: account))
        case .redeem: break
        }
        if type != .issue, let code { checks.append(PenaltyQuery(action: .revokeCode, targetKind: .code, target: code)) }
        return checks
    }

    /// Works out every counter update of the event (one operation per counter key; a list
    /// value such as `to` gives one key per element) and hands them to the counter backend in
    /// one call: the in-memory store or a shared one, the same path either way. A counter reads
    /// the largest value over its keys.
    /// Returns the penalties in force for `queries` when the backend read them in the same
    /// round trip, nil otherwise.
    func updateCounters(_ ctx: EvaluationContext, specs: [CounterSpec], commit: Bool, inForce queries: [PenaltyQuery]) -> [PenaltyRecord?]?
    {
        ctx.counterOperations.removeAll(keepingCapacity: true)
        let kindBit = ctx.event.type.bit
        for (i, spec) in specs.enumerated() where spec.onMask & kindBit != 0 {
            // The common key: one expression with one value (by: account), no arrays.
            if spec.keys.count == 1, let single = Self.keyText(spec.keys[0].eval(ctx)) {
                ctx.counterOperations.append(operation(i, spec, key: single, ctx: ctx, commit: commit))
                continue
            }
            // Several single values (by: [account, fingerprint(text)]): the key is built in place,
            // with no array of parts.
            switch Self.joinedKey(spec.keys, ctx) {
            case .key(let joined):
                ctx.counterOperations.append(operation(i, spec, key: joined, ctx: ctx, commit: commit))
                continue
            case .null: continue
            case .list: break
            }
            // Key parts: a list value (such as `to`) counts the event under each element.
            var parts: [String] = []
            var lists: [(index: Int, items: [String])] = []
            var isNull = false
            for key in spec.keys {
                let value = key.eval(ctx)
                if let text = Self.keyText(value) {
                    parts.append(text)
                } else if case .strings(let items) = value, !items.isEmpty {
                    lists.append((parts.count, items))
                    parts.append("")
                } else {
                    isNull = true
                }
            }
            guard !isNull else { continue }
            var keys = [parts]
            for list in lists {
                keys = keys.flatMap { prefix in
                    list.items.map { item in
                        var k = prefix
                        k[list.index] = item
                        return k
                    }
                }
            }
            let first = ctx.counterOperations.count
            for parts in keys {
                let text = parts.count == 1 ? parts[0] : parts.joined(separator: "\u{1F}")
                if ctx.counterOperations.count == first {
                    ctx.counterOperations.append(operation(i, spec, key: text, ctx: ctx, commit: commit))
                } else {
                    // Same counter, same event: only the key differs.
                    var op = ctx.counterOperations[first]
                    op.key = text
                    ctx.counterOperations.append(op)
                }
            }
        }
        guard !ctx.counterOperations.isEmpty else { return nil }
        let answers: [PenaltyRecord?]?
        do throws(CounterStateError) {
            answers = try backend.apply(ctx.counterOperations, into: &ctx.counterResults, inForce: queries, at: ctx.penaltyTime)
        } catch {
            ctx.stateUnavailable = true
            ctx.warnings.append("counter state unavailable: \(error.message)")
            for op in ctx.counterOperations {
                ctx.counterValues[op.index] = .number(0)
                ctx.counterKeys[op.index] = op.key
            }
            return nil
        }
        var last = -1
        for (op, v) in zip(ctx.counterOperations, ctx.counterResults) {
            // Operations of one counter are adjacent; the first largest value wins.
            if op.index != last || v > (ctx.counterValues[op.index].number ?? -.infinity) {
                ctx.counterValues[op.index] = .number(v)
                ctx.counterKeys[op.index] = op.key
            }
            last = op.index
        }
        return answers
    }

    /// Counter `i`'s operation for this event under `key`: what the event adds (`measure`) and
    /// the steps of its window, worked out here so every backend agrees on them.
    private func operation(_ i: Int, _ spec: CounterSpec, key: String, ctx: EvaluationContext, commit: Bool) -> CounterOperation {
        let (counts, amount, hashes) = Self.measure(spec, ctx)
        let step = counters.step(i, ctx.now)
        let span = Int32(spec.window.span)
        let late = counters.lateSteps(i)
        return CounterOperation(
            index: i, kind: spec.kind == .distinct ? .distinct : .series, counter: backendNames[i], key: key, step: step,
            windowStart: step &- (span - 1), keepSteps: late + span - 1, amount: amount, hashes: hashes, counts: counts,
            commit: commit, ttlMilliseconds: Int(late + span + 1) * spec.window.step * 1000)
    }

    enum JoinedKey {
        case key(String)
        /// A key expression gave null: the event does not count.
        case null
        /// A key expression gave a list: one key per element (the general path).
        case list
    }

    /// The key of a counter whose key expressions each give one value, their texts joined by
    /// U+001F (what the general path gives for them).
    static func joinedKey(_ keys: [CompiledExpression], _ ctx: EvaluationContext) -> JoinedKey {
        var key = ""
        var null = false
        for (k, expression) in keys.enumerated() {
            let value = expression.eval(ctx)
            guard let text = keyText(value) else {
                if case .strings(let items) = value, !items.isEmpty { return .list }
                null = true
                continue
            }
            if k > 0 { key.append("\u{1F}") }
            key.append(text)
        }
        return null ? .null : .key(key)
    }

    /// A key value as text: a string, a number as displayed, a boolean; nil for null or a list.
    @inline(__always)
    static func keyText(_ value: Value) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): Value.number(n).display
        case .bool(let b): String(b)
        default: nil
        }
    }

    /// Whether the event counts (its `where:`), and what it adds: an amount, or the values'
    /// hashes of a `distinct`.
    static func measure(_ spec: CounterSpec, _ ctx: EvaluationContext) -> (counts: Bool, amount: Double, hashes: [UInt64]) {
        let counts = spec.filter.map { $0.eval(ctx).isTrue } ?? true
        switch spec.kind {
        case .count: return (counts, 1, [])
        case .sum: return (counts, spec.field.flatMap { $0.eval(ctx).number } ?? 0, [])
        case .distinct:
            switch spec.field?.eval(ctx) {
            case .string(let s)?: return (counts, 1, [FNV1a.mixed(s.utf8)])
            case .number(let n)?: return (counts, 1, [FNV1a.mixed(Value.number(n).display.utf8)])
            case .bool(let b)?: return (counts, 1, [FNV1a.mixed(String(b).utf8)])
            case .strings(let items)?: return (counts, 1, items.map { FNV1a.mixed($0.utf8) })
            default: return (counts, 1, [])
            }
        }
    }

    /// Enforced unless shadow; with `rollout N%`, enforced for a stable N% of accounts.
    func enforces(_ rule: CompiledRuleSet.Rule, account: String) -> Bool {
        if rule.shadow { return false }
        guard let percent = rule.rollout else { return true }
        return Engine.rolloutBucket(rule: rule.name, account: account) < percent
    }

    /// Records a penalty (or extends the one in force) and describes it for the decision.
    func apply(_ spec: PenaltySpec, rule: String, ctx: EvaluationContext, commit: Bool, already: [Decision.Penalty]) -> Decision.Penalty? {
        var p = Decision.Penalty(action: spec.action, targetKey: nil, targetValue: nil, until: nil, forever: false, rule: rule)
        guard spec.target != nil, let kind = spec.action.targetKind else { return p }  // review, challenge, reject: verdict only
        var target = spec.target!.value(of: ctx.event, now: ctx.now)
        // A redeem event without `inviter`: the code's owner, as the invite graph found it.
        if spec.target == .inviter, case .null = target, let owner = ctx.inviteChange?.redemption?.owner { target = .string(owner) }
        guard case .string(let value) = target else { return nil }
        p.targetKey = kind
        p.targetValue = value
        if spec.action == .label { return label(spec, p, ctx: ctx, commit: commit, already: already) }
        if already.contains(where: { $0.action == p.action && $0.targetKey == kind && $0.targetValue == value }) { return nil }
        return withGate(action: spec.action, kind: kind, target: value) {
            ledger.exclusive(action: spec.action, targetKind: kind, target: value) {
                record(spec, p, rule: rule, kind: kind, value: value, ctx: ctx, commit: commit)
            }
        }
    }

    /// The ledger half of `apply`, under the target's gate. A write the ledger did not store
    /// leaves the answer as the ledger stands (no new penalty; an extension not made), with
    /// `ctx.ledgerFailure` set for the verdict and the operator.
    private func record(
        _ spec: PenaltySpec, _ penalty: Decision.Penalty, rule: String, kind: TargetKind, value: String, ctx: EvaluationContext,
        commit: Bool
    ) -> Decision.Penalty? {
        var p = penalty
        let t = ctx.penaltyTime
        if spec.action.isLasting, let current = ledger.inForce(action: spec.action, targetKind: kind, target: value, at: t) {
            // No new offense while in force; the end only moves out.
            var (until, forever) = Self.end(spec.duration, offense: current.offense, from: t, action: spec.action)
            if commit {
                do throws(LedgerError) {
                    p.durability = try ledger.extendDurably(id: current.id, until: until, forever: forever)
                } catch {
                    ctx.ledgerFailure = error.message
                    (until, forever) = (current.until, current.forever)
                }
            }
            p.forever = current.forever || forever
            p.until = p.forever ? nil : max(current.until ?? 0, until ?? 0)
            p.id = current.id
            p.offense = current.offense
            return p
        }
        let offense = ledger.offenses(action: spec.action, targetKind: kind, target: value) + 1
        let (until, forever) = Self.end(spec.duration, offense: offense, from: t, action: spec.action)
        p.until = until
        p.forever = forever
        p.offense = offense
        let record = PenaltyRecord(
            id: "", action: spec.action, targetKind: kind, target: value, start: t, until: until, forever: forever,
            offense: offense, rule: rule, event: ctx.event.id, lifted: nil)
        if commit {
            do throws(LedgerError) {
                let stored = try ledger.recordDurably(record)
                (p.id, p.durability) = (stored.record.id, stored.durability)
            } catch {
                ctx.ledgerFailure = error.message
                return nil
            }
        }
        return p
    }

    /// A `label(…)` penalty: the label put on its target in the review loop's store (without
    /// one, the answer says what would have been labelled and a warning says it was not kept).
    private func label(_ spec: PenaltySpec, _ penalty: Decision.Penalty, ctx: EvaluationContext, commit: Bool, already: [Decision.Penalty])
        -> Decision.Penalty?
    {
        var p = penalty
        guard let name = spec.label, let value = p.targetValue else { return nil }
        if spec.target == .code { p.targetKey = .code }
        p.label = name
        if already.contains(where: { $0.action == .label && $0.targetKey == p.targetKey && $0.targetValue == value && $0.label == name }) {
            return nil
        }
        let (until, forever) = Self.end(spec.duration, offense: 1, from: ctx.penaltyTime, action: .label)
        (p.until, p.forever) = (until, forever)
        guard commit else { return p }
        guard let review else {
            ctx.warnings.append("label \(name) on \(value) not kept: this state keeps no labels")
            return p
        }
        let kind: EntityLabel.Kind = p.targetKey == .code ? .code : .account
        do throws(ReviewError) {
            try review.addLabel(
                EntityLabel(
                    kind: kind, target: value, label: name, expires: until, reason: "rule \(p.rule)", by: "rule:\(p.rule)",
                    at: ctx.penaltyTime))
        } catch {
            ctx.warnings.append("label \(name) on \(value) not stored: \(error.message)")
        }
        return p
    }

    /// The end of the `offense`-th penalty: escalate picks step n (the last one repeats).
    static func end(_ duration: PenaltySpec.Duration, offense: Int, from t: Double, action: PenaltyAction) -> (Double?, Bool) {
        switch duration {
        case .none: return (nil, action == .revokeCode)
        case .fixed(let seconds): return (t + Double(seconds), false)
        case .forever: return (nil, true)
        case .escalate(let steps):
            guard !steps.isEmpty else { return (nil, true) }
            let step = steps[min(offense, steps.count) - 1]
            return step.map { (t + Double($0), false) } ?? (nil, true)
        }
    }
}
