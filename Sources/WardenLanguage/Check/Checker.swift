import Foundation

/// Resolves names and checks types across a whole rule set, and reports every problem it finds.
///
/// The checker reads the syntax only; it does not open list files or compile regexes (the engine's
/// compiler does, and reports at the same places).
package struct Checker {
    enum Symbol {
        case list(ListDecl)
        case pattern(PatternDecl)
        case model(ModelDecl)
        case letValue(LetDecl)
        case rule(RuleDecl)
    }

    enum Context {
        case rule(String)
        case letValue
        case decide
    }

    let syntax: RuleSetSyntax
    var symbols: [String: Symbol] = [:]
    var diagnostics: [Diagnostic] = []
    var used: Set<String> = []
    var letTypes: [String: ValueType] = [:]
    var letsInProgress: Set<String> = []
    /// Rule or let → the rules it names in `fired(…)`, and lets it reads.
    var references: [String: [(name: String, range: SourceRange)]] = [:]
    var owner: String?

    package static func check(_ syntax: RuleSetSyntax) -> [Diagnostic] {
        var checker = Checker(syntax: syntax)
        checker.run()
        return checker.diagnostics
    }

    mutating func run() {
        declare()
        if syntax.header == nil, let file = syntax.files.first {
            diagnostics.append(
                .warning(
                    .missingRuleset, "no 'ruleset NAME' declaration; the rule set is unnamed", at: SourceRange(file: file, bytes: 0..<0)))
        }
        if let policy = syntax.header?.onStateError, StateErrorPolicy(rawValue: policy.value) == nil {
            diagnostics.append(
                .error(
                    .unknownName, "on_state_error is open, closed or block, not '\(policy.value)'", at: policy.range,
                    hint: Suggestion.hint(for: policy.value, in: Vocabulary.stateErrorPolicies)))
        }
        if let future = syntax.header?.maxFuture, future.value > 3600 {
            diagnostics.append(
                .error(
                    .typeMismatch, "max_future is at most 1h (counters keep late events for 10m; a clock further off is a broken client)",
                    at: future.range))
        }
        if let retention = syntax.header?.inviteRetention, retention.value < 3600 {
            diagnostics.append(.error(.typeMismatch, "invite_retention is at least 1h", at: retention.range))
        }
        checkRewardHeader()
        if let tz = syntax.header?.timezone, TimeZone(identifier: tz.value) == nil {
            diagnostics.append(
                .error(
                    .unknownTimezone, "unknown time zone '\(tz.value)'", at: tz.range,
                    hint: "use an IANA name such as \"Asia/Shanghai\" or \"UTC\""))
        }
        for list in syntax.lists { checkList(list) }
        for p in syntax.patterns { warnBacktracking(p.pattern, at: p.regexRange) }
        boundLetDepths()
        for decl in syntax.lets where letTypes[decl.name.value] == nil {
            _ = typeOfLet(decl)
        }
        for rule in syntax.rules { checkRule(rule) }
        if let decide = syntax.decide {
            checkDecide(decide)
        } else if let scored = syntax.rules.first(where: { $0.score != nil }), let file = syntax.files.first {
            // Without one every verdict is allow unless a penalty raises it: a deleted block
            // quietly turns blocks into allows.
            diagnostics.append(
                .warning(
                    .noDecide, "no decide block: scores (rule '\(scored.name.value)' has one) never raise the verdict; only penalties do",
                    at: SourceRange(file: file, bytes: 0..<0)))
        }
        for test in syntax.tests { checkTest(test) }
        checkFiredCycles()
        warnUnused()
        warnShadowedRules()
    }

    // MARK: declarations

    mutating func declare() {
        func add(_ name: Located<String>, _ symbol: Symbol, kind: String) {
            if let field = Vocabulary.fields[name.value] {
                _ = field
                diagnostics.append(.error(.reservedName, "'\(name.value)' is an event field and cannot name a \(kind)", at: name.range))
                return
            }
            if Vocabulary.builtins.contains(name.value) || ["attrs", "score", "true", "false", "forever"].contains(name.value) {
                diagnostics.append(.error(.reservedName, "'\(name.value)' is reserved and cannot name a \(kind)", at: name.range))
                return
            }
            if let existing = symbols[name.value] {
                let first = Self.range(of: existing)
                diagnostics.append(
                    .error(.duplicate, "'\(name.value)' is already declared at \(first.file.path):\(first.start)", at: name.range))
                return
            }
            symbols[name.value] = symbol
        }
        for l in syntax.lists { add(l.name, .list(l), kind: "list") }
        for p in syntax.patterns { add(p.name, .pattern(p), kind: "pattern") }
        for m in syntax.models { add(m.name, .model(m), kind: "model") }
        for l in syntax.lets { add(l.name, .letValue(l), kind: "let") }
        for r in syntax.rules { add(r.name, .rule(r), kind: "rule") }
    }

    static func range(of symbol: Symbol) -> SourceRange {
        switch symbol {
        case .list(let l): l.name.range
        case .pattern(let p): p.name.range
        case .model(let m): m.name.range
        case .letValue(let l): l.name.range
        case .rule(let r): r.name.range
        }
    }

    mutating func checkList(_ list: ListDecl) {
        for option in list.options {
            switch option.label {
            case "except", "warned_by":
                let label = option.label!
                guard let name = option.value.nameValue, case .list(let other)? = symbols[name] else {
                    error(
                        .typeMismatch, "'\(label):' takes the name of another word list", option.value.range,
                        hint: nameHint(option.value, kinds: .lists))
                    continue
                }
                used.insert(name)
                if other.isCIDR || list.isCIDR {
                    error(.typeMismatch, "'\(label):' works on word lists, not address lists", option.value.range)
                }
                if name == list.name.value {
                    error(.typeMismatch, "a list cannot be its own \(label == "except" ? "exception" : "warning")", option.value.range)
                }
            case "fold":
                guard case .list(let items) = option.value.kind else {
                    error(.typeMismatch, "'fold:' takes a list of fold names such as [\"case\", \"width\"]", option.value.range)
                    continue
                }
                for item in items {
                    guard case .string(let fold) = item.kind, Vocabulary.folds.contains(fold) else {
                        error(
                            .unknownFold, "unknown fold \(item.range.text)", item.range,
                            hint: "folds are \(Vocabulary.folds.joined(separator: ", "))")
                        continue
                    }
                }
            case "live":
                guard case .bool = option.value.kind else {
                    error(.typeMismatch, "'live:' takes true or false", option.value.range)
                    continue
                }
                if list.isCIDR { error(.typeMismatch, "'live:' works on word lists, not address lists", option.value.range) }
            default:
                let where_ = option.labelRange ?? option.value.range
                error(
                    .unknownOption, "unknown list option '\(option.label ?? option.value.range.text)'", where_,
                    hint: "list options are except:, warned_by:, fold: and live:")
            }
        }
        if case .words(let items) = list.source {
            for item in items {
                if case .string = item.kind { continue }
                error(.typeMismatch, "list entries are strings", item.range)
            }
        }
        if case .cidr(let items) = list.source {
            for item in items {
                if case .string = item.kind { continue }
                error(.typeMismatch, "address ranges are strings such as \"203.0.113.0/24\"", item.range)
            }
        }
    }

    mutating func typeOfLet(_ decl: LetDecl) -> ValueType {
        let name = decl.name.value
        if let t = letTypes[name] { return t }
        if letsInProgress.contains(name) {
            error(.cycle, "'\(name)' is defined in terms of itself", decl.name.range)
            letTypes[name] = .any
            return .any
        }
        letsInProgress.insert(name)
        let saved = owner
        owner = name
        let t = typeOf(decl.value, .letValue)
        owner = saved
        letsInProgress.remove(name)
        letTypes[name] = t
        return t
    }

    mutating func checkRule(_ rule: RuleDecl) {
        owner = rule.name.value
        defer { owner = nil }
        for type in rule.on where !Vocabulary.eventTypes.contains(type.value) {
            error(
                .unknownName, "unknown event type '\(type.value)'", type.range,
                hint: Suggestion.hint(for: type.value, in: Vocabulary.eventTypes) ?? "event types are send, issue, redeem")
        }
        if let when = rule.when {
            expect(when, .bool, .rule(rule.name.value), what: "'when'")
            if let b = constantTruth(when) {
                diagnostics.append(.warning(.constantCondition, "this condition is always \(b)", at: when.range))
            }
        }
        if let score = rule.score { expect(score, .number, .rule(rule.name.value), what: "'score'") }
        for penalty in rule.penalties { checkPenalty(penalty) }
        if let mode = rule.mode, !["enforce", "shadow"].contains(mode.value) {
            error(
                .unknownName, "mode is 'enforce' or 'shadow', not '\(mode.value)'", mode.range,
                hint: Suggestion.hint(for: mode.value, in: ["enforce", "shadow"]))
        }
        if let rollout = rule.rollout, !(0...100).contains(rollout.value) {
            error(.outOfRange, "rollout is a percentage from 0% to 100%", rollout.range)
        }
    }

    mutating func checkDecide(_ decide: DecideDecl) {
        for line in decide.lines {
            if !Vocabulary.verdicts.contains(line.verdict.value) {
                error(
                    .unknownName, "unknown verdict '\(line.verdict.value)'", line.verdict.range,
                    hint: Suggestion.hint(for: line.verdict.value, in: Vocabulary.verdicts) ?? "verdicts are block, review, challenge")
            }
            expect(line.condition, .bool, .decide, what: "a decide line")
        }
        warnUnreachableDecideLines(decide)
    }

    /// `score >= N` (or `>`) lines are tried in order: a line whose threshold is at least an
    /// earlier line's can never be chosen (`review when score >= 50` above `block when score >=
    /// 100` never blocks).
    mutating func warnUnreachableDecideLines(_ decide: DecideDecl) {
        func threshold(_ e: Expr) -> Double? {
            guard case .binary(let op, let left, let right) = e.kind, op == .greaterEqual || op == .greater,
                case .name("score") = left.kind
            else { return nil }
            switch right.kind {
            case .integer(let n): return Double(n) + (op == .greater ? 0.5 : 0)
            case .decimal(let d): return d + (op == .greater ? 1e-9 : 0)
            default: return nil
            }
        }
        var earlier: [(threshold: Double, verdict: String)] = []
        for line in decide.lines {
            guard let t = threshold(line.condition) else { continue }
            if let shadow = earlier.first(where: { $0.threshold <= t }) {
                diagnostics.append(
                    .warning(
                        .unreachable,
                        "this line is never chosen: the earlier '\(shadow.verdict) when score …' line holds for every score it holds for",
                        at: line.condition.range, hint: "put the stricter line (the higher threshold) first"))
            }
            earlier.append((t, line.verdict.value))
        }
    }

    mutating func checkTest(_ test: TestDecl) {
        for case .event(let step) in test.steps {
            if !Vocabulary.eventTypes.contains(step.type.value) {
                error(
                    .unknownName, "unknown event type '\(step.type.value)'", step.type.range,
                    hint: Suggestion.hint(for: step.type.value, in: Vocabulary.eventTypes))
            }
            for field in step.fields where !Vocabulary.eventKeys.contains(field.key) {
                error(
                    .unknownName, "unknown event key '\(field.key)'", field.keyRange,
                    hint: Suggestion.hint(for: field.key, in: Vocabulary.eventKeys))
            }
            for expectation in step.expectations {
                switch expectation.kind {
                case .fired(let r), .notFired(let r):
                    if case .rule? = symbols[r] { continue }
                    if r == "penalty_in_force" { continue }
                    error(.unknownName, "unknown rule '\(r)'", expectation.range, hint: Suggestion.hint(for: r, in: ruleNames))
                case .penalty(let a) where Vocabulary.actions[a] == nil:
                    error(
                        .unknownName, "unknown penalty action '\(a)'", expectation.range,
                        hint: Suggestion.hint(for: a, in: Vocabulary.actions.keys))
                default: break
                }
            }
        }
    }

    var ruleNames: [String] { syntax.rules.map(\.name.value) }

    // MARK: penalties

    mutating func checkPenalty(_ penalty: Expr) {
        let name: String
        let arguments: [Argument]
        switch penalty.kind {
        case .name(let n):
            name = n
            arguments = []
        case .call(let n, _, let args):
            name = n
            arguments = args
        default:
            error(.typeMismatch, "a penalty is an action such as revoke_code(code) or review", penalty.range)
            return
        }
        guard let action = Vocabulary.actions[name] else {
            error(
                .unknownName, "unknown penalty action '\(name)'", penalty.range,
                hint: Suggestion.hint(for: name, in: Vocabulary.actions.keys)
                    ?? "actions are \(Vocabulary.actions.keys.sorted().joined(separator: ", "))")
            return
        }
        if action == .label {
            checkLabelPenalty(penalty, arguments)
            return
        }
        let expected = (action.targets.isEmpty ? 0 : 1) + (action.takesDuration ? 1 : 0)
        guard arguments.count == expected, arguments.allSatisfy({ $0.label == nil }) else {
            let shape = action.targets.isEmpty ? name : "\(name)(\(action.targets[0])\(action.takesDuration ? ", DURATION" : ""))"
            error(.arguments, "'\(name)' is written \(shape)", penalty.range)
            return
        }
        if let target = arguments.first?.value {
            if target.nameValue.map(action.targets.contains) != true {
                error(
                    .badTarget,
                    "'\(name)' acts on \(action.targets.map { "'\($0)'" }.joined(separator: " or ")), not \(target.range.text)",
                    target.range)
            }
        }
        if action.takesDuration, let duration = arguments.last?.value { checkPenaltyDuration(duration) }
    }

    /// `label(TARGET, "NAME" [, DURATION])`: the target, a label in quotes, how long it holds.
    mutating func checkLabelPenalty(_ penalty: Expr, _ arguments: [Argument]) {
        guard (2...3).contains(arguments.count), arguments.allSatisfy({ $0.label == nil }) else {
            error(.arguments, "'label' is written label(account, \"NAME\") or label(account, \"NAME\", DURATION)", penalty.range)
            return
        }
        let target = arguments[0].value
        if target.nameValue.map(PenaltyAction.label.targets.contains) != true {
            error(.badTarget, "'label' acts on 'account', 'inviter' or 'code', not \(target.range.text)", target.range)
        }
        if case .string(let name) = arguments[1].value.kind {
            if name.isEmpty || name.count > 64 || name.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                error(.typeMismatch, "a label is a word of 1 to 64 characters without spaces", arguments[1].value.range)
            }
        } else {
            error(.typeMismatch, "the label's name is a string such as \"farm\"", arguments[1].value.range)
        }
        if arguments.count == 3 {
            switch arguments[2].value.kind {
            case .duration, .name("forever"): break
            default: error(.typeMismatch, "a label lasts a duration (30d) or 'forever'", arguments[2].value.range)
            }
        }
    }

    mutating func checkPenaltyDuration(_ e: Expr) {
        switch e.kind {
        case .duration: return
        case .name("forever"): return
        case .call("escalate", _, let steps) where !steps.isEmpty:
            var previous: Int?
            for (i, step) in steps.enumerated() {
                if case .duration(let seconds) = step.value.kind, step.label == nil {
                    if let previous, seconds < previous {
                        diagnostics.append(
                            .warning(
                                .decreasing,
                                "escalate(…) steps should not shrink: a repeat offense gets a shorter penalty than the one before",
                                at: step.value.range))
                    }
                    previous = seconds
                    continue
                }
                if step.value.nameValue == "forever", i == steps.count - 1 { continue }
                error(.typeMismatch, "escalate(…) takes durations, with 'forever' allowed last", step.value.range)
            }
        default:
            error(.typeMismatch, "a penalty lasts a duration (1d), 'forever', or escalate(1d, 7d, …)", e.range)
        }
    }

    // MARK: fired() graph

    mutating func checkFiredCycles() {
        // Expand lets so that a rule reading a let that reads fired(X) depends on X.
        func ruleDependencies(_ name: String, seenLets: inout Set<String>) -> [(String, SourceRange)] {
            var out: [(String, SourceRange)] = []
            for ref in references[name] ?? [] {
                switch symbols[ref.name] {
                case .rule?: out.append((ref.name, ref.range))
                case .letValue?:
                    if seenLets.insert(ref.name).inserted {
                        out += ruleDependencies(ref.name, seenLets: &seenLets).map { ($0.0, ref.range) }
                    }
                default: break
                }
            }
            return out
        }
        var graph: [String: [(String, SourceRange)]] = [:]
        for rule in syntax.rules {
            var seen: Set<String> = []
            graph[rule.name.value] = ruleDependencies(rule.name.value, seenLets: &seen)
        }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var reported = false
        func visit(_ node: String, path: [String]) {
            state[node] = 1
            for (next, range) in graph[node] ?? [] where !reported {
                if state[next] == 1 {
                    let cycle = (path + [node]).drop(while: { $0 != next }) + [next]
                    diagnostics.append(
                        .error(.cycle, "rules depend on each other through fired(): \(cycle.joined(separator: " → "))", at: range))
                    reported = true
                    return
                }
                if state[next] == nil { visit(next, path: path + [node]) }
            }
            state[node] = 2
        }
        for rule in syntax.rules where state[rule.name.value] == nil && !reported { visit(rule.name.value, path: []) }
    }

    // MARK: warnings

    mutating func warnUnused() {
        for list in syntax.lists where !used.contains(list.name.value) {
            diagnostics.append(.warning(.unused, "list '\(list.name.value)' is never used", at: list.name.range))
        }
        for pattern in syntax.patterns where !used.contains(pattern.name.value) {
            diagnostics.append(.warning(.unused, "pattern '\(pattern.name.value)' is never used", at: pattern.name.range))
        }
        for model in syntax.models where !used.contains(model.name.value) {
            diagnostics.append(.warning(.unused, "model '\(model.name.value)' is never used", at: model.name.range))
        }
        for decl in syntax.lets where !used.contains(decl.name.value) {
            diagnostics.append(.warning(.unused, "'\(decl.name.value)' is never used", at: decl.name.range))
        }
    }

    /// A rule with the same events and the same condition as an earlier one adds nothing to detection.
    mutating func warnShadowedRules() {
        var seen: [String: RuleDecl] = [:]
        for rule in syntax.rules {
            guard let when = rule.when else { continue }
            let key = rule.on.map(\.value).sorted().joined(separator: ",") + "|" + Self.canonical(when.range.text)
            if let earlier = seen[key] {
                diagnostics.append(
                    .warning(
                        .shadowedRule, "rule '\(rule.name.value)' has the same events and condition as '\(earlier.name.value)'",
                        at: rule.name.range))
            } else {
                seen[key] = rule
            }
        }
    }

    package static func canonical(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    mutating func error(_ id: DiagnosticID, _ message: String, _ range: SourceRange, hint: String? = nil) {
        diagnostics.append(.error(id, message, at: range, hint: hint))
    }
}
