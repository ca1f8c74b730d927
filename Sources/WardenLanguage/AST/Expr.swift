/// An expression node with its source range.
package struct Expr: Sendable {
    package indirect enum Kind: Sendable {
        case string(String)
        case integer(Int)
        case decimal(Double)
        case bool(Bool)
        /// Seconds.
        case duration(Int)
        case list([Expr])
        /// `{ key: value, … }`, only in test steps.
        case object([Field])
        /// A bare name: an event field, a list, a pattern, a `let`, a rule, or a word like `forever`.
        case name(String)
        /// `attrs.NAME`.
        case attribute(String)
        case regex(pattern: String, flags: String)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case contains(Expr, Quantifier, Expr)
        case matches(Expr, Expr)
        case inList(Expr, Expr)
        case call(name: String, nameRange: SourceRange, arguments: [Argument])
    }

    package private(set) var kind: Kind
    package var range: SourceRange
    /// Levels of the tree under and including this node (a leaf is 1): every walk of the AST
    /// recurses this deep, so the parser refuses a tree taller than `Parser.maxDepth`, whether
    /// by nesting or by a long chain (`a or b or …` is a tree as tall as its terms).
    package let height: Int

    package init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
        let below: Int
        switch kind {
        case .string, .integer, .decimal, .bool, .duration, .name, .attribute, .regex: below = 0
        case .list(let items): below = items.reduce(0) { max($0, $1.height) }
        case .object(let fields): below = fields.reduce(0) { max($0, $1.value.height) }
        case .unary(_, let e): below = e.height
        case .binary(_, let a, let b), .contains(let a, _, let b), .matches(let a, let b), .inList(let a, let b):
            below = max(a.height, b.height)
        case .call(_, _, let arguments): below = arguments.reduce(0) { max($0, $1.value.height) }
        }
        height = below + 1
    }

    /// The name if this is a bare name.
    package var nameValue: String? {
        if case .name(let n) = kind { return n }
        return nil
    }
}

package enum UnaryOperator: String, Sendable {
    case not, negate = "-"
}

package enum BinaryOperator: String, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    package var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }
}

/// `contains "s"`, `contains any L`, `contains all L`.
package enum Quantifier: String, Sendable {
    case one, any, all
}

/// A call argument, `label: value` or `value`.
package struct Argument: Sendable {
    package var label: String?
    package var labelRange: SourceRange?
    package var value: Expr
}

/// A `key: value` pair of an object literal.
package struct Field: Sendable {
    package var key: String
    package var keyRange: SourceRange
    package var value: Expr
}
