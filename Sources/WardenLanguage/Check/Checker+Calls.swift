/// Signatures of the built-in functions.
extension Checker {
    mutating func typeOfCall(_ name: String, _ nameRange: SourceRange, _ args: [Argument], _ e: Expr, _ context: Context) -> ValueType {
        let positional = args.filter { $0.label == nil }.map(\.value)
        var labeled: [String: Argument] = [:]
        for arg in args {
            guard let label = arg.label else { continue }
            if labeled[label] != nil {
                error(.arguments, "'\(label):' is given twice", arg.labelRange ?? arg.value.range)
            }
            labeled[label] = arg
        }
        func arity(_ n: Int, _ shape: String) -> Bool {
            if positional.count == n { return true }
            error(.arguments, "\(name) takes \(shape)", e.range)
            return false
        }
        func allowLabels(_ allowed: Set<String>, _ shape: String) {
            for arg in args where arg.label != nil && !allowed.contains(arg.label!) {
                error(
                    .arguments, "\(name) has no '\(arg.label!):' argument; it takes \(shape)", arg.labelRange ?? arg.value.range,
                    hint: Suggestion.hint(for: arg.label!, in: allowed))
            }
        }
        guard let builtin = Builtin(rawValue: name) else {
            error(.unknownName, "unknown function '\(name)'", nameRange, hint: Self.unknownFunctionHint(name))
            // The arguments are still checked (their names count as used), and the call's type
            // is unknown rather than "no value", so one typo gives one error.
            for arg in args { _ = typeOf(arg.value, context) }
            return .any
        }
        switch builtin {
        case .count, .distinct, .sum:
            let shape =
                name == "count"
                ? "(by: KEY, within: DURATION | per: PERIOD [, where: CONDITION])"
                : "(FIELD, by: KEY, within: DURATION | per: PERIOD [, where: CONDITION])"
            allowLabels(["by", "within", "per", "where"], shape)
            if arity(name == "count" ? 0 : 1, shape), let field = positional.first {
                let t = typeOf(field, context)
                if name == "sum", !(t == .number || t == .duration || t == .any) {
                    error(.typeMismatch, "sum adds numbers, but this is a \(t.rawValue)", field.range)
                }
                if name == "distinct", !(t == .string || t == .stringList || t == .any || t == .number) {
                    error(.typeMismatch, "distinct counts values of a field, but this is a \(t.rawValue)", field.range)
                }
            }
            checkCounterWindow(name, labeled, e, context, shape: shape)
            return .number
        case .near:
            allowLabels(["within", "ordered"], "(TEXT, LIST_A, LIST_B, within: N [, ordered: true])")
            if let ordered = labeled["ordered"]?.value, case .bool = ordered.kind {
            } else if let ordered = labeled["ordered"]?.value {
                error(.typeMismatch, "'ordered:' is true or false", ordered.range)
            }
            if arity(3, "(TEXT, LIST_A, LIST_B, within: N [, ordered: true])") {
                expect(positional[0], .string, context, what: "near")
                expectWordList(positional[1], context, what: "near")
                expectWordList(positional[2], context, what: "near")
            }
            if let within = labeled["within"]?.value {
                if case .integer(let n) = within.kind, n >= 0 {
                } else {
                    error(.typeMismatch, "near(…, within: N) takes a number of characters", within.range)
                }
            } else {
                error(.arguments, "near needs 'within: N' (characters)", e.range)
            }
            return .bool
        case .hits:
            allowLabels([], "(TEXT, LIST)")
            if arity(2, "(TEXT, LIST)") {
                expect(positional[0], .string, context, what: "hits")
                expectWordList(positional[1], context, what: "hits")
            }
            return .number
        case .len:
            allowLabels([], "(VALUE)")
            if arity(1, "(VALUE)") {
                let t = typeOf(positional[0], context)
                if ![.string, .stringList, .any].contains(t) {
                    error(.typeMismatch, "len measures a string or a list, not a \(t.rawValue)", positional[0].range)
                }
            }
            return .number
        case .fingerprint, .normalize:
            allowLabels([], "(TEXT)")
            if arity(1, "(TEXT)") { expect(positional[0], .string, context, what: name) }
            return .string
        case .fired:
            allowLabels([], "(RULE)")
            guard arity(1, "(RULE)") else { return .bool }
            guard let rule = positional[0].nameValue, case .rule? = symbols[rule] else {
                error(
                    .unknownName, "fired(…) takes the name of a rule", positional[0].range, hint: nameHint(positional[0], kinds: .rules))
                return .bool
            }
            if case .decide = context {
                // Allowed: decide lines may ask which rules fired.
            } else if let owner {
                references[owner, default: []].append((rule, positional[0].range))
            }
            return .bool
        case .atLeast:
            allowLabels([], "(N, CONDITION, …)")
            guard positional.count >= 2 else {
                error(.arguments, "at_least takes (N, CONDITION, …)", e.range)
                return .bool
            }
            if case .integer(let n) = positional[0].kind, n >= 0 {
                if n > positional.count - 1 {
                    diagnostics.append(
                        .warning(
                            .constantCondition, "at_least(\(n), …) has only \(positional.count - 1) conditions: it is always false",
                            at: e.range))
                }
            } else {
                error(.typeMismatch, "at_least's first argument is a whole number", positional[0].range)
            }
            for condition in positional.dropFirst() { expect(condition, .bool, context, what: "at_least") }
            return .bool
        case .active:
            allowLabels([], "(ACTION, TARGET)")
            guard arity(2, "(ACTION, TARGET)") else { return .bool }
            let lasting = PenaltyAction.allCases.filter(\.isLasting).map(\.rawValue)
            guard let action = positional[0].nameValue, lasting.contains(action) else {
                error(
                    .unknownName, "active(…) takes a lasting penalty action (\(lasting.joined(separator: ", ")))", positional[0].range,
                    hint: positional[0].nameValue.flatMap { Suggestion.hint(for: $0, in: lasting) })
                return .bool
            }
            expect(positional[1], .string, context, what: "active(\(action), …)")
            return .bool
        case .hasLabel:
            allowLabels([], "(TARGET, \"LABEL\")")
            guard arity(2, "(TARGET, \"LABEL\")") else { return .bool }
            expect(positional[0], .string, context, what: "has_label's target")
            if case .string(let name) = positional[1].kind {
                if name.isEmpty || name.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                    error(.typeMismatch, "a label is a word without spaces", positional[1].range)
                }
            } else {
                error(.typeMismatch, "has_label's label is a string literal such as \"trusted\"", positional[1].range)
            }
            return .bool
        case .matchesFormat:
            allowLabels([], "(CODE, \"CHANNEL\")")
            if arity(2, "(CODE, \"CHANNEL\")") {
                // `matches_format("wework", code)`: the channel first is always false.
                if case .string(let first) = positional[0].kind, Vocabulary.codeFormats[first] != nil,
                    !{ if case .string = positional[1].kind { true } else { false } }()
                {
                    error(
                        .arguments, "matches_format takes the code first and the channel second: matches_format(code, \"\(first)\")",
                        e.range)
                    return .bool
                }
                expect(positional[0], .string, context, what: "matches_format")
                if case .string(let channel) = positional[1].kind {
                    if Vocabulary.codeFormats[channel] == nil {
                        error(
                            .unknownName, "unknown channel \"\(channel)\" for a code format", positional[1].range,
                            hint: Suggestion.hint(for: channel, in: Vocabulary.codeFormats.keys)
                                ?? "channels are \(Vocabulary.codeFormats.keys.sorted().joined(separator: ", "))")
                    }
                } else {
                    expect(positional[1], .string, context, what: "matches_format")
                }
            }
            return .bool
        case .hasModel:
            allowLabels([], "(MODEL)")
            guard arity(1, "(MODEL)") else { return .bool }
            if let model = positional[0].nameValue, case .model? = symbols[model] {
                used.insert(model)
            } else {
                let declared = syntax.models.map(\.name.value)
                error(
                    .unknownName,
                    positional[0].nameValue.map { "unknown model '\($0)'" } ?? "has_model(…) takes the name of a model",
                    positional[0].range,
                    hint: nameHint(positional[0], kinds: .models)
                        ?? (declared.isEmpty
                            ? "declare one: model NAME = file(\"NAME.model\", optional: true)"
                            : "models are \(declared.joined(separator: ", "))"))
            }
            return .bool
        case .classify:
            allowLabels([], "(MODEL, TEXT)")
            guard arity(2, "(MODEL, TEXT)") else { return .number }
            if let model = positional[0].nameValue, case .model? = symbols[model] {
                used.insert(model)
            } else if let field = positional[0].nameValue, Vocabulary.fields[field] != nil {
                error(
                    .typeMismatch, "classify's first argument is a model, not the field '\(field)'", positional[0].range,
                    hint: "write classify(MODEL, \(field))")
            } else {
                let declared = syntax.models.map(\.name.value)
                error(
                    .unknownName,
                    positional[0].nameValue.map { "unknown model '\($0)'" } ?? "classify(…) takes the name of a model", positional[0].range,
                    hint: nameHint(positional[0], kinds: .models)
                        ?? (declared.isEmpty
                            ? "declare one: model NAME = file(\"NAME.model\")" : "models are \(declared.joined(separator: ", "))"))
            }
            expect(positional[1], .string, context, what: "classify")
            return .number
        case .inviterOf, .inviteDepth, .descendants, .redeemers, .redeemerDevices, .redeemerNetworks, .sameDeviceAsInviter,
            .sameNetworkAsInviter, .siblingsOnDevice, .siblingsOnNetwork, .issueDelay, .codeMaxUses, .qualifiedInvitees, .flaggedInvitees,
            .rewardTier:
            return typeOfInviteCall(name, builtin.invite!, positional, labeled, e, context)
        case .subnet:
            allowLabels([], "(ADDRESS, PREFIX_BITS)")
            if arity(2, "(ADDRESS, PREFIX_BITS)") {
                expect(positional[0], .string, context, what: "subnet")
                if case .integer(let n) = positional[1].kind, (0...128).contains(n) {
                } else {
                    error(.typeMismatch, "subnet(…)'s prefix is a number of bits from 0 to 128, such as 24", positional[1].range)
                }
            }
            return .string
        }
    }

    mutating func checkCounterWindow(_ name: String, _ labeled: [String: Argument], _ e: Expr, _ context: Context, shape: String) {
        if case .decide = context {
            error(.context, "counters are not available in decide lines", e.range)
        }
        if let by = labeled["by"]?.value {
            let keys: [Expr] = if case .list(let items) = by.kind { items } else { [by] }
            for key in keys {
                let t = typeOf(key, context)
                if [.wordList, .cidrList, .pattern, .bool].contains(t) {
                    error(.typeMismatch, "a counter key is a field or a value, not a \(t.rawValue)", key.range)
                }
                if let field = key.nameValue, ["id", "ts", "text", "message"].contains(field) {
                    diagnostics.append(
                        .warning(
                            .unboundedKey, "a counter keyed by '\(field)' keeps a key for almost every event",
                            at: key.range, hint: "count per account, device, ip or code; for repeated texts use fingerprint(text)"))
                }
            }
        } else {
            error(.arguments, "\(name) needs 'by:' (the key to count per, such as account)", e.range)
        }
        switch (labeled["within"], labeled["per"]) {
        case (let within?, nil):
            if case .duration(let seconds) = within.value.kind, seconds > 0 {
            } else {
                error(.typeMismatch, "'within:' takes a duration such as 1d", within.value.range)
            }
        case (nil, let per?):
            if let period = per.value.nameValue, Vocabulary.calendarPeriods[period] != nil {
                if ["day", "week"].contains(period), syntax.header?.timezone == nil {
                    diagnostics.append(
                        .warning(
                            .timezone, "'per: \(period)' starts each \(period) at midnight UTC: the rule set names no timezone",
                            at: per.value.range,
                            hint: "add timezone \"Asia/Shanghai\" (or your users' zone) to the ruleset line"))
                }
            } else {
                error(
                    .typeMismatch, "'per:' takes minute, hour, day or week", per.value.range,
                    hint: per.value.nameValue.flatMap { Suggestion.hint(for: $0, in: Vocabulary.calendarPeriods.keys) })
            }
        case (.some, .some):
            error(.arguments, "\(name) takes either 'within:' or 'per:', not both", e.range)
        case (nil, nil):
            error(.arguments, "\(name) needs a window: 'within: DURATION' or 'per: day'", e.range)
        }
        if let condition = labeled["where"]?.value {
            expect(condition, .bool, context, what: "'where:'")
        }
    }

    /// The invite graph's built-ins: one account (or code) argument, and a window where the
    /// built-in counts in one.
    mutating func typeOfInviteCall(
        _ name: String, _ signature: Builtin.InviteSignature, _ positional: [Expr], _ labeled: [String: Argument], _ e: Expr,
        _ context: Context
    ) -> ValueType {
        let shape =
            "(\(signature.argument)\(signature.window == .none ? "" : signature.window == .optional ? " [, within: DURATION]" : ", within: DURATION"))"
        for (label, arg) in labeled where !(label == "within" && signature.window != .none) {
            error(.arguments, "\(name) has no '\(label):' argument; it takes \(shape)", arg.labelRange ?? arg.value.range)
        }
        if case .decide = context {
            error(.context, "the invite graph is not available in decide lines", e.range)
        }
        if positional.count == 1 {
            expect(positional[0], .string, context, what: name)
        } else {
            error(.arguments, "\(name) takes \(shape)", e.range)
        }
        if let within = labeled["within"]?.value {
            if case .duration(let seconds) = within.kind, seconds > 0 {
            } else {
                error(.typeMismatch, "'within:' takes a duration such as 1d", within.range)
            }
        } else if signature.window == .required {
            error(.arguments, "\(name) needs a window: 'within: DURATION'", e.range)
        }
        return signature.type
    }

    /// "Did you mean", the operator form of an operator written as a call, or the built-ins.
    static func unknownFunctionHint(_ name: String) -> String {
        let operators = ["contains": "TEXT contains any LIST", "matches": "TEXT matches PATTERN", "in": "VALUE in LIST"]
        if let form = operators[name.lowercased()] { return "'\(name.lowercased())' is an operator: \(form)" }
        if let near = Suggestion.closest(to: name, in: Vocabulary.builtins + operators.keys) {
            return operators[near].map { "did you mean '\(near)'? It is an operator: \($0)" } ?? "did you mean '\(near)'?"
        }
        return "built-in functions are " + Vocabulary.builtins.sorted().joined(separator: ", ")
    }
}
