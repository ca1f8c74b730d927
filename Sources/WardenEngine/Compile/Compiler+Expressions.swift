import WardenLanguage
import WardenMatching

/// Expressions to closures. Every name is resolved here, once; a closure does no lookups by name.
extension Compiler {
    func expression(_ e: Expr) -> Eval {
        switch e.kind {
        case .string(let s): return { _ in .string(s) }
        case .integer(let n): return { _ in .number(Double(n)) }
        case .decimal(let d): return { _ in .number(d) }
        case .bool(let b): return { _ in .bool(b) }
        case .duration(let seconds): return { _ in .number(Double(seconds)) }
        case .list(let items):
            let values = items.map(expression)
            return { ctx in .strings(values.compactMap { $0(ctx).string }) }
        case .object:
            return { _ in .null }
        case .attribute(let name):
            return { ctx in
                switch ctx.event.attrs[name] {
                case .string(let s)?: .string(s)
                case .number(let n)?: .number(n)
                case .bool(let b)?: .bool(b)
                case nil: .null
                }
            }
        case .name(let name): return nameValue(name, e)
        case .regex:
            return { _ in .null }  // only meaningful on the right of `matches`
        case .unary(.not, let operand):
            let f = expression(operand)
            return { ctx in .bool(!f(ctx).isTrue) }
        case .unary(.negate, let operand):
            let f = expression(operand)
            return { ctx in f(ctx).number.map { .number(-$0) } ?? .null }
        case .binary(let op, let l, let r): return binary(op, l, r)
        case .contains(let subject, let quantifier, let needle): return contains(subject, quantifier, needle)
        case .matches(let subject, let pattern): return matches(subject, pattern)
        case .inList(let subject, let list): return inList(subject, list)
        case .call(let name, _, let arguments): return call(name, arguments, e)
        }
    }

    func nameValue(_ name: String, _ e: Expr) -> Eval {
        if let field = Field(name: name) {
            return { ctx in field.value(of: ctx.event, now: ctx.now) }
        }
        if name == "score" { return { ctx in .number(ctx.score) } }
        if let decl = syntax.lets.first(where: { $0.name.value == name }) {
            // A let is compiled once per set of event types that read it: counters inside it
            // count the events of the rules that use it, so their identity depends on those.
            let memo = name + "|" + currentOn.map(\.rawValue).sorted().joined(separator: ",")
            if let compiled = lets[memo] {
                dependencies.formUnion(compiled.rules)
                return compiled.eval
            }
            if letsInProgress.contains(name) { return { _ in .null } }  // the checker reported the cycle
            letsInProgress.insert(name)
            let saved = dependencies
            dependencies = []
            let eval = expression(decl.value)
            lets[memo] = (eval, dependencies)
            dependencies.formUnion(saved)
            letsInProgress.remove(name)
            return eval
        }
        // Lists and patterns are values only in the positions that take them.
        return { _ in .null }
    }

