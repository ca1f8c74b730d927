import WardenLanguage

/// Runs the `test` blocks of a rule set (SPEC §6): each from empty state, on a clock that starts
/// at 2026-01-01T00:00:00Z and moves 1 s per event unless `every`, `after` or `ts` says otherwise.
package struct TestRunner {
    package static let start = 1_767_225_600.0  // 2026-01-01T00:00:00Z

    package struct Failure: Sendable {
        package var test: String
        package var location: String
        /// Which repetition of the step failed (1-based) and how many there were.
        package var repetition: Int
        package var repetitions: Int
        package var expected: [String]
        package var actual: String
    }

    package struct Report: Sendable {
        package var passed: [String] = []
        package var failures: [Failure] = []
        package var failed: Int { failures.count }
        /// Rules that fired (enforced or shadow) on some test event, and those that never did.
        package var firedRules: Set<String> = []
        package var neverFired: [String] = []
        /// Rules that read an optional model whose file is absent: not expected to fire.
        package var waitingForModels: [String] = []
    }

    /// Runs the rule set's tests (those whose name contains `filter`, when given); a test written
    /// `without models` runs on `withoutModels` (the same rules compiled with their optional
    /// models absent) when it is given.
    package static func run(_ ruleSet: CompiledRuleSet, withoutModels: CompiledRuleSet? = nil, filter: String? = nil) -> Report {
        var report = Report()
        for test in ruleSet.tests where filter.map({ test.name.contains($0) }) ?? true {
            let rules = test.withoutModels ? withoutModels ?? ruleSet : ruleSet
            if let failure = run(test, rules, fired: &report.firedRules) {
                report.failures.append(failure)
            } else {
                report.passed.append(test.name)
            }
        }
        report.neverFired = ruleSet.rules.map(\.name).filter { !report.firedRules.contains($0) && !ruleSet.waitingForModels.contains($0) }
            .sorted()
        report.waitingForModels = ruleSet.waitingForModels.sorted()
        return report
    }

    static func run(_ test: CompiledTest, _ ruleSet: CompiledRuleSet, fired: inout Set<String>) -> Failure? {
        let engine = Engine(ruleSet: ruleSet)
        var clock = start
        var first = true
        var sequence = 0
        for step in test.steps {
            switch step {
            case .after(let seconds): clock += Double(seconds)
            case .event(let plan):
                for repetition in 1...plan.repeatCount {
                    var event = plan.template
                    if plan.fixedTime, repetition == 1, let ts = plan.template.ts {
                        clock = ts
                    } else if !first {
                        clock += Double(repetition > 1 ? (plan.every ?? 1) : 1)
                    }
                    first = false
                    sequence += 1
                    event.ts = clock
                    if event.id.hasPrefix("step") { event.id = "e\(sequence)" }
                    let decision = engine.check(event, now: clock)
                    for rule in decision.fired.map(\.rule) + decision.shadow.map(\.rule) { fired.insert(rule) }
                    let unmet = plan.expectations.filter { !holds($0.kind, decision) }
                    if !unmet.isEmpty {
                        return Failure(
                            test: test.name, location: plan.location, repetition: repetition, repetitions: plan.repeatCount,
                            expected: unmet.map { describe($0.kind) }, actual: describe(decision, at: clock))
                    }
                }
            }
        }
        return nil
    }

    static func holds(_ kind: Expectation.Kind, _ d: Decision) -> Bool {
        switch kind {
        case .verdict(let v): return d.verdict.rawValue == v
        case .fired(let r): return d.fired(r) || d.shadow.contains { $0.rule == r }
        case .notFired(let r): return !(d.fired(r) || d.shadow.contains { $0.rule == r })
        case .penalty(let a): return d.penalties.contains { $0.action.rawValue == a }
        case .noPenalty: return d.penalties.isEmpty
        case .score(let op, let n): return Compiler.compare(op, .number(d.score), .number(n))
        }
    }

    static func describe(_ kind: Expectation.Kind) -> String {
        switch kind {
        case .verdict(let v): v
        case .fired(let r): "fired \(r)"
        case .notFired(let r): "not fired \(r)"
        case .penalty(let a): "penalty \(a)"
        case .noPenalty: "no penalty"
        case .score(let op, let n): "score \(op.rawValue) \(Value.number(n).display)"
        }
    }

    static func describe(_ d: Decision, at t: Double) -> String {
        let fired = d.fired.map(\.rule) + d.shadow.map { "\($0.rule) (shadow)" }
        let penalties = d.penalties.map { p in
            p.action.rawValue + (p.targetValue.map { "(\($0))" } ?? "") + (p.offense.map { " offense \($0)" } ?? "")
        }
        return "\(d.verdict.rawValue), score \(Value.number(d.score).display) at \(Timestamp.format(t)); fired: "
            + (fired.isEmpty ? "none" : fired.joined(separator: ", "))
            + "; penalties: " + (penalties.isEmpty ? "none" : penalties.joined(separator: ", "))
    }
}
