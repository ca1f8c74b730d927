import WardenLanguage
import WardenMatching

/// A rough price of evaluating an expression for one event, so that a condition's cheap parts
/// run first (`ConditionNode.test`). The unit is about one field read. Text work costs the
/// most: a `contains` shares one keyword scan of its field with every other (the first pays),
/// a regex runs PCRE2 unless the literal prefilter rules it out, and a model hashes every
/// feature of the text. Counter values are computed before the rules, so reading one is cheap.
extension Compiler {
    func cost(_ e: Expr) -> Int {
        var lets: Set<String> = []
        return cost(e, lets: &lets)
    }

    private func cost(_ e: Expr, lets: inout Set<String>) -> Int {
        switch e.kind {
        case .string, .integer, .decimal, .bool, .duration, .regex, .object:
            return 0
        case .list(let items):
            return items.reduce(0) { $0 + cost($1, lets: &lets) }
        case .attribute:
            return 1
        case .name(let name):
            if Field(name: name) != nil || name == "score" { return 1 }
            // A let is compiled once and not cached per event: its price is its expression's.
            guard let decl = syntax.lets.first(where: { $0.name.value == name }), lets.insert(name).inserted else { return 0 }
            return cost(decl.value, lets: &lets)
        case .unary(_, let x):
            return cost(x, lets: &lets)
        case .binary(_, let l, let r):
            return cost(l, lets: &lets) + cost(r, lets: &lets) + 1
        case .contains(let subject, _, _):
            return cost(subject, lets: &lets) + 10
        case .inList(let subject, _):
            return cost(subject, lets: &lets) + 2
        case .matches(let subject, let pattern):
            return cost(subject, lets: &lets) + (prefilterCanRuleOut(subject, pattern) ? 15 : 60)
        case .call(let name, _, let arguments):
            let inner = arguments.reduce(0) { $0 + cost($1.value, lets: &lets) }
            guard let builtin = Builtin(rawValue: name) else { return inner + 5 }
            switch builtin {
            case .count, .distinct, .sum: return 1
            case .fired, .hasModel: return 0
            case .near, .hits: return inner + 10
            case .normalize, .fingerprint: return inner + 8
            case .classify: return 100
            case .len, .subnet, .atLeast: return inner + 2
            case .matchesFormat, .active, .hasLabel, .inviterOf, .inviteDepth, .descendants, .redeemers, .redeemerDevices,
                .redeemerNetworks,
                .sameDeviceAsInviter, .sameNetworkAsInviter, .siblingsOnDevice, .siblingsOnNetwork, .issueDelay, .codeMaxUses,
                .qualifiedInvitees, .flaggedInvitees, .rewardTier:
                return inner + 5
            }
        }
    }

    /// Whether a `matches` reads a text the literal prefilter covers, with a pattern it can rule out.
    private func prefilterCanRuleOut(_ subject: Expr, _ pattern: Expr) -> Bool {
        let onText: Bool
        if let name = subject.nameValue {
            onText = Field(name: name).map { $0 != .to } ?? false
        } else if case .call("normalize", _, let args) = subject.kind {
            onText = args.first?.value.nameValue.flatMap(Field.init(name:)).map { $0 != .to } ?? false
        } else {
            onText = false
        }
        guard onText else { return false }
        switch pattern.kind {
        case .name(let name):
            guard let decl = syntax.patterns.first(where: { $0.name.value == name }) else { return false }
            return RegexPrefilter.canRuleOut(decl.pattern, flags: decl.flags)
        case .regex(let body, let flags):
            return RegexPrefilter.canRuleOut(body, flags: flags)
        default:
            return false
        }
    }
}
