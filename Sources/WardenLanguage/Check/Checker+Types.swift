/// Type inference for expressions.
extension Checker {
    struct SymbolKinds: OptionSet {
        let rawValue: Int
        static let lists = SymbolKinds(rawValue: 1)
        static let patterns = SymbolKinds(rawValue: 2)
        static let values = SymbolKinds(rawValue: 4)
        static let rules = SymbolKinds(rawValue: 8)
        static let models = SymbolKinds(rawValue: 16)
    }

    /// Checks that `e` has type `type` (or `any`), reporting otherwise.
    mutating func expect(_ e: Expr, _ type: ValueType, _ context: Context, what: String) {
        let actual = typeOf(e, context)
        if !type.accepts(actual), actual != .none {
            error(.typeMismatch, "\(what) needs a \(type.rawValue), but this is a \(actual.rawValue)", e.range)
        }
    }

    /// "did you mean" over the names of the given kinds (and fields for values).
    func nameHint(_ e: Expr, kinds: SymbolKinds) -> String? {
        guard let name = e.nameValue else { return nil }
        var candidates: [String] = []
        for (n, symbol) in symbols {
            switch symbol {
            case .list where kinds.contains(.lists), .pattern where kinds.contains(.patterns),
                .letValue where kinds.contains(.values), .rule where kinds.contains(.rules), .model where kinds.contains(.models):
                candidates.append(n)
            default: break
            }
        }
        if kinds.contains(.values) { candidates += Vocabulary.fields.keys }
        return Suggestion.hint(for: name, in: candidates.sorted())
    }

    mutating func typeOf(_ e: Expr, _ context: Context) -> ValueType {
        switch e.kind {
        case .string: return .string
        case .integer, .decimal: return .number
        case .bool: return .bool
        case .duration: return .duration
        case .regex(let pattern, _):
            warnBacktracking(pattern, at: e.range)
            return .pattern
        case .object:
            error(.typeMismatch, "an object is only allowed in a test step", e.range)
            return .any
        case .list(let items):
            for item in items {
                let t = typeOf(item, context)
                if !ValueType.string.accepts(t) {
                    error(.typeMismatch, "list literals hold strings; this is a \(t.rawValue)", item.range)
                }
            }
            return .stringList
        case .attribute: return .any
        case .name(let name): return typeOfName(name, e, context)
        case .unary(.not, let operand):
            expect(operand, .bool, context, what: "'not'")
            return .bool
        case .unary(.negate, let operand):
            let t = typeOf(operand, context)
            if !(t == .number || t == .duration || t == .any) {
                error(.typeMismatch, "'-' needs a number, but this is a \(t.rawValue)", operand.range)
            }
            return t == .duration ? .duration : .number
        case .binary(let op, let l, let r): return typeOfBinary(op, l, r, e, context)
        case .contains(let subject, let quantifier, let needle):
            let s = typeOf(subject, context)
            if !(s == .string || s == .stringList || s == .any) {
                error(.typeMismatch, "'contains' reads text, but this is a \(s.rawValue)", subject.range)
            }
            if quantifier == .one {
                expect(needle, .string, context, what: "'contains'")
            } else {
                expectWordList(needle, context, what: "'contains \(quantifier.rawValue)'")
            }
            return .bool
        case .matches(let subject, let pattern):
            expect(subject, .string, context, what: "'matches'")
            let t = typeOf(pattern, context)
            if t != .pattern {
                error(
                    .typeMismatch, "'matches' needs a pattern name or /regex/, but this is a \(t.rawValue)", pattern.range,
                    hint: nameHint(pattern, kinds: .patterns))
            }
            return .bool
        case .inList(let subject, let list):
            let s = typeOf(subject, context)
            let t = typeOf(list, context)
            switch t {
            case .wordList, .stringList, .any:
                if !(s == .string || s == .any) {
                    error(.typeMismatch, "'in' needs a string on its left, but this is a \(s.rawValue)", subject.range)
                }
            case .cidrList:
                if !(s == .string || s == .any) {
                    error(.typeMismatch, "'in' an address list needs an address on its left", subject.range)
                }
            case .none: break
            default:
                error(
                    .typeMismatch, "'in' needs a list on its right, but this is a \(t.rawValue)", list.range,
                    hint: nameHint(list, kinds: .lists))
            }
            return .bool
        case .call(let name, let nameRange, let arguments):
            return typeOfCall(name, nameRange, arguments, e, context)
        }
    }

