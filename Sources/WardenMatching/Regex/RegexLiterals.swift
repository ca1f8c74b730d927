/// Finds literals that every match of a regex must contain, so a multi-pattern prefilter can
/// skip patterns whose literals do not occur in a text.
///
/// A small parser for PCRE syntax computes, per node, the exact set of strings it can match
/// (when small) and a set of which every match contains at least one. Anything it does not
/// understand counts as "matches anything", which only weakens the prefilter, never breaks it:
/// the answer errs towards running the regex.
enum RegexLiterals {
    /// The literal set for `pattern`, or nil when the regex must always run.
    static func required(_ pattern: String, flags: String = "") -> Set<String>? {
        if flags.contains("x") { return nil }
        var parser = RegexFactorParser(Array(pattern.unicodeScalars))
        guard let info = parser.parseAlternation(), parser.atEnd else { return nil }
        let best = Info.best(info.required, info.exact)
        guard let set = best, !set.contains("") else { return nil }
        return flags.contains("i") ? Set(set.map { $0.lowercased() }) : set
    }

    struct Info {
        /// Every string the node can match, when there are few; "" when it can match nothing.
        var exact: Set<String>?
        /// Every match contains one of these.
        var required: Set<String>?

        static let any = Info(exact: nil, required: nil)
        static let empty = Info(exact: [""], required: nil)
        static let limit = 256

        /// Longer literals are more selective (each byte counts 8); more of them less so (log2).
        static func score(_ set: Set<String>) -> Int {
            guard !set.isEmpty, !set.contains("") else { return Int.min }
            let shortest = set.map { $0.utf8.count }.min()!
            return shortest * 8 - (Int.bitWidth - set.count.leadingZeroBitCount)
        }

        static func best(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
            switch (a, b) {
            case (nil, nil): return nil
            case (let x?, nil): return score(x) == Int.min ? nil : x
            case (nil, let y?): return score(y) == Int.min ? nil : y
            case (let x?, let y?):
                let best = score(x) >= score(y) ? x : y
                return score(best) == Int.min ? nil : best
            }
        }

        static func product(_ a: Set<String>, _ b: Set<String>) -> Set<String>? {
            guard a.count * b.count <= limit else { return nil }
            var out: Set<String> = []
            for x in a { for y in b { out.insert(x + y) } }
            return out
        }
    }
}

/// Recursive descent over the pattern's scalars.
struct RegexFactorParser {
    typealias Info = RegexLiterals.Info
    let s: [Unicode.Scalar]
    var i = 0
    var failed = false

    init(_ s: [Unicode.Scalar]) { self.s = s }

    var atEnd: Bool { i >= s.count && !failed }

    mutating func parseAlternation() -> Info? {
        var branches: [Info] = [parseConcatenation()]
        while i < s.count, s[i] == "|" {
            i += 1
            branches.append(parseConcatenation())
        }
        if failed { return nil }
        if branches.count == 1 { return branches[0] }
        var exact: Set<String>? = []
        var required: Set<String>? = []
        for b in branches {
            if let e = b.exact, let all = exact, all.count + e.count <= Info.limit { exact = all.union(e) } else { exact = nil }
            if let r = Info.best(b.required, b.exact), let all = required { required = all.union(r) } else { required = nil }
        }
        return Info(exact: exact, required: required)
    }

    mutating func parseConcatenation() -> Info {
        var exact: Set<String>? = [""]
        var best: Set<String>? = nil
        while i < s.count, s[i] != "|", s[i] != ")" {
            let atom = parseQuantified()
            best = Info.best(best, atom.required)
            if let e = exact, let a = atom.exact, let p = Info.product(e, a) {
                exact = p
            } else {
                best = Info.best(best, exact)
                exact = atom.exact
            }
            best = Info.best(best, exact)
        }
        return Info(exact: exact, required: best)
    }

    mutating func parseQuantified() -> Info {
        let atom = parseAtom()
        guard i < s.count else { return atom }
        var minimum = 1
        var maximum: Int? = 1
        switch s[i] {
        case "*": minimum = 0; maximum = nil; i += 1
        case "+": minimum = 1; maximum = nil; i += 1
        case "?": minimum = 0; maximum = 1; i += 1
        case "{":
            guard let (m, n, next) = braces(from: i) else { return atom }
            minimum = m
            maximum = n
            i = next
        default: return atom
        }
        if i < s.count, s[i] == "?" || s[i] == "+" { i += 1 }  // lazy or possessive
        if minimum == 0 {
            if maximum == 1, let e = atom.exact, e.count < Info.limit { return Info(exact: e.union([""]), required: nil) }
            return Info(exact: maximum == 0 ? [""] : nil, required: nil)
        }
        var exact: Set<String>? = nil
        if let e = atom.exact, maximum == minimum {
            var acc: Set<String>? = [""]
            for _ in 0..<minimum { acc = acc.flatMap { Info.product($0, e) } }
            exact = acc
        }
        var required = Info.best(atom.required, atom.exact)
        if let e = atom.exact, minimum >= 2 {
            // At least `minimum` in a row: the product of a few copies is also required.
            var acc: Set<String>? = [""]
            for _ in 0..<minimum { acc = acc.flatMap { Info.product($0, e) } }
            required = Info.best(required, acc)
        }
        return Info(exact: exact, required: required)
    }

