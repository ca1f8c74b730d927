/// An expression printed from its tree, the way rules are conventionally written: single
/// spaces around operators, `label: value`, `, ` between items, parentheses only where the
/// grammar needs them. Two spellings of the same expression (`by:account`, `by: account`,
/// `( account )`) print the same, so a counter's identity, and the state kept under it, does not
/// depend on white space or redundant parentheses.
extension Expr {
    package var canonical: String { Self.print(self, above: 0) }

    /// Binding strength of each level of the grammar (see `Parser+Expressions`), weakest first.
    private enum Level {
        static let or = 1, and = 2, not = 3, comparison = 4, additive = 5, multiplicative = 6, unary = 7, primary = 8
    }

    /// `e` printed, in parentheses when it binds more weakly than `above` requires.
    private static func print(_ e: Expr, above: Int) -> String {
        let (text, level) = printed(e)
        return level < above ? "(" + text + ")" : text
    }

    private static func printed(_ e: Expr) -> (String, Int) {
        switch e.kind {
        case .string(let s): return (quoted(s), Level.primary)
        case .integer(let n): return (String(n), Level.primary)
        case .decimal(let d): return (String(d), Level.primary)
        case .bool(let b): return (b ? "true" : "false", Level.primary)
        case .duration(let seconds): return (duration(seconds), Level.primary)
        case .list(let items): return ("[" + items.map { print($0, above: 0) }.joined(separator: ", ") + "]", Level.primary)
        case .object(let fields):
            return ("{ " + fields.map { $0.key + ": " + print($0.value, above: 0) }.joined(separator: ", ") + " }", Level.primary)
        case .name(let name): return (name, Level.primary)
        case .attribute(let name): return ("attrs." + name, Level.primary)
        case .regex(let pattern, let flags): return ("/" + pattern + "/" + flags, Level.primary)
        case .unary(.not, let x): return ("not " + print(x, above: Level.not), Level.not)
        case .unary(.negate, let x): return ("-" + print(x, above: Level.unary), Level.unary)
        case .binary(let op, let l, let r):
            let level: Int
            var rightAbove: Int
            switch op {
            case .or: (level, rightAbove) = (Level.or, Level.and)
            case .and: (level, rightAbove) = (Level.and, Level.not)
            case .add, .subtract: (level, rightAbove) = (Level.additive, Level.multiplicative)
            case .multiply, .divide: (level, rightAbove) = (Level.multiplicative, Level.unary)
            default: (level, rightAbove) = (Level.comparison, Level.additive)
            }
            let leftAbove = op.isComparison ? Level.additive : level
            if op.isComparison { rightAbove = Level.additive }
            return (print(l, above: leftAbove) + " " + op.rawValue + " " + print(r, above: rightAbove), level)
        case .contains(let s, let q, let needle):
            let word = q == .one ? "contains " : "contains " + q.rawValue + " "
            return (print(s, above: Level.additive) + " " + word + print(needle, above: Level.additive), Level.comparison)
        case .matches(let s, let pattern):
            return (print(s, above: Level.additive) + " matches " + print(pattern, above: Level.additive), Level.comparison)
        case .inList(let s, let list):
            return (print(s, above: Level.additive) + " in " + print(list, above: Level.additive), Level.comparison)
        case .call(let name, _, let arguments):
            let args = arguments.map { a in (a.label.map { $0 + ": " } ?? "") + print(a.value, above: 0) }
            return (name + "(" + args.joined(separator: ", ") + ")", Level.primary)
        }
    }

    /// A string literal as the lexer reads it back.
    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The largest unit that divides the duration: `1d`, not `24h` or `86400s`.
    private static func duration(_ seconds: Int) -> String {
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