    mutating func expectWordList(_ e: Expr, _ context: Context, what: String) {
        let t = typeOf(e, context)
        if t == .wordList || t == .stringList || t == .any || t == .none { return }
        error(.typeMismatch, "\(what) needs a word list, but this is a \(t.rawValue)", e.range, hint: nameHint(e, kinds: .lists))
    }

    mutating func typeOfName(_ name: String, _ e: Expr, _ context: Context) -> ValueType {
        if let field = Vocabulary.fields[name] { return field }
        if name == "score", case .decide = context { return .number }
        switch symbols[name] {
        case .list(let l)?:
            used.insert(name)
            return l.isCIDR ? .cidrList : .wordList
        case .pattern?:
            used.insert(name)
            return .pattern
        case .model?:
            used.insert(name)
            error(.typeMismatch, "'\(name)' is a model; write classify(\(name), text) for its score", e.range)
            return .none
        case .letValue(let decl)?:
            used.insert(name)
            if let owner { references[owner, default: []].append((name, e.range)) }
            return typeOfLet(decl)
        case .rule?:
            error(.typeMismatch, "'\(name)' is a rule; write fired(\(name)) to ask whether it fired", e.range)
            return .none
        case nil:
            let extra = name == "score" ? " ('score' is readable in decide lines only)" : ""
            error(.unknownName, "unknown name '\(name)'\(extra)", e.range, hint: nameHint(e, kinds: [.lists, .patterns, .values]))
            return .none
        }
    }

    mutating func typeOfBinary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ e: Expr, _ context: Context) -> ValueType {
        switch op {
        case .and, .or:
            expect(l, .bool, context, what: "'\(op.rawValue)'")
            expect(r, .bool, context, what: "'\(op.rawValue)'")
            return .bool
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            // `code != null`: whether a field is present (absent fields are null).
            if case .name("null") = r.kind {
                if op != .equal && op != .notEqual { error(.typeMismatch, "null is compared with == or != only", e.range) }
                _ = typeOf(l, context)
                return .bool
            }
            if case .name("null") = l.kind {
                error(.typeMismatch, "write the field first: X == null or X != null", e.range)
                return .bool
            }
            let a = typeOf(l, context)
            let b = typeOf(r, context)
            if a == .none || b == .none { return .bool }
            if !a.accepts(b) {
                error(.typeMismatch, "cannot compare a \(a.rawValue) with a \(b.rawValue)", e.range)
            } else if !(op == .equal || op == .notEqual), ![.number, .duration, .string, .any].contains(a) {
                error(.typeMismatch, "'\(op.rawValue)' orders numbers, durations or strings, not a \(a.rawValue)", e.range)
            } else if [.wordList, .cidrList, .pattern, .model].contains(a) {
                error(.typeMismatch, "cannot compare a \(a.rawValue) with '\(op.rawValue)'", e.range)
            }
            if case .string = l.kind, case .string = r.kind {
                diagnostics.append(.warning(.constantCondition, "this compares two constants", at: e.range))
            }
            return .bool
        case .add, .subtract, .multiply, .divide:
            let a = typeOf(l, context)
            let b = typeOf(r, context)
            if a == .none || b == .none { return .number }
            let numeric: Set<ValueType> = [.number, .duration, .any]
            if !numeric.contains(a) { error(.typeMismatch, "'\(op.rawValue)' needs numbers, but this is a \(a.rawValue)", l.range) }
            if !numeric.contains(b) { error(.typeMismatch, "'\(op.rawValue)' needs numbers, but this is a \(b.rawValue)", r.range) }
            if a == .duration && b == .duration { return op == .divide ? .number : .duration }
            if a == .duration || b == .duration { return .duration }
            return a == .any || b == .any ? .any : .number
        }
    }
}
