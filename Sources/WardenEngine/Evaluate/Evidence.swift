/// Why a rule fired: a keyword hit, a regex match, a value that crossed a limit.
public struct Evidence: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case keyword, regex
    }
    public var kind: Kind
    /// The event field the text came from, when it came from one.
    public var field: String?
    /// The word list, or nil for a literal `contains "…"`.
    public var list: String?
    public var entry: String?
    /// The pattern's name, or its source for an inline /regex/.
    public var pattern: String?
    /// Unicode-scalar offsets in the original text.
    public var span: Range<Int>?
    public var excerpt: String?
}

extension Evidence {
    /// The text around a span: up to `context` scalars each side.
    static func excerpt(_ scalars: [Unicode.Scalar], _ span: Range<Int>, context: Int = 6) -> String {
        let lower = max(0, span.lowerBound - context)
        let upper = min(scalars.count, span.upperBound + context)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[lower..<upper])
        return String(s)
    }
}
