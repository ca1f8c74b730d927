/// Recursive-descent parser for rules files, one function per production.
///
/// Errors are thrown as `Diagnostic`s inside a production and caught at the nearest clause or
/// declaration, which records them and skips to the next line that starts a clause or a
/// declaration, so one mistake does not hide the ones after it.
package struct Parser {
    let file: SourceFile
    var tokens: [Token]
    var index = 0
    var depth = 0
    package private(set) var diagnostics: [Diagnostic] = []

    static let declarationKeywords: Set<String> = ["ruleset", "list", "pattern", "model", "let", "rule", "decide", "test"]
    static let clauseKeywords: Set<String> = ["on", "when", "score", "penalty", "tags", "mode", "rollout"]

    package init(file: SourceFile) {
        self.file = file
        let (tokens, diagnostics) = Lexer.tokenize(file)
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    /// Parses one file into `syntax`, returning the diagnostics found.
    package static func parse(_ file: SourceFile, into syntax: inout RuleSetSyntax) -> [Diagnostic] {
        var parser = Parser(file: file)
        syntax.files.append(file)
        parser.parseFile(into: &syntax)
        return parser.diagnostics
    }

    // MARK: token access

    var current: Token { tokens[index] }
    func peek(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func range(_ t: Token) -> SourceRange { SourceRange(file: file, bytes: t.bytes) }
    func range(from start: Token) -> SourceRange {
        let end = index > 0 ? tokens[index - 1].bytes.upperBound : start.bytes.upperBound
        return SourceRange(file: file, bytes: start.bytes.lowerBound..<max(end, start.bytes.upperBound))
    }

    mutating func skip(_ kind: Token.Kind) -> Bool {
        guard current.kind == kind else { return false }
        advance()
        return true
    }

    mutating func skipKeyword(_ word: String) -> Bool {
        guard current.isKeyword(word) else { return false }
        advance()
        return true
    }

    @discardableResult
    mutating func expect(_ kind: Token.Kind, _ what: String? = nil) throws(Diagnostic) -> Token {
        guard current.kind == kind else { throw unexpected(expected: what ?? kind.rawValue) }
        return advance()
    }

    mutating func expectKeyword(_ word: String) throws(Diagnostic) {
        guard current.isKeyword(word) else { throw unexpected(expected: "'\(word)'") }
        advance()
    }

    mutating func expectName(_ what: String) throws(Diagnostic) -> Located<String> {
        guard current.kind == .identifier else { throw unexpected(expected: what) }
        let t = advance()
        return Located(t.text, range(t))
    }

    mutating func expectString(_ what: String) throws(Diagnostic) -> Located<String> {
        guard current.kind == .string else { throw unexpected(expected: what) }
        let t = advance()
        return Located(t.text, range(t))
    }

    func unexpected(expected: String) -> Diagnostic {
        // An invalid token already has its own diagnostic from the lexer; say less.
        .error(.syntax, "expected \(expected), found \(current.display)", at: range(current))
    }

    /// True when the token is the first one on its source line.
    func startsLine(_ t: Token) -> Bool {
        var i = t.bytes.lowerBound - 1
        while i >= 0 {
            let c = file.bytes[i]
            if c == 0x0A { return true }
            if c != 0x20 && c != 0x09 && c != 0x0D { return false }
            i -= 1
        }
        return true
    }

    // MARK: recovery

    mutating func record(_ d: Diagnostic) {
        // The lexer already reported invalid tokens; do not report the same spot twice.
        if current.kind == .invalid, diagnostics.contains(where: { $0.range?.bytes.lowerBound == current.bytes.lowerBound }) {
            return
        }
        if let last = diagnostics.last, last.range == d.range, last.message == d.message { return }
        diagnostics.append(d)
    }

    /// Skips to the next token that starts a line and is one of `words`, or to `stop`.
    /// Always moves past `start` (the token the failed production began at), so recovery makes progress.
    mutating func synchronize(to words: Set<String>, stopAt stop: Token.Kind? = nil, from start: Int) {
        if index == start, current.kind != .end { advance() }
        while current.kind != .end {
            if let stop, current.kind == stop { return }
            if current.kind == .identifier, words.contains(current.text), startsLine(current) { return }
            advance()
        }
    }

    // MARK: file

    mutating func parseFile(into syntax: inout RuleSetSyntax) {
        while current.kind != .end {
            let start = index
            do throws(Diagnostic) {
                try parseDeclaration(into: &syntax)
            } catch {
                record(error)
                synchronize(to: Self.declarationKeywords, from: start)
            }
        }
    }

    mutating func parseDeclaration(into syntax: inout RuleSetSyntax) throws(Diagnostic) {
        guard current.kind == .identifier, Self.declarationKeywords.contains(current.text) else {
            var d = unexpected(expected: "a declaration (ruleset, list, pattern, model, let, rule, decide or test)")
            if current.kind == .identifier {
                d.hint = Suggestion.hint(for: current.text, in: Self.declarationKeywords)
            }
            throw d
        }
        let keyword = advance()
        switch keyword.text {
        case "ruleset":
            let header = try parseRuleSetHeader()
            if let first = syntax.header {
                record(
                    .error(
                        .duplicate, "the rule set is named twice (first at \(first.name.range.file.path):\(first.name.range.start))",
                        at: header.name.range))
            } else {
                syntax.header = header
            }
        case "list": syntax.lists.append(try parseList(keyword))
        case "pattern": syntax.patterns.append(try parsePattern())
        case "model":
            let name = try expectName("the model's name")
            try expect(.assign, "'='")
            try expectKeyword("file")
            try expect(.leftParen, "'('")
            let path = try expectString("a file path string")
            var optional = false
            if current.kind == .comma {
                advance()
                guard skipKeyword("optional") else { throw unexpected(expected: "'optional: true'") }
                try expect(.colon, "':'")
                guard current.kind == .identifier, current.text == "true" || current.text == "false" else {
                    throw unexpected(expected: "true or false")
                }
                optional = advance().text == "true"
            }
            try expect(.rightParen, "')'")
            syntax.models.append(ModelDecl(name: name, path: path, range: range(from: keyword), optional: optional))
        case "let":
            let name = try expectName("a name")
            try expect(.assign, "'='")
            syntax.lets.append(LetDecl(name: name, value: try parseExpression()))
        case "rule": syntax.rules.append(try parseRule(keyword))
        case "decide":
            let decide = try parseDecide(keyword)
            if syntax.decide != nil {
                record(.error(.duplicate, "a rule set has one 'decide' block", at: range(keyword)))
            } else {
                syntax.decide = decide
            }
        default: syntax.tests.append(try parseTest())
        }
    }

    mutating func parseRuleSetHeader() throws(Diagnostic) -> RuleSetHeader {
        var header = RuleSetHeader(name: try expectName("the rule set's name"))
        while true {
            if skipKeyword("version") {
                header.version = try expectString("a version string")
            } else if skipKeyword("timezone") {
                header.timezone = try expectString("a time zone such as \"Asia/Shanghai\"")
            } else if skipKeyword("on_state_error") {
                header.onStateError = try expectName("open, closed or block")
            } else if skipKeyword("invite_retention") {
                guard current.kind == .duration else { throw unexpected(expected: "a duration such as 90d") }
                let t = advance()
                header.inviteRetention = Located(t.integer, range(t))
            } else if skipKeyword("max_future") {
                guard current.kind == .duration else { throw unexpected(expected: "a duration such as 5m") }
                let t = advance()
                header.maxFuture = Located(t.integer, range(t))
            } else if skipKeyword("reward_tiers") {
                let open = try expect(.leftBracket, "a list of invitee counts such as [1, 3, 5]")
                header.rewardTiers = Located(try parseListElements(open), range(from: open))
            } else if skipKeyword("reward_excludes") {
                let open = try expect(.leftBracket, "a list of labels such as [\"farm\"]")
                header.rewardExcludes = Located(try parseListElements(open), range(from: open))
            } else if skipKeyword("reward_requires_return") {
                guard current.kind == .duration else { throw unexpected(expected: "a duration such as 24h") }
                let t = advance()
                header.rewardReturn = Located(t.integer, range(t))
            } else {
                return header
            }
        }
    }

    mutating func parseList(_ keyword: Token) throws(Diagnostic) -> ListDecl {
        let name = try expectName("the list's name")
        var options: [Argument] = []
        if skip(.leftParen) {
            options = try parseArguments(closing: .rightParen)
        }
        try expect(.assign, "'='")
        let source: ListDecl.Source
        if current.kind == .leftBracket {
            let start = advance()
            source = .words(try parseListElements(start))
        } else if skipKeyword("file") {
            source = .file(try parseFileArgument())
        } else if skipKeyword("cidr") {
            try expect(.leftParen, "'('")
            if skipKeyword("file") {
                source = .cidrFile(try parseFileArgument())
            } else {
                let start = try expect(.leftBracket, "'[' or file(…)")
                source = .cidr(try parseListElements(start))
            }
            try expect(.rightParen, "')'")
        } else {
            throw unexpected(expected: "'[', file(\"…\") or cidr(…)")
        }
        return ListDecl(name: name, options: options, source: source, range: range(from: keyword))
    }

    mutating func parseFileArgument() throws(Diagnostic) -> Located<String> {
        try expect(.leftParen, "'('")
        let path = try expectString("a file path string")
        try expect(.rightParen, "')'")
        return path
    }

    mutating func parsePattern() throws(Diagnostic) -> PatternDecl {
        let name = try expectName("the pattern's name")
        try expect(.assign, "'='")
        let t = try expect(.regex, "a regex /…/")
        return PatternDecl(name: name, pattern: t.text, flags: t.flags, regexRange: range(t))
    }
}
