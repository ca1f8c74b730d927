/// Expressions, loosest first: `or`, `and`, `not`, comparisons (`== != < <= > >= in contains
/// matches`), `+ -`, `* /`, unary `-`, calls and `.`.
extension Parser {
    /// Deep nesting, and a chain long enough to make as tall a tree, are refused rather than
    /// allowed to exhaust the stack of a later walk (checker, compiler, evaluation, formatter).
    static let maxDepth = 200

    /// `e`, unless its tree is taller than `maxDepth` (a chain of operators adds a level a term).
    func bounded(_ e: Expr) throws(Diagnostic) -> Expr {
        guard e.height + depth > Self.maxDepth else { return e }
        throw Diagnostic.error(
            .limit, "expression more than \(Self.maxDepth) levels deep (each operator of a chain is a level)", at: e.range,
            hint: "test a list instead (`x in [...]`, `text contains any L`), or split the expression with `let`")
    }

    package mutating func parseExpression() throws(Diagnostic) -> Expr {
        try parseOr()
    }

    mutating func parseOr() throws(Diagnostic) -> Expr {
        var left = try parseAnd()
        while skipKeyword("or") {
            let right = try parseAnd()
            left = try bounded(Expr(.binary(.or, left, right), left.range.union(right.range)))
        }
        return left
    }

    mutating func parseAnd() throws(Diagnostic) -> Expr {
        var left = try parseNot()
        while skipKeyword("and") {
            let right = try parseNot()
            left = try bounded(Expr(.binary(.and, left, right), left.range.union(right.range)))
        }
        return left
    }

