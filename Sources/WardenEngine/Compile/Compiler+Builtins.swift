import WardenLanguage
import WardenMatching
import WardenModels

/// The built-in functions of SPEC §2.
extension Compiler {
    func call(_ name: String, _ arguments: [Argument], _ e: Expr) -> Eval {
        let positional = arguments.filter { $0.label == nil }.map(\.value)
        func labeled(_ label: String) -> Expr? { arguments.first { $0.label == label }?.value }
        // The checker refused unknown names; a rule set with errors is never compiled.
        guard let builtin = Builtin(rawValue: name) else { return { _ in .null } }
        switch builtin {
        case .count, .distinct, .sum:
            let index = counter(name, positional, labeled, e)
            return { ctx in ctx.counterValues[index] }
        case .active:
            guard let action = positional[0].nameValue.flatMap(PenaltyAction.init(rawValue:)), let targetKind = action.targetKind else {
                return { _ in .bool(false) }
            }
            if targetKind == .account, positional[1].nameValue != "account" {
                penaltiesReadOn.insert(positional[1].nameValue ?? "a computed account")
            }
            let target = expression(positional[1])
            return { ctx in
                guard let value = target(ctx).string else { return .bool(false) }
                guard let record = ctx.ledger?.inForce(action: action, targetKind: targetKind, target: value, at: ctx.now) else {
                    return .bool(false)
                }
                ctx.penaltiesRead.append(record.id)
                return .bool(true)
            }
        case .hasLabel:
            guard case .string(let label) = positional[1].kind else { return { _ in .bool(false) } }
            let kind: EntityLabel.Kind =
                switch positional[0].nameValue {
                case "code": .code
                case "device": .device
                default: .account
                }
            let target = expression(positional[0])
            return { ctx in
                guard let review = ctx.review, let value = target(ctx).string else { return .bool(false) }
                return .bool(review.hasLabel(kind: kind, target: value, label: label, at: ctx.now))
            }
        case .near:
            let scan = textHits(positional[0])
            guard let a = wordList(positional[1]), let b = wordList(positional[2]),
                case .integer(let within)? = labeled("within")?.kind
            else { return { _ in .bool(false) } }
            let names = (listNames[a], listNames[b])
            let lists = (a, b)
            let entries = (keywordLists[a].entries, keywordLists[b].entries)
            let folds = (keywordLists[a].folds, keywordLists[b].folds)
            var ordered = false
            if case .bool(true)? = labeled("ordered")?.kind { ordered = true }
            let inOrder = ordered
            return { ctx in
                guard let scanned = scan(ctx) else { return .bool(false) }
                let field = scanned.field
                let xs = scanned.hits[a]
                let ys = scanned.hits[b]
                guard !xs.isEmpty, !ys.isEmpty else { return .bool(false) }
                // Distances as the reader sees the text: in display order when it holds a
                // right-to-left override (出售 stored after 邀请码 but shown before it), and
                // without invisible characters (zero-width, bidi controls, variation selectors):
                // padding must not pull two cues apart. Worked out only when a raw gap is too long.
                var shown: DisplayPositions??
                for x in xs {
                    for y in ys {
                        // Characters between the two hits (0 when they touch or overlap); with
                        // `ordered`, the entry of A must end before the entry of B starts.
                        var gap = Self.gap(x.span, y.span, ordered: inOrder)
                        if gap.map({ $0 > within }) ?? true {
                            if shown == nil { shown = .some(DisplayPositions(scanned.text(ctx))) }
                            let positions = shown!
                            let (sx, sy) = (positions?.shown(x.span) ?? x.span, positions?.shown(y.span) ?? y.span)
                            gap = Self.gap(sx, sy, ordered: inOrder)
                            guard let g = gap else { continue }
                            if g > within {
                                let between = sy.lowerBound >= sx.upperBound ? sx.upperBound..<sy.lowerBound : sy.upperBound..<sx.lowerBound
                                guard positions?.visible(between) ?? Self.visibleScalars(scanned.text(ctx), between) <= within else {
                                    continue
                                }
                            }
                        }
                        guard ctx.collectsEvidence else { return .bool(true) }
                        let text = scanned.text(ctx)
                        ctx.evidence.append(
                            Evidence.keyword(
                                field: field?.name, list: names.0,
                                entry: ctx.live?.entry(x.entry, of: lists.0, staticEntries: entries.0) ?? entries.0[x.entry], span: x.span,
                                text: text, folds: folds.0))
                        ctx.evidence.append(
                            Evidence.keyword(
                                field: field?.name, list: names.1,
                                entry: ctx.live?.entry(y.entry, of: lists.1, staticEntries: entries.1) ?? entries.1[y.entry], span: y.span,
                                text: text, folds: folds.1))
                        return .bool(true)
                    }
                }
                return .bool(false)
            }
        case .hits:
            let scan = textHits(positional[0])
            guard let list = wordList(positional[1]) else { return { _ in .number(0) } }
            return { ctx in
                guard let found = scan(ctx)?.hits[list] else { return .number(0) }
                if found.count <= 1 { return .number(Double(found.count)) }
                return .number(Double(Set(found.map(\.entry)).count))
            }
        case .len:
            let f = expression(positional[0])
            return { ctx in
                switch f(ctx) {
                case .string(let s): .number(Double(s.unicodeScalars.count))
                case .strings(let items): .number(Double(items.count))
                default: .null
                }
            }
        case .normalize:
            if let field = positional[0].nameValue.flatMap(Field.init(name:)) {
                return { ctx in ctx.normalized(field).map(Value.string) ?? .null }
            }
            let f = expression(positional[0])
            return { ctx in f(ctx).string.map { .string(EvaluationContext.folder.foldedString($0)) } ?? .null }
        case .fingerprint:
            if let field = positional[0].nameValue.flatMap(Field.init(name:)) {
                return { ctx in ctx.fingerprint(field).map(Value.string) ?? .null }
            }
            let f = expression(positional[0])
            return { ctx in
                guard let s = f(ctx).string else { return .null }
                return .string(EvaluationContext.fingerprint(EvaluationContext.folder.foldedString(s)))
            }
        case .fired:
            guard let rule = positional.first?.nameValue, let index = ruleIndex[rule] else { return { _ in .bool(false) } }
            dependencies.insert(index)
            return { ctx in .bool(ctx.fired[index]) }
        case .atLeast:
            guard case .integer(let n) = positional[0].kind else { return { _ in .bool(false) } }
            let conditions = positional.dropFirst().map(expression)
            return { ctx in
                var count = 0
                for condition in conditions where condition(ctx).isTrue {
                    count += 1
                    if count >= n { return .bool(true) }
                }
                return .bool(count >= n)
            }
        case .matchesFormat:
            let code = expression(positional[0])
            let channel = expression(positional[1])
            return { ctx in
                guard let c = code(ctx).string, let ch = channel(ctx).string, let lengths = Vocabulary.codeFormats[ch] else {
                    return .bool(false)
                }
                let scalars = c.unicodeScalars
                let alphanumeric = scalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
                return .bool(alphanumeric && lengths.contains(scalars.count))
            }
        case .hasModel:
            let loaded = positional[0].nameValue.flatMap { modelIndex[$0] } != nil
            return { _ in .bool(loaded) }
        case .classify:
            guard let name = positional[0].nameValue, let index = modelIndex[name] else { return { _ in .null } }
            let model = models[index].model
            if let field = positional[1].nameValue.flatMap(Field.init(name:)), field != .to {
                let slot = ModelSlot.slot(model: index, field: field)
                classifiedSlots.insert(slot)
                return { ctx in ctx.classify(model, name: name, slot: slot, field: field) }
            }
            let text = expression(positional[1])
            return { ctx in
                guard let s = text(ctx).string else { return .null }
                let score = model.probability(s)
                if ctx.collectsEvidence {
                    ctx.evidence.append(EvaluationContext.modelEvidence(model, name: name, field: nil, text: s, score: score))
                }
                return .number(score)
            }
        case .inviterOf, .inviteDepth, .descendants, .redeemers, .redeemerDevices, .redeemerNetworks, .sameDeviceAsInviter,
            .sameNetworkAsInviter, .siblingsOnDevice, .siblingsOnNetwork, .issueDelay, .codeMaxUses, .qualifiedInvitees, .flaggedInvitees,
            .rewardTier:
            return inviteCall(builtin, positional, labeled)
        case .subnet:
            let address = expression(positional[0])
            guard case .integer(let bits) = positional[1].kind else { return { _ in .null } }
            return { ctx in
                guard let text = address(ctx).string, let ip = ctx.address(text), let net = ip.network(prefix: bits) else { return .null }
                return .string(net)
            }
        }
    }
}

