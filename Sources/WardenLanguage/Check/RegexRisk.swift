/// Spots regexes prone to catastrophic backtracking. On a text that almost matches, PCRE2
/// tries every way of splitting a run between loops that can take the same characters; the
/// match limit stops it, but the regex then answers nothing for that text. Three shapes:
/// - a group repeated without bound whose body can itself repeat without bound: `(a+)+`,
///   `(\w*)*`, `(x+y?)*` — exponential;
/// - a group repeated without bound whose literal alternatives can spell one another:
///   `(a|aa)+`, `(ab|a|b)*` — exponential;
/// - a group repeated a fixed number of times (3 or more) around a loop over any character:
///   `(.*a){12}` — polynomial, of the degree of the count.
///
/// A syntactic check only: it errs towards silence.
package enum RegexRisk {
    package struct Risk: Sendable, Equatable {
        /// The scalar offset of the quantifier that does the repeating.
        package var offset: Int
        package var message: String
        package var hint: String
    }

    /// The scalar offset of the quantifier that repeats a group with an unbounded loop inside,
    /// or nil.
    package static func nestedQuantifier(_ pattern: String) -> Int? {
        guard let risk = risk(pattern), risk.message == nested.message else { return nil }
        return risk.offset
    }

    static let nested = Risk(
        offset: 0, message: "a repeated group with a repeat inside can backtrack exponentially on text that almost matches",
        hint: "repeat the inner part once, such as (ab)+ for (a+b)+, or make it possessive: (a++)+")

    /// What an open group has seen so far.
    struct Group {
        /// An unbounded loop somewhere in the body.
        var loops = false
        /// An unbounded loop over `.` in the body.
        var loopsOverAnything = false
        /// The body's top-level alternatives as literal text; nil once one is not literal.
        var alternatives: [String]? = [""]
    }

    /// The first risk found, or nil.
    package static func risk(_ pattern: String) -> Risk? {
        let s = Array(pattern.unicodeScalars)
        var stack: [Group] = []
        /// Marks the innermost group's current alternative as not literal.
        func notLiteral() { if !stack.isEmpty { stack[stack.count - 1].alternatives = nil } }
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                // An escaped punctuation character is literal; \w, \d and the like are not.
                if i + 1 < s.count, !stack.isEmpty, stack[stack.count - 1].alternatives != nil,
                    s[i + 1].properties.isASCIIHexDigit == false, !s[i + 1].properties.isAlphabetic
                {
                    stack[stack.count - 1].alternatives![stack[stack.count - 1].alternatives!.count - 1].unicodeScalars.append(s[i + 1])
                } else {
                    notLiteral()
                }
                i += 2
                if let (unbounded, end) = quantifier(s, at: i) {
                    notLiteral()
                    if unbounded, !stack.isEmpty { stack[stack.count - 1].loops = true }
                    i = end < s.count && s[end] == "+" ? end + 1 : end
                }
                continue
            case "[":
                notLiteral()
                i = skipClass(s, from: i)
                continue
            case "(":
                notLiteral()
                stack.append(Group())
                // `(?:`, `(?i)`, `(?=`: the group's own syntax is not part of its body.
                if i + 1 < s.count, s[i + 1] == "?" {
                    i += 2
                    while i < s.count, s[i] != ":" && s[i] != ")" && s[i] != "=" && s[i] != "!" && s[i] != "<" && s[i] != ">" { i += 1 }
                    if i < s.count, s[i] == ")" { _ = stack.popLast() }
                    i += 1
                    continue
                }
            case "|":
                if !stack.isEmpty, stack[stack.count - 1].alternatives != nil { stack[stack.count - 1].alternatives!.append("") }
            case ")":
                let group = stack.popLast() ?? Group()
                let q = quantifier(s, at: i + 1)
                let possessive = q.map { $0.1 < s.count && s[$0.1] == "+" } ?? false
                if let (unbounded, _) = q, !possessive {
                    if unbounded, group.loops { return Risk(offset: i + 1, message: nested.message, hint: nested.hint) }
                    if unbounded, let alternatives = group.alternatives, alternatives.count >= 2, let spelt = spelledByOthers(alternatives)
                    {
                        return Risk(
                            offset: i + 1,
                            message:
                                "a repeated group whose alternatives spell one another ('\(spelt)') can backtrack exponentially on text that almost matches",
                            hint: "make the alternatives exclusive, such as a+ for (a|aa)+, or make the repeat possessive: (a|aa)++")
                    }
                    if !unbounded, group.loopsOverAnything, let count = repeatCount(s, at: i + 1), count >= 3 {
                        return Risk(
                            offset: i + 1,
                            message:
                                "a group with a loop over any character, repeated \(count) times, backtracks in time of the text's length to the power \(count) when it almost matches",
                            hint: "bound the inner loop, such as (.{0,20}a){12}, or use a class that cannot take what follows: ([^a]*a){12}"
                        )
                    }
                }
                if !stack.isEmpty {
                    notLiteral()
                    // A group that loops, or loops inside, makes its enclosing group's body loop.
                    if group.loops || (q?.0 ?? false) { stack[stack.count - 1].loops = true }
                    if group.loopsOverAnything { stack[stack.count - 1].loopsOverAnything = true }
                }
                if let q { i = possessive ? q.1 + 1 : q.1 } else { i += 1 }
                continue
            default:
                if let (unbounded, end) = quantifier(s, at: i) {
                    notLiteral()
                    // A possessive loop (`a++`, `a*+`) never gives back what it took: no backtracking.
                    if end < s.count, s[end] == "+" {
                        i = end + 1
                        continue
                    }
                    if unbounded, !stack.isEmpty {
                        stack[stack.count - 1].loops = true
                        if i > 0, s[i - 1] == "." { stack[stack.count - 1].loopsOverAnything = true }
                    }
                    i = end
                    continue
                }
                if c == "." || c == "^" || c == "$" {
                    notLiteral()
                } else if !stack.isEmpty, stack[stack.count - 1].alternatives != nil {
                    stack[stack.count - 1].alternatives![stack[stack.count - 1].alternatives!.count - 1].unicodeScalars.append(c)
                }
            }
            i += 1
        }
        return nil
    }

    /// An alternative that the others (two or more of them, repeats allowed) spell whole, as
    /// `aa` is `a` + `a`: a repeat of the group can then split a run in many ways.
    static func spelledByOthers(_ alternatives: [String]) -> String? {
        let words = alternatives.filter { !$0.isEmpty }
        for (k, word) in words.enumerated() {
            let others = words.enumerated().filter { $0.offset != k && $0.element != word }.map { Array($0.element.unicodeScalars) }
            let target = Array(word.unicodeScalars)
            // pieces[j]: the fewest pieces that spell target[..<j] (Int.max when none do).
            var pieces = [Int](repeating: .max, count: target.count + 1)
            pieces[0] = 0
            for j in 0..<target.count where pieces[j] != .max {
                for other in others where j + other.count <= target.count && Array(target[j..<(j + other.count)]) == other {
                    pieces[j + other.count] = min(pieces[j + other.count], pieces[j] + 1)
                }
            }
            if pieces[target.count] != .max, pieces[target.count] >= 2 { return word }
        }
        // Two equal alternatives split nothing but double every step.
        if Set(words).count < words.count { return words.first { w in words.filter { $0 == w }.count > 1 } }
        return nil
    }

    /// The largest count of a bounded quantifier `{n}` or `{n,m}` at `i`.
    static func repeatCount(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        guard i < s.count, s[i] == "{", let close = s[i...].firstIndex(of: "}") else { return nil }
        let numbers = String(String.UnicodeScalarView(s[(i + 1)..<close])).split(separator: ",").compactMap { Int($0) }
        return numbers.max()
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
            if s[j] == "\\" {
                j += 1
            } else if s[j] == "[", j + 1 < s.count, s[j + 1] == ":" {
                // POSIX class [:alpha:]
                while j + 1 < s.count, !(s[j] == ":" && s[j + 1] == "]") { j += 1 }
                j += 1
            }
            j += 1
        }
        return j + 1
    }
}