    mutating func parseNot() throws(Diagnostic) -> Expr {
        let start = current
        if skipKeyword("not") {
            try enter()
            defer { depth -= 1 }
            let operand = try parseNot()
            return Expr(.unary(.not, operand), range(start).union(operand.range))
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(Diagnostic) -> Expr {
        let left = try parseAdditive()
        let ops: [Token.Kind: BinaryOperator] = [
            .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
            .greater: .greater, .greaterEqual: .greaterEqual,
        ]
        if let op = ops[current.kind] {
            advance()
            let right = try parseAdditive()
            return try noChain(Expr(.binary(op, left, right), left.range.union(right.range)))
        }
        if skipKeyword("in") {
            let right = try parseAdditive()
            return try noChain(Expr(.inList(left, right), left.range.union(right.range)))
        }
        if skipKeyword("matches") {
            let right = try parseAdditive()
            return try noChain(Expr(.matches(left, right), left.range.union(right.range)))
        }
        if skipKeyword("contains") {
            var quantifier = Quantifier.one
            if current.isKeyword("any") || current.isKeyword("all"), startsOperand(peek()) {
                quantifier = advance().text == "any" ? .any : .all
            }
            let right = try parseAdditive()
            return try noChain(Expr(.contains(left, quantifier, right), left.range.union(right.range)))
        }
        return left
    }

    /// `a < b < c` reads like maths but means nothing here: say so.
    func noChain(_ e: Expr) throws(Diagnostic) -> Expr {
        let comparisonWords: Set<String> = ["in", "matches", "contains"]
        let isComparison =
            [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(current.kind)
            || (current.kind == .identifier && comparisonWords.contains(current.text))
        if isComparison {
            throw Diagnostic.error(.syntax, "comparisons cannot be chained; join them with 'and'", at: range(current))
        }
        return e
    }

    func startsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .identifier, .string, .integer, .decimal, .duration, .regex, .leftParen, .leftBracket, .minus: true
        default: false
        }
    }

    mutating func parseAdditive() throws(Diagnostic) -> Expr {
        var left = try parseMultiplicative()
        while current.kind == .plus || current.kind == .minus {
            let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
            let right = try parseMultiplicative()
            left = try bounded(Expr(.binary(op, left, right), left.range.union(right.range)))
        }
        return left
    }

    mutating func parseMultiplicative() throws(Diagnostic) -> Expr {
        var left = try parseUnary()
        while current.kind == .star || current.kind == .slash {
            let op: BinaryOperator = advance().kind == .star ? .multiply : .divide
            let right = try parseUnary()
            left = try bounded(Expr(.binary(op, left, right), left.range.union(right.range)))
        }
        return left
    }

    mutating func parseUnary() throws(Diagnostic) -> Expr {
        let start = current
        if skip(.minus) {
            try enter()
            defer { depth -= 1 }
            let operand = try parseUnary()
            return Expr(.unary(.negate, operand), range(start).union(operand.range))
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws(Diagnostic) -> Expr {
        let t = current
        guard t.kind == .identifier else { return try parsePrimary() }
        advance()
        if current.kind == .leftParen {
            advance()
            let arguments = try parseArguments(closing: .rightParen)
            return Expr(.call(name: t.text, nameRange: range(t), arguments: arguments), range(from: t))
        }
        switch t.text {
        case "true": return Expr(.bool(true), range(t))
        case "false": return Expr(.bool(false), range(t))
        default: break
        }
        if current.kind == .dot {
            advance()
            let member = try expectName("a name after '.'")
            guard t.text == "attrs" else {
                throw Diagnostic.error(.syntax, "only attrs.NAME has members; '\(t.text)' has none", at: range(from: t))
            }
            return Expr(.attribute(member.value), range(from: t))
        }
        return Expr(.name(t.text), range(t))
    }

    mutating func parsePrimary() throws(Diagnostic) -> Expr {
        let t = current
        switch t.kind {
        case .string:
            advance()
            return Expr(.string(t.text), range(t))
        case .integer:
            advance()
            return Expr(.integer(t.integer), range(t))
        case .decimal:
            advance()
            return Expr(.decimal(t.decimal), range(t))
        case .duration:
            advance()
            return Expr(.duration(t.integer), range(t))
        case .regex:
            advance()
            return Expr(.regex(pattern: t.text, flags: t.flags), range(t))
        case .leftParen:
            advance()
            try enter()
            defer { depth -= 1 }
            var inner = try parseExpression()
            try expect(.rightParen, "')'")
            inner.range = range(from: t)
            return inner
        case .leftBracket:
            advance()
            return Expr(.list(try parseListElements(t)), range(from: t))
        case .leftBrace:
            advance()
            return try parseObject(t)
        default:
            throw unexpected(expected: "an expression")
        }
    }

    /// Elements after `[` up to and including `]`; a trailing comma is allowed.
    mutating func parseListElements(_ open: Token) throws(Diagnostic) -> [Expr] {
        try enter()
        defer { depth -= 1 }
        var elements: [Expr] = []
        while current.kind != .rightBracket {
            elements.append(try parseExpression())
            if !skip(.comma) { break }
        }
        try expect(.rightBracket, "']' or ','")
        return elements
    }

    /// `key: value, …` after `{` up to and including `}`.
    mutating func parseObject(_ open: Token) throws(Diagnostic) -> Expr {
        try enter()
        defer { depth -= 1 }
        var fields: [Field] = []
        while current.kind != .rightBrace {
            let key: Located<String>
            if current.kind == .string {
                let s = advance()
                key = Located(s.text, range(s))
            } else {
                key = try expectName("a key")
            }
            try expect(.colon, "':'")
            fields.append(Field(key: key.value, keyRange: key.range, value: try parseExpression()))
            if !skip(.comma) { break }
        }
        try expect(.rightBrace, "'}' or ','")
        return Expr(.object(fields), range(from: open))
    }

    /// Arguments up to and including `closing`: `label: value` or `value`.
    mutating func parseArguments(closing: Token.Kind) throws(Diagnostic) -> [Argument] {
        try enter()
        defer { depth -= 1 }
        var arguments: [Argument] = []
        while current.kind != closing {
            if current.kind == .identifier, peek().kind == .colon {
                let label = advance()
                advance()
                arguments.append(Argument(label: label.text, labelRange: range(label), value: try parseExpression()))
            } else {
                arguments.append(Argument(label: nil, labelRange: nil, value: try parseExpression()))
            }
            if !skip(.comma) { break }
        }
        try expect(closing, "\(closing.rawValue) or ','")
        return arguments
    }

    mutating func enter() throws(Diagnostic) {
        depth += 1
        if depth > Self.maxDepth {
            throw Diagnostic.error(.limit, "expression nested deeper than \(Self.maxDepth) levels", at: range(current))
        }
    }
}