extension Compiler {
    /// Registers a counter (once per identity) and returns its index.
    func counter(_ name: String, _ positional: [Expr], _ labeled: (String) -> Expr?, _ e: Expr) -> Int {
        dependencies.insert(Self.readsCounters)
        let window: CounterSpec.Window
        if case .duration(let seconds)? = labeled("within")?.kind {
            window = .rolling(seconds: seconds)
        } else {
            let period = labeled("per")?.nameValue ?? "day"
            window = .calendar(period: period, seconds: Vocabulary.calendarPeriods[period] ?? 86_400)
        }
        let byExpr = labeled("by")
        let keyExprs: [Expr] = if case .list(let items)? = byExpr?.kind { items } else { byExpr.map { [$0] } ?? [] }
        // Printed from the tree, not taken from the source: `by:account` and `by: account` are
        // one counter, and reformatting a rule keeps its state.
        let keyNames = keyExprs.map(\.canonical)
        let whereExpr = labeled("where")
        let identity = [
            name, positional.first?.canonical ?? "", keyNames.joined(separator: ","),
            window.label, whereExpr?.canonical ?? "",
            currentOn.map(\.rawValue).sorted().joined(separator: ","),
        ].joined(separator: "|")
        if let existing = counterIndex[identity] {
            if !currentRule.isEmpty, counterRules[existing]?.contains(currentRule) != true {
                counterRules[existing, default: []].append(currentRule)
            }
            return existing
        }
        let spec = CounterSpec(
            kind: CounterSpec.Kind(rawValue: name)!, window: window, identity: identity, keyNames: keyNames,
            keys: keyExprs.map { CompiledExpression(eval: expression($0)) },
            field: positional.first.map { CompiledExpression(eval: expression($0)) },
            filter: whereExpr.map { CompiledExpression(eval: expression($0)) },
            on: currentOn)
        counters.append(spec)
        counterIndex[identity] = counters.count - 1
        if !currentRule.isEmpty { counterRules[counters.count - 1] = [currentRule] }
        return counters.count - 1
    }

    /// The counter index when `e` is a counter call.
    func counterCall(_ e: Expr) -> Int? {
        guard case .call(let name, _, let arguments) = e.kind, ["count", "distinct", "sum"].contains(name) else { return nil }
        let positional = arguments.filter { $0.label == nil }.map(\.value)
        return counter(name, positional, { label in arguments.first { $0.label == label }?.value }, e)
    }

    /// Characters between two spans (0 when they touch or overlap); with `ordered`, nil when the
    /// first does not end before the second starts.
    static func gap(_ x: Range<Int>, _ y: Range<Int>, ordered: Bool) -> Int? {
        if ordered {
            let g = y.lowerBound - x.upperBound
            return g >= 0 ? g : nil
        }
        return max(0, y.lowerBound - x.upperBound, x.lowerBound - y.upperBound)
    }

    /// Scalars in `range` that a reader sees (`DisplayPositions.isVisible`).
    static func visibleScalars(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        return scalars[max(0, range.lowerBound)..<min(scalars.count, range.upperBound)].filter(DisplayPositions.isVisible).count
    }
}
