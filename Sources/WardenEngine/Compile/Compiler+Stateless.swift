import WardenLanguage

/// Which rules read nothing but the event: no counter, penalty, label, invite graph or score,
/// through lets and `fired()` alike. An audit judges those on the reader threads, beside the
/// text work (`Engine.prepare`), and the stateful evaluation in event-time order only reads
/// their outcome: same answer, less work on the one thread that must see every event in order.
///
/// A whitelist, not a blacklist: a built-in added later is stateful until it is listed here.
extension Compiler {
    /// Built-ins that read only their arguments, the event and the rule set's own data.
    static let statelessBuiltins: Set<Builtin> = [
        .near, .hits, .len, .fingerprint, .normalize, .atLeast, .matchesFormat, .subnet, .classify, .hasModel,
    ]

    /// Per rule, by declaration index.
    func statelessRules() -> [Bool] {
        let lets = Dictionary(syntax.lets.map { ($0.name.value, $0.value) }, uniquingKeysWith: { a, _ in a })
        var known: [Int: Bool] = [:]
        var visiting: Set<Int> = []
        var letsOpen: Set<String> = []

        func rule(_ i: Int) -> Bool {
            if let answer = known[i] { return answer }
            // A cycle of fired() is refused by the checker; stateful if one slips through.
            guard visiting.insert(i).inserted else { return false }
            defer { visiting.remove(i) }
            let decl = syntax.rules[i]
            let answer = (decl.when.map(pure) ?? true) && (decl.score.map(pure) ?? true)
            known[i] = answer
            return answer
        }

        func pure(_ e: Expr) -> Bool {
            switch e.kind {
            case .string, .integer, .decimal, .bool, .duration, .regex, .attribute: return true
            case .list(let items): return items.allSatisfy(pure)
            case .object(let fields): return fields.allSatisfy { pure($0.value) }
            case .unary(_, let x): return pure(x)
            case .binary(_, let a, let b), .contains(let a, _, let b), .matches(let a, let b), .inList(let a, let b):
                return pure(a) && pure(b)
            case .name(let n):
                // As `Compiler.nameValue` resolves it: a field, the score, a let, else a
                // declaration (list, pattern, model) or a word, all fixed at load.
                if Field(name: n) != nil { return true }
                if n == "score" { return false }
                guard let value = lets[n] else { return true }
                guard letsOpen.insert(n).inserted else { return false }
                defer { letsOpen.remove(n) }
                return pure(value)
            case .call(let name, _, let arguments):
                guard let builtin = Builtin(rawValue: name) else { return false }
                if builtin == .fired {
                    guard let target = arguments.first?.value.nameValue, let index = ruleIndex[target] else { return false }
                    return rule(index)
                }
                return Self.statelessBuiltins.contains(builtin) && arguments.allSatisfy { pure($0.value) }
            }
        }

        return syntax.rules.indices.map(rule)
    }
}