    /// `{m}`, `{m,}`, `{m,n}`; nil when it is not a quantifier (PCRE then reads `{` literally).
    func braces(from start: Int) -> (Int, Int?, Int)? {
        var j = start + 1
        func number() -> Int? {
            let from = j
            while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
            return j > from ? Int(String(String.UnicodeScalarView(s[from..<j]))) : nil
        }
        guard let m = number() else { return nil }
        if j < s.count, s[j] == "}" { return (m, m, j + 1) }
        guard j < s.count, s[j] == "," else { return nil }
        j += 1
        let n = number()
        guard j < s.count, s[j] == "}" else { return nil }
        return (m, n, j + 1)
    }

    mutating func parseAtom() -> Info {
        let c = s[i]
        switch c {
        case "(":
            i += 1
            if i < s.count, s[i] == "?" {
                // (?:…) groups; lookarounds and anything else: skip the group as zero-width or bail.
                if i + 1 < s.count, s[i + 1] == ":" {
                    i += 2
                } else if i + 1 < s.count, s[i + 1] == "=" || s[i + 1] == "!" || s[i + 1] == "<" {
                    skipGroup()
                    return .empty
                } else {
                    failed = true
                    i = s.count
                    return .any
                }
            }
            let inner = parseAlternation() ?? .any
            guard i < s.count, s[i] == ")" else {
                failed = true
                return .any
            }
            i += 1
            return inner
        case "[":
            return parseClass()
        case ".":
            i += 1
            return .any
        case "^", "$":
            i += 1
            return .empty
        case "\\":
            return parseEscape()
        default:
            i += 1
            return Info(exact: [String(c)], required: nil)
        }
    }

    mutating func skipGroup() {
        var depth = 0
        while i < s.count {
            if s[i] == "\\" { i += 2; continue }
            if s[i] == "(" { depth += 1 }
            if s[i] == ")" {
                depth -= 1
                if depth == 0 { i += 1; return }
            }
            i += 1
        }
    }

    mutating func parseEscape() -> Info {
        i += 1
        guard i < s.count else { failed = true; return .any }
        let c = s[i]
        i += 1
        switch c {
        case "n": return Info(exact: ["\n"], required: nil)
        case "t": return Info(exact: ["\t"], required: nil)
        case "r": return Info(exact: ["\r"], required: nil)
        case "b", "B", "A", "z", "Z", "G": return .empty
        case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "p", "P", "X", "R", "N", "x", "u", "0"..."9", "Q", "E", "k", "g", "c", "e", "f", "a":
            // Classes, properties, code points, back references, quoting: not analysed.
            if c == "p" || c == "P" || c == "x" || c == "N" { skipBracedArgument() }
            return .any
        default:
            if c.properties.isAlphabetic || ("0"..."9").contains(c) { return .any }
            return Info(exact: [String(c)], required: nil)
        }
    }

    mutating func skipBracedArgument() {
        if i < s.count, s[i] == "{" {
            while i < s.count, s[i] != "}" { i += 1 }
            i += 1
        } else if i < s.count {
            i += 1
        }
    }

    /// A character class: its members when it has few; anything otherwise.
    mutating func parseClass() -> Info {
        i += 1
        var negated = false
        if i < s.count, s[i] == "^" {
            negated = true
            i += 1
        }
        var members: Set<String> = []
        var tooMany = false
        var first = true
        while i < s.count, s[i] != "]" || first {
            first = false
            var lower = s[i]
            if lower == "[", i + 1 < s.count, s[i + 1] == ":" { tooMany = true }  // POSIX class
            if lower == "\\" {
                guard i + 1 < s.count else { failed = true; return .any }
                let e = s[i + 1]
                i += 2
                switch e {
                case "n": lower = "\n"
                case "t": lower = "\t"
                case "r": lower = "\r"
                default:
                    if e.properties.isAlphabetic || ("0"..."9").contains(e) {
                        tooMany = true
                        if e == "p" || e == "P" || e == "x" { skipBracedArgument() }
                        continue
                    }
                    lower = e
                }
            } else {
                i += 1
            }
            if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                var upper = s[i + 1]
                i += 2
                if upper == "\\", i < s.count {
                    upper = s[i]
                    i += 1
                    if upper.properties.isAlphabetic { tooMany = true; continue }
                }
                if upper.value < lower.value || upper.value - lower.value > 64 {
                    tooMany = true
                } else {
                    for v in lower.value...upper.value { if let u = Unicode.Scalar(v) { members.insert(String(u)) } }
                }
            } else {
                members.insert(String(lower))
            }
        }
        guard i < s.count else { failed = true; return .any }
        i += 1
        if negated || tooMany || members.count > 64 { return .any }
        return Info(exact: members, required: nil)
    }
}
