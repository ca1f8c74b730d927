/// A run-time value. Durations are numbers of seconds; a field absent from an event is `null`.
public enum Value: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case strings([String])

    var isTrue: Bool { self == .bool(true) }

    var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A short readable form for explain traces and messages.
    public var display: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): JSONWriter.quote(s)
        case .strings(let list): "[" + list.map(JSONWriter.quote).joined(separator: ", ") + "]"
        }
    }
}

/// A compiled expression: a closure over the evaluation context, with every name resolved.
typealias Eval = @Sendable (EvaluationContext) -> Value

/// A compiled expression kept in an array or an optional. Not the closure itself: a generic
/// container stores a closure in its most general form, and every call (every rule, counter
/// and event) would then pass through two conversion thunks (callgrind: 3% of an event). The
/// struct keeps the closure as compiled; wrap it where the closure is made, not after it has
/// been through `Optional.map` or `Array.map`, which convert it.
struct CompiledExpression: Sendable {
    let eval: Eval
}
