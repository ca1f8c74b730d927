/// Why a rule fired: a keyword hit, a regex match, a value that crossed a limit.
public struct Evidence: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case keyword, regex, count, penalty
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
    /// Counters: the value, the limit it was compared with, the key and the window.
    public var value: Double?
    public var limit: Double?
    public var key: [(String, String)]?
    public var window: String?
    /// A penalty in force: its record.
    public var penalty: PenaltyRecord?

    public init(kind: Kind, field: String? = nil, list: String? = nil, entry: String? = nil, pattern: String? = nil,
                span: Range<Int>? = nil, excerpt: String? = nil) {
        self.kind = kind
        self.field = field
        self.list = list
        self.entry = entry
        self.pattern = pattern
        self.span = span
        self.excerpt = excerpt
    }

    public static func == (a: Evidence, b: Evidence) -> Bool {
        a.kind == b.kind && a.field == b.field && a.list == b.list && a.entry == b.entry && a.pattern == b.pattern
            && a.span == b.span && a.excerpt == b.excerpt && a.value == b.value && a.limit == b.limit
            && a.window == b.window && a.penalty == b.penalty
            && (a.key?.map { $0.0 + "=" + $0.1 } ?? []) == (b.key?.map { $0.0 + "=" + $0.1 } ?? [])
    }
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
