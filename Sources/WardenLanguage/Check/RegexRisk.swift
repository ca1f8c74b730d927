/// Spots regexes prone to catastrophic backtracking: a group repeated without bound whose body
/// can itself repeat without bound, as in `(a+)+`, `(\w*)*` or `(x+y?)*`. On a text that almost
/// matches, PCRE2 tries every way of splitting the run between the two loops — exponential in
/// its length. The match limit stops it, but the regex then answers nothing for that text.
///
/// A syntactic check only (it errs towards silence): it does not see `(a|aa)+` or overlap
/// between adjacent loops.
public enum RegexRisk {
    /// The scalar offset of the quantifier that repeats a group with an unbounded loop inside,
    /// or nil.
    public static func nestedQuantifier(_ pattern: String) -> Int? {
        let s = Array(pattern.unicodeScalars)
        /// Per open group: whether its body so far has an unbounded quantifier.
        var stack: [Bool] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                i += 2
                continue
            case "[":
                i = skipClass(s, from: i)
                continue
            case "(":
                stack.append(false)
            case ")":
                let inner = stack.popLast() ?? false
                let repeats = quantifier(s, at: i + 1)?.0 ?? false
                if inner, repeats { return i + 1 }
                // A group that loops, or loops inside, makes its enclosing group's body loop.
                if inner || repeats, !stack.isEmpty { stack[stack.count - 1] = true }
            default:
                if let (unbounded, end) = quantifier(s, at: i) {
                    // A possessive loop (`a++`, `a*+`) never gives back what it took: no backtracking.
                    if end < s.count, s[end] == "+" {
                        i = end + 1
                        continue
                    }
                    if unbounded, !stack.isEmpty { stack[stack.count - 1] = true }
                    i = end
                    continue
                }
            }
            i += 1
        }
        return nil
    }

    /// Whether a quantifier starts at `i` and is unbounded (`*`, `+`, `{n,}`), and where it ends.
    static func quantifier(_ s: [Unicode.Scalar], at i: Int) -> (Bool, Int)? {
        guard i < s.count else { return nil }
        switch s[i] {
        case "*", "+": return (true, i + 1)
        case "?": return (false, i + 1)
        case "{":
            var j = i + 1
            var sawComma = false
            var afterComma = 0
            while j < s.count, s[j] != "}" {
                if s[j] == "," { sawComma = true } else if sawComma { afterComma += 1 }
                guard s[j] == "," || ("0"..."9").contains(s[j]) else { return nil }
                j += 1
            }
            guard j < s.count else { return nil }
            return (sawComma && afterComma == 0, j + 1)
        default: return nil
        }
    }

    /// The index after a character class starting at `i` (`[` … `]`, `]` first is literal).
    static func skipClass(_ s: [Unicode.Scalar], from i: Int) -> Int {
        var j = i + 1
        if j < s.count, s[j] == "^" { j += 1 }
        if j < s.count, s[j] == "]" { j += 1 }
        while j < s.count, s[j] != "]" {
            if s[j] == "\\" { j += 1 } else if s[j] == "[", j + 1 < s.count, s[j + 1] == ":" {
                // POSIX class [:alpha:]
                while j + 1 < s.count, !(s[j] == ":" && s[j + 1] == "]") { j += 1 }
                j += 1
            }
            j += 1
        }
        return j + 1
    }
}
