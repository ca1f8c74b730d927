/// Warnings about rules that work but are risky: regexes prone to catastrophic backtracking,
/// conditions whose value does not depend on the event.
extension Checker {
    mutating func warnBacktracking(_ pattern: String, at range: SourceRange) {
        guard let risk = RegexRisk.risk(pattern) else { return }
        // The body starts one byte after the opening slash.
        let byte = range.bytes.lowerBound + 1 + String(String.UnicodeScalarView(pattern.unicodeScalars.prefix(risk.offset))).utf8.count
        let at = SourceRange(file: range.file, bytes: byte..<min(byte + 1, range.bytes.upperBound))
        diagnostics.append(.warning(.backtracking, risk.message, at: at, hint: risk.hint))
    }

    /// True or false when `e` has that value for every event; nil when it depends on the event.
    /// Counters and `len` are never negative, so `count(…) >= 0` is always true.
    func constantTruth(_ e: Expr) -> Bool? {
        switch e.kind {
        case .bool(let b): return b
        case .unary(.not, let inner): return constantTruth(inner).map { !$0 }
        case .binary(.and, let l, let r):
            let a = constantTruth(l)
            let b = constantTruth(r)
            if a == false || b == false { return false }
            if a == true, b == true { return true }
            return nil
        case .binary(.or, let l, let r):
            let a = constantTruth(l)
            let b = constantTruth(r)
            if a == true || b == true { return true }
            if a == false, b == false { return false }
            return nil
        case .binary(let op, let l, let r):
            if let x = Self.number(l), let y = Self.number(r) { return Self.compare(op, x, y) }
            if Self.isNonNegative(l), let y = Self.number(r) {
                if op == .greaterEqual, y <= 0 { return true }
                if op == .less, y <= 0 { return false }
            }
            return nil
        default: return nil
        }
    }

    static func number(_ e: Expr) -> Double? {
        switch e.kind {
        case .integer(let n): return Double(n)
        case .decimal(let d): return d
        case .duration(let s): return Double(s)
        default: return nil
        }
    }

    static func isNonNegative(_ e: Expr) -> Bool {
        if case .call(let name, _, _) = e.kind { return ["count", "distinct", "len"].contains(name) }
        return false
    }

    static func compare(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Bool? {
        switch op {
        case .equal: return x == y
        case .notEqual: return x != y
        case .less: return x < y
        case .lessEqual: return x <= y
        case .greater: return x > y
        case .greaterEqual: return x >= y
        default: return nil
        }
    }
}
