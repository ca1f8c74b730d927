extension Parser {
    mutating func parseRule(_ keyword: Token) throws(Diagnostic) -> RuleDecl {
        let name = try expectName("the rule's name")
        var rule = RuleDecl(name: name, range: range(from: keyword))
        if current.kind == .string { rule.description = advance().text }
        try expect(.leftBrace, "'{'")
        var seen: [String: SourceRange] = [:]
        /// Clauses that were there but did not parse: reported already, not "missing".
        var broken: Set<String> = []
        while current.kind != .rightBrace {
            if current.kind == .end { throw unexpected(expected: "'}' to close rule '\(name.value)'") }
            // A declaration keyword at the start of a line means the brace was forgotten.
            if current.kind == .identifier, Self.declarationKeywords.contains(current.text), startsLine(current),
                !Self.clauseKeywords.contains(current.text)
            {
                throw unexpected(expected: "'}' to close rule '\(name.value)'")
            }
            let start = index
            let clause = current.text
            do throws(Diagnostic) {
                try parseClause(into: &rule, seen: &seen)
            } catch {
                broken.insert(clause)
                record(error)
                synchronize(to: Self.clauseKeywords.union(Self.declarationKeywords), stopAt: .rightBrace, from: start)
            }
        }
        advance()
        rule.range = range(from: keyword)
        if rule.on.isEmpty && rule.onRange == nil && !broken.contains("on") {
            record(
                .error(
                    .missingClause, "rule '\(name.value)' has no 'on' clause (which events it reads: on send, issue, redeem)",
                    at: name.range))
        }
        if rule.when == nil && !broken.contains("when") {
            record(.error(.missingClause, "rule '\(name.value)' has no 'when' clause", at: name.range))
        }
        return rule
    }

    mutating func parseClause(into rule: inout RuleDecl, seen: inout [String: SourceRange]) throws(Diagnostic) {
        guard current.kind == .identifier, Self.clauseKeywords.contains(current.text) else {
            var d = unexpected(expected: "a clause (on, when, score, penalty, tags, mode, rollout) or '}'")
            if current.kind == .identifier { d.hint = Suggestion.hint(for: current.text, in: Self.clauseKeywords) }
            throw d
        }
        let keyword = advance()
        if let first = seen[keyword.text] {
            record(
                .error(.duplicate, "'\(keyword.text)' appears twice in this rule (first at line \(first.start.line))", at: range(keyword)))
        }
        seen[keyword.text] = range(keyword)
        switch keyword.text {
        case "on":
            rule.onRange = range(keyword)
            repeat { rule.on.append(try expectName("an event type (send, issue, redeem)")) } while skip(.comma)
        case "when": rule.when = try parseExpression()
        case "score": rule.score = try parseExpression()
        case "penalty":
            repeat { rule.penalties.append(try parsePostfix()) } while skip(.comma)
        case "tags":
            repeat { rule.tags.append(try expectString("a tag string").value) } while skip(.comma)
        case "mode": rule.mode = try expectName("enforce or shadow")
        default:
            let n = try expect(.integer, "a percentage such as 10%")
            try expect(.percent, "'%'")
            rule.rollout = Located(n.integer, range(from: n))
        }
    }

    /// A declaration keyword at the start of a line, where a block's own items are expected:
    /// the block's `}` was forgotten (rather than a misspelt item with a did-you-mean).
    func forgotBrace(allowing items: Set<String>) -> Bool {
        current.kind == .identifier && Self.declarationKeywords.contains(current.text) && startsLine(current)
            && !items.contains(current.text)
    }

    mutating func parseDecide(_ keyword: Token) throws(Diagnostic) -> DecideDecl {
        try expect(.leftBrace, "'{'")
        var lines: [DecideDecl.Line] = []
        while current.kind != .rightBrace {
            if current.kind == .end || forgotBrace(allowing: ["block", "review", "challenge", "allow"]) {
                throw unexpected(expected: "'}' to close 'decide'")
            }
            let start = index
            do throws(Diagnostic) {
                let verdict = try expectName("a verdict (block, review, challenge)")
                try expectKeyword("when")
                lines.append(DecideDecl.Line(verdict: verdict, condition: try parseExpression()))
            } catch {
                record(error)
                synchronize(to: ["block", "review", "challenge", "allow"], stopAt: .rightBrace, from: start)
            }
        }
        advance()
        return DecideDecl(lines: lines, range: range(from: keyword))
    }

    mutating func parseTest() throws(Diagnostic) -> TestDecl {
        let name = try expectString("the test's name in quotes")
        var withoutModels = false
        if skipKeyword("without") {
            guard skipKeyword("models") else { throw unexpected(expected: "'models' (test \"…\" without models { … })") }
            withoutModels = true
        }
        try expect(.leftBrace, withoutModels ? "'{'" : "'{' (or 'without models')")
        var steps: [TestStep] = []
        while current.kind != .rightBrace {
            if current.kind == .end || forgotBrace(allowing: ["send", "issue", "redeem", "after"]) {
                throw unexpected(expected: "'}' to close test \"\(name.value)\"")
            }
            let start = index
            do throws(Diagnostic) {
                steps.append(try parseStep())
            } catch {
                record(error)
                synchronize(to: ["send", "issue", "redeem", "after"], stopAt: .rightBrace, from: start)
            }
        }
        advance()
        return TestDecl(name: name, steps: steps, withoutModels: withoutModels)
    }

    mutating func parseStep() throws(Diagnostic) -> TestStep {
        let start = current
        if skipKeyword("after") {
            let d = try expect(.duration, "a duration such as 1h")
            return .after(Located(d.integer, range(d)))
        }
        let type = try expectName("an event step (send, issue, redeem) or 'after'")
        let open = try expect(.leftBrace, "'{'")
        guard case .object(let fields) = try parseObject(open).kind else { fatalError("parseObject returns an object") }
        var step = EventStep(type: type, fields: fields, expectations: [], range: range(from: start))
        if skipKeyword("repeat") {
            let n = try expect(.integer, "a repeat count")
            step.repeatCount = Located(n.integer, range(n))
            if skipKeyword("every") {
                let d = try expect(.duration, "a duration such as 30s")
                step.every = Located(d.integer, range(d))
            }
        }
        if skipKeyword("expect") {
            repeat { step.expectations.append(try parseExpectation()) } while skip(.comma)
        }
        step.range = range(from: start)
        return .event(step)
    }

    mutating func parseExpectation() throws(Diagnostic) -> Expectation {
        let start = current
        let word = try expectName("an expectation (allow, review, block, fired R, penalty A, score >= N …)")
        let kind: Expectation.Kind
        switch word.value {
        case "allow", "challenge", "review", "block": kind = .verdict(word.value)
        case "fired": kind = .fired(try expectName("a rule name").value)
        case "not":
            try expectKeyword("fired")
            kind = .notFired(try expectName("a rule name").value)
        case "penalty": kind = .penalty(try expectName("a penalty action").value)
        case "no":
            try expectKeyword("penalty")
            kind = .noPenalty
        case "score":
            let ops: [Token.Kind: BinaryOperator] = [
                .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
                .greater: .greater, .greaterEqual: .greaterEqual,
            ]
            guard let op = ops[current.kind] else { throw unexpected(expected: "a comparison (==, >=, …)") }
            advance()
            let negative = skip(.minus)
            guard current.kind == .integer || current.kind == .decimal else { throw unexpected(expected: "a number") }
            let value = advance().decimal
            kind = .score(op, negative ? -value : value)
        default:
            throw Diagnostic.error(
                .syntax, "unknown expectation '\(word.value)'", at: word.range,
                hint: Suggestion.hint(
                    for: word.value, in: ["allow", "challenge", "review", "block", "fired", "not", "penalty", "no", "score"]))
        }
        return Expectation(kind: kind, range: range(from: start))
    }
}