    func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr) -> Eval {
        // `X == null` / `X != null`: presence, not a comparison (a comparison with null is false).
        if case .name("null") = r.kind, op == .equal || op == .notEqual {
            let x = expression(l)
            let wantsNull = op == .equal
            return { ctx in
                if case .null = x(ctx) { return .bool(wantsNull) }
                return .bool(!wantsNull)
            }
        }
        let a = expression(l)
        let b = expression(r)
        switch op {
        case .and: return { ctx in .bool(a(ctx).isTrue && b(ctx).isTrue) }
        case .or: return { ctx in .bool(a(ctx).isTrue || b(ctx).isTrue) }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            if let counter = counterCall(l) {
                return { ctx in
                    let (x, y) = (a(ctx), b(ctx))
                    let result = Self.compare(op, x, y)
                    if result, ctx.collectsEvidence { ctx.evidence.append(ctx.counterEvidence(counter, limit: y.number)) }
                    return .bool(result)
                }
            }
            if let evidence = inviteEvidenceCall(l) {
                return { ctx in
                    let (x, y) = (a(ctx), b(ctx))
                    let result = Self.compare(op, x, y)
                    if result, ctx.collectsEvidence, let e = evidence(ctx, x, y.number) { ctx.evidence.append(e) }
                    return .bool(result)
                }
            }
            return { ctx in .bool(Self.compare(op, a(ctx), b(ctx))) }
        case .add, .subtract, .multiply, .divide:
            return { ctx in
                guard let x = a(ctx).number, let y = b(ctx).number else { return .null }
                switch op {
                case .add: return .number(x + y)
                case .subtract: return .number(x - y)
                case .multiply: return .number(x * y)
                default: return y == 0 ? .null : .number(x / y)
                }
            }
        }
    }

    /// Comparisons with null, or between different kinds, are false.
    static func compare(_ op: BinaryOperator, _ x: Value, _ y: Value) -> Bool {
        switch (x, y) {
        case (.number(let p), .number(let q)): return order(op, p, q)
        case (.string(let p), .string(let q)): return order(op, p, q)
        case (.bool(let p), .bool(let q)):
            return op == .equal ? p == q : op == .notEqual ? p != q : false
        case (.strings(let p), .strings(let q)):
            return op == .equal ? p == q : op == .notEqual ? p != q : false
        default:
            return false
        }
    }

    static func order<T: Comparable>(_ op: BinaryOperator, _ p: T, _ q: T) -> Bool {
        switch op {
        case .equal: p == q
        case .notEqual: p != q
        case .less: p < q
        case .lessEqual: p <= q
        case .greater: p > q
        default: p >= q
        }
    }

    /// The list a word-list position names: a declared list, or a literal `[…]` as a hidden list.
    func wordList(_ e: Expr) -> Int? {
        if let name = e.nameValue { return wordListIndex[name] }
        if case .list(let items) = e.kind {
            let entries = items.compactMap { if case .string(let s) = $0.kind { s } else { nil } }
            let index = keywordLists.count
            keywordLists.append(KeywordList(name: "[…]", entries: entries))
            listNames.append(nil)
            return index
        }
        return nil
    }

    /// Keyword hits of all lists in a text: the cached scan for a field, a fresh scan otherwise.
    func textHits(_ subject: Expr) -> @Sendable (EvaluationContext) -> TextScan? {
        if let name = subject.nameValue, let field = Field(name: name), field != .to {
            scannedFields.insert(field)
            return { ctx in
                guard let hits = ctx.hits(in: field) else { return nil }
                return TextScan(hits: hits, field: field, scalars: nil)
            }
        }
        let f = expression(subject)
        return { ctx in
            switch f(ctx) {
            case .string(let s):
                var hits = ctx.matcher.scan(s)
                if let live = ctx.live { live.scan(s, into: &hits) }
                return TextScan(hits: hits, field: nil, scalars: s.scalarArray)
            case .strings(let items):
                // A list field: each element is scanned on its own, so no hit spans two elements;
                // spans are given as if the elements were joined by line breaks.
                var merged = [[KeywordHit]](repeating: [], count: ctx.matcher.lists.count)
                var scalars: [Unicode.Scalar] = []
                for (k, item) in items.enumerated() {
                    if k > 0 { scalars.append("\n") }
                    let offset = scalars.count
                    var itemHits = ctx.matcher.scan(item)
                    if let live = ctx.live { live.scan(item, into: &itemHits) }
                    for (list, hits) in itemHits.enumerated() {
                        merged[list] += hits.map {
                            KeywordHit(list: $0.list, entry: $0.entry, span: ($0.span.lowerBound + offset)..<($0.span.upperBound + offset))
                        }
                    }
                    scalars += item.unicodeScalars
                }
                return TextScan(hits: merged, field: nil, scalars: scalars)
            default: return nil
            }
        }
    }

    func contains(_ subject: Expr, _ quantifier: Quantifier, _ needle: Expr) -> Eval {
        let scan = textHits(subject)
        let list: Int
        if quantifier == .one {
            guard case .string(let literal) = needle.kind else {
                // A computed needle: fold both sides and search.
                let s = expression(subject)
                let n = expression(needle)
                return { ctx in
                    guard let text = s(ctx).string, let word = n(ctx).string else { return .bool(false) }
                    return .bool(EvaluationContext.folder.occurs(word, in: text, boundary: true))
                }
            }
            list = literalList(literal)
        } else {
            guard let index = wordList(needle) else { return { _ in .bool(false) } }
            list = index
        }
        let entryCount = keywordLists[list].entries.count
        let entries = keywordLists[list].entries
        let listName = listNames[list]
        let folds = keywordLists[list].folds
        return { ctx in
            guard let scanned = scan(ctx) else { return .bool(false) }
            let found = scanned.hits[list]
            let field = scanned.field
            let result: Bool
            switch quantifier {
            case .one, .any: result = !found.isEmpty
            case .all:
                let count = entryCount + (ctx.live?.count(of: list) ?? 0)
                result = count > 0 && Set(found.map(\.entry)).count == count
            }
            if result, ctx.collectsEvidence {
                let text = scanned.text(ctx)
                for hit in found.prefix(8) {
                    ctx.evidence.append(
                        Evidence.keyword(
                            field: field?.name, list: listName,
                            entry: ctx.live?.entry(hit.entry, of: list, staticEntries: entries) ?? entries[hit.entry], span: hit.span,
                            text: text, folds: folds))
                }
            }
            return .bool(result)
        }
    }

    func matches(_ subject: Expr, _ pattern: Expr) -> Eval {
        let regex: CompiledRegex?
        let label: String
        switch pattern.kind {
        case .name(let name):
            regex = patterns[name]
            label = name
        case .regex(let body, let flags):
            let key = "\(pattern.range.file.path):\(pattern.range.bytes.lowerBound)"
            if let cached = inlineRegexes[key] {
                regex = cached
            } else {
                regex = compileRegex(body, flags: flags, at: pattern.range)
                inlineRegexes[key] = regex
            }
            label = pattern.range.text
        default:
            regex = nil
            label = ""
        }
        guard let regex else { return { _ in .bool(false) } }
        let s = expression(subject)
        let field = subject.nameValue.flatMap(Field.init(name:))
        // Patterns on the same text (a field, or a field's folded form) share one literal
        // prefilter scan per event.
        var textSlot: Int?
        if let field, field != .to {
            textSlot = TextSlot.raw(field)
        } else if case .call("normalize", _, let args) = subject.kind, let f = args.first?.value.nameValue.flatMap(Field.init(name:)),
            f != .to
        {
            textSlot = TextSlot.normalized(f)
        }
        var slot: Int?
        if let textSlot {
            var list = fieldPatterns[textSlot] ?? []
            let key = (
                regex.pattern,
                pattern.nameValue != nil ? regexFlags(pattern) : { if case .regex(_, let f) = pattern.kind { f } else { "" } }()
            )
            if let i = list.firstIndex(where: { $0.pattern == key.0 && $0.flags == key.1 }) {
                slot = i
            } else {
                list.append(key)
                slot = list.count - 1
            }
            fieldPatterns[textSlot] = list
        }
        let prefilterSlot = slot
        let prefilterText = textSlot
        return { ctx in
            let candidate = prefilterText.flatMap { t in prefilterSlot.map { ctx.regexCandidate(t, $0) } } ?? true
            // A text with a right-to-left override is also matched as shown (its PDF-less tail
            // reversed), whatever the prefilter saw in the stored order.
            let shown = prefilterText.flatMap { ctx.display($0) }
            guard candidate || shown != nil else { return .bool(false) }
            guard let text = (prefilterText.flatMap { ctx.text($0) }) ?? s(ctx).string else { return .bool(false) }
            do throws(RegexError) {
                var span = candidate ? try regex.firstMatch(in: text, scratch: ctx.matchScratch) : nil
                if span == nil, let shown, let at = try regex.firstMatch(in: shown.text, scratch: ctx.matchScratch) {
                    span = shown.stored(at)
                }
                guard let span else { return .bool(false) }
                guard ctx.collectsEvidence else { return .bool(true) }
                ctx.evidence.append(
                    Evidence(
                        kind: .regex, field: field?.name, list: nil, entry: nil, pattern: label, span: span,
                        excerpt: Evidence.excerpt(Array(text.unicodeScalars), span)))
                return .bool(true)
            } catch {
                ctx.warnings.append("rule \(ctx.ruleName): pattern \(label): \(error.message); treated as no match")
                return .bool(false)
            }
        }
    }

    /// The flags a named pattern was declared with.
    func regexFlags(_ pattern: Expr) -> String {
        guard let name = pattern.nameValue else { return "" }
        return syntax.patterns.first { $0.name.value == name }?.flags ?? ""
    }

    func inList(_ subject: Expr, _ list: Expr) -> Eval {
        let s = expression(subject)
        if let name = list.nameValue, let ranges = cidrLists[name] {
            return { ctx in
                guard let text = s(ctx).string, let address = ctx.address(text) else { return .bool(false) }
                return .bool(ranges.contains { $0.contains(address) })
            }
        }
        if let name = list.nameValue, let set = wordSets[name] {
            guard let index = wordListIndex[name], liveLists.contains(where: { $0.index == index }) else {
                return { ctx in .bool(s(ctx).string.map(set.contains) ?? false) }
            }
            return { ctx in
                guard let value = s(ctx).string else { return .bool(false) }
                return .bool(set.contains(value) || ctx.live?.contains(value, in: index) == true)
            }
        }
        let l = expression(list)
        return { ctx in
            guard let x = s(ctx).string, case .strings(let items) = l(ctx) else { return .bool(false) }
            return .bool(items.contains(x))
        }
    }
}
