/// Finds literals that every match of a regex must contain, so a multi-pattern prefilter can
/// skip patterns whose literals do not occur in a text.
///
/// A small parser for PCRE syntax computes, per node, what Russ Cox's trigram-index analysis
/// does: the exact set of strings it can match (when small), sets every match starts and ends
/// with, and sets of which every match contains one string each. Concatenation joins the
/// suffixes of one side to the prefixes of the next, so `[0-9]{1,3}\.[0-9]` yields `0.0`…`9.9`
/// rather than a bare `.`. Anything the parser does not understand counts as "matches
/// anything", which only weakens the prefilter, never breaks it: the answer errs towards
/// running the regex.
enum RegexLiterals {
    /// Sets of literals, best first, such that every match contains one string of each set;
    /// empty when the regex must always run.
    static func requirements(_ pattern: String, flags: String = "") -> [Set<String>] {
        if flags.contains("x") { return [] }
        var parser = RegexFactorParser(Array(pattern.unicodeScalars))
        guard let info = parser.parseAlternation(), parser.atEnd else { return [] }
        let sets = info.choice()
        return flags.contains("i") ? sets.map { Set($0.map { $0.lowercased() }) } : sets
    }

    struct Info {
        /// Every string the node can match, when there are few; [""] when it matches nothing.
        var exact: Set<String>?
        /// Every match starts with one of these; [""] when unknown.
        var prefix: Set<String> = [""]
        /// Every match ends with one of these; [""] when unknown.
        var suffix: Set<String> = [""]
        /// Every match contains one string of each set.
        var required: [Set<String>] = []

        static let any = Info(exact: nil)
        static let empty = Info(exact: [""])
        /// Most strings in a set; beyond it sets are trimmed (prefixes, suffixes) or dropped.
        static let limit = 1024
        /// Most sets kept per node, and given to the prefilter per pattern.
        static let keep = 3

        var prefixes: Set<String> { exact ?? prefix }
        var suffixes: Set<String> { exact ?? suffix }

        /// Every set known to be required, this node's affixes included.
        var allRequired: [Set<String>] {
            if let exact { return [exact] }
            return required + [prefix, suffix]
        }

        /// Longer literals are more selective (each byte counts 8); more of them less so (log2).
        static func score(_ set: Set<String>) -> Int {
            guard !set.isEmpty, !set.contains("") else { return Int.min }
            let shortest = set.map { $0.utf8.count }.min()!
            return shortest * 8 - (Int.bitWidth - set.count.leadingZeroBitCount)
        }

        /// The most selective sets, at most `keep`, without duplicates or useless ones.
        static func pick(_ sets: [Set<String>]) -> [Set<String>] {
            var out: [Set<String>] = []
            for set in sets.sorted(by: { score($0) > score($1) }) where score(set) > Int.min && !out.contains(set) {
                out.append(set)
                if out.count == keep { break }
            }
            return out
        }

        /// What the prefilter gets: the best sets (at least one byte each).
        func choice() -> [Set<String>] { Self.pick(allRequired) }

        static func product(_ a: Set<String>, _ b: Set<String>) -> Set<String>? {
            guard a.count * b.count <= limit else { return nil }
            var out: Set<String> = []
            for x in a { for y in b { out.insert(x + y) } }
            return out
        }

        /// The set with every string cut to its first (or last) `n` scalars.
        static func trim(_ set: Set<String>, to n: Int, fromEnd: Bool) -> Set<String> {
            Set(
                set.map { s in
                    let u = Array(s.unicodeScalars)
                    guard u.count > n else { return s }
                    var v = String.UnicodeScalarView()
                    v.append(contentsOf: fromEnd ? u[(u.count - n)...] : u[..<n])
                    return String(v)
                })
        }

        static func longest(_ set: Set<String>) -> Int { set.map { $0.unicodeScalars.count }.max() ?? 0 }

        /// Trims a set of prefixes (or suffixes) until it has at most `limit` strings.
        static func fit(_ set: Set<String>, fromEnd: Bool) -> Set<String> {
            var set = set
            while set.count > limit {
                let n = longest(set)
                if n <= 1 { return [""] }
                set = trim(set, to: n - 1, fromEnd: fromEnd)
            }
            return set
        }

        /// Strings of `a`'s end joined to `b`'s start, trimmed until there are few enough.
        static func crossing(_ a: Set<String>, _ b: Set<String>) -> Set<String>? {
            var a = a, b = b
            while a.count * b.count > limit {
                let la = longest(a), lb = longest(b)
                if la <= 1 && lb <= 1 { return nil }
                if la >= lb { a = trim(a, to: la - 1, fromEnd: true) } else { b = trim(b, to: lb - 1, fromEnd: false) }
            }
            return product(a, b)
        }

        /// `a` followed by `b`.
        static func concat(_ a: Info, _ b: Info) -> Info {
            if let ea = a.exact, let eb = b.exact, let p = product(ea, eb) {
                return Info(exact: p, required: pick(a.required + b.required))
            }
            var out = Info(exact: nil)
            if let ea = a.exact {
                out.prefix = fit(product(ea, b.prefixes) ?? ea, fromEnd: false)
            } else {
                out.prefix = a.prefix
            }
            if let eb = b.exact {
                out.suffix = fit(product(a.suffixes, eb) ?? eb, fromEnd: true)
            } else {
                out.suffix = b.suffix
            }
            var sets = a.allRequired + b.allRequired
            if let c = crossing(a.suffixes, b.prefixes) { sets.append(c) }
            out.required = pick(sets)
            return out
        }

        /// Either `a` or `b`.
        static func alternate(_ a: Info, _ b: Info) -> Info {
            if let ea = a.exact, let eb = b.exact, ea.count + eb.count <= limit { return Info(exact: ea.union(eb)) }
            var out = Info(exact: nil)
            out.prefix = fit(a.prefixes.union(b.prefixes), fromEnd: false)
            out.suffix = fit(b.suffixes.union(a.suffixes), fromEnd: true)
            if let x = a.choice().first, let y = b.choice().first, x.count + y.count <= limit { out.required = [x.union(y)] }
            if out.prefix.contains("") { out.prefix = [""] }
            if out.suffix.contains("") { out.suffix = [""] }
            return out
        }

        /// The node repeated at least `minimum` (≥ 1) and at most `maximum` times.
        static func repeated(_ atom: Info, minimum: Int, maximum: Int?) -> Info {
            // The first `minimum` and the last `minimum` repetitions are both `atom` repeated
            // `minimum` times, so its prefixes, suffixes and required sets hold for the whole.
            var acc = atom
            for _ in 1..<min(minimum, 4) { acc = concat(acc, atom) }
            if minimum > 4 {
                acc = Info(
                    exact: nil, prefix: acc.prefixes, suffix: acc.suffixes, required: acc.allRequired.count > 0 ? pick(acc.allRequired) : []
                )
            }
            if maximum == minimum, minimum <= 4 { return acc }
            guard let e = acc.exact else { return acc }
            return Info(exact: nil, prefix: e, suffix: e, required: [])
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
        var info = parseConcatenation()
        while i < s.count, s[i] == "|" {
            i += 1
            info = Info.alternate(info, parseConcatenation())
        }
        return failed ? nil : info
    }

    mutating func parseConcatenation() -> Info {
        var info = Info.empty
        while i < s.count, s[i] != "|", s[i] != ")" {
            info = Info.concat(info, parseQuantified())
        }
        return info
    }

    mutating func parseQuantified() -> Info {
        let atom = parseAtom()
        guard i < s.count else { return atom }
        var minimum = 1
        var maximum: Int? = 1
        switch s[i] {
        case "*":
            minimum = 0
            maximum = nil
            i += 1
        case "+":
            minimum = 1
            maximum = nil
            i += 1
        case "?":
            minimum = 0
            maximum = 1
            i += 1
        case "{":
            guard let (m, n, next) = braces(from: i) else {
                // `{` that is not a quantifier here is literal; one that PCRE2 might still read
                // as one (`{ 2 }`, a number too large for us) makes the pattern always run.
                var j = i + 1
                while j < s.count, s[j] == " " || s[j] == "," || ("0"..."9").contains(s[j]) { j += 1 }
                if j < s.count, s[j] == "}" { return bail() }
                return atom
            }
            minimum = m
            maximum = n
            i = next
        default: return atom
        }
        if i < s.count, s[i] == "?" || s[i] == "+" { i += 1 }  // lazy or possessive
        if minimum == 0 {
            if maximum == 1, let e = atom.exact, e.count < Info.limit { return Info(exact: e.union([""])) }
            return maximum == 0 ? .empty : .any
        }
        return Info.repeated(atom, minimum: minimum, maximum: maximum)
    }

    /// `{m}`, `{m,}`, `{m,n}`, `{,n}`; nil when it is not a quantifier.
    func braces(from start: Int) -> (Int, Int?, Int)? {
        var j = start + 1
        func number() -> Int? {
            let from = j
            while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
            return j > from ? Int(String(String.UnicodeScalarView(s[from..<j]))) : nil
        }
        let lower = number()
        if let m = lower, j < s.count, s[j] == "}" { return (m, m, j + 1) }
        guard j < s.count, s[j] == "," else { return nil }
        j += 1
        let n = number()
        guard j < s.count, s[j] == "}", lower != nil || n != nil else { return nil }
        return (lower ?? 0, n, j + 1)  // {,n}: PCRE2 10.43 reads it as {0,n}; older ones as text

    }

    mutating func parseAtom() -> Info {
        let c = s[i]
        switch c {
        case "(":
            i += 1
            if i < s.count, s[i] == "*" {
                // Verbs — (*MARK:…), (*ACCEPT), (*SKIP) … — can end or reshape a match.
                return bail()
            }
            if i < s.count, s[i] == "?" {
                // (?:…) and named groups are groups; lookarounds are zero-width; anything else
                // (inline options, atomic groups, conditionals, recursion, comments): bail.
                let next = i + 1 < s.count ? s[i + 1] : "\0"
                let afterNext = i + 2 < s.count ? s[i + 2] : "\0"
                if next == ":" {
                    i += 2
                } else if next == "=" || next == "!" || (next == "<" && (afterNext == "=" || afterNext == "!")) {
                    skipGroup()
                    return .empty
                } else if next == "<" || next == "'" || (next == "P" && afterNext == "<") {
                    // (?<name>…), (?'name'…), (?P<name>…)
                    let close: Unicode.Scalar = next == "'" ? "'" : ">"
                    i += next == "P" ? 3 : 2
                    while i < s.count, s[i] != close { i += 1 }
                    i += 1
                } else {
                    return bail()
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
            return Info(exact: [String(c)])
        }
    }

    /// Gives up on the whole pattern: it always runs.
    mutating func bail() -> Info {
        failed = true
        i = s.count
        return .any
    }

    /// Skips a group (a lookaround) to its closing parenthesis, escapes and classes included.
    mutating func skipGroup() {
        var depth = 0
        while i < s.count {
            if s[i] == "\\" {
                i += 2
                continue
            }
            if s[i] == "[" {
                skipClass()
                continue
            }
            if s[i] == "(" { depth += 1 }
            if s[i] == ")" {
                depth -= 1
                if depth == 0 {
                    i += 1
                    return
                }
            }
            i += 1
        }
    }

    /// Skips a character class from its `[` to its closing `]`.
    mutating func skipClass() {
        i += 1
        if i < s.count, s[i] == "^" { i += 1 }
        var first = true
        while i < s.count, s[i] != "]" || first {
            first = false
            if s[i] == "\\" {
                let e = i + 1 < s.count ? s[i + 1] : "\0"
                if e == "Q" {
                    _ = bail()
                    return
                }
                i += e == "c" ? 3 : 2
                continue
            }
            if s[i] == "[", i + 1 < s.count, s[i + 1] == ":" {
                i += 2
                while i + 1 < s.count, !(s[i] == ":" && s[i + 1] == "]") { i += 1 }
                i += 2
                continue
            }
            i += 1
        }
        i += 1
    }

    mutating func parseEscape() -> Info {
        i += 1
        guard i < s.count else {
            failed = true
            return .any
        }
        let c = s[i]
        i += 1
        switch c {
        case "n": return Info(exact: ["\n"])
        case "t": return Info(exact: ["\t"])
        case "r": return Info(exact: ["\r"])
        case "b", "B", "A", "z", "Z", "G", "E": return .empty
        case "Q":
            // Quoted text: its `|` and `(` are literal; not analysed.
            return bail()
        case "0"..."9":
            // Back references and octal escapes: skip their digits.
            while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
            return .any
        case "c":
            i += 1  // the control character's letter
            return .any
        case "x":
            if i < s.count, s[i] == "{" {
                skipBracedArgument()
            } else {
                var n = 0
                while n < 2, i < s.count, s[i].properties.isASCIIHexDigit {
                    i += 1
                    n += 1
                }
            }
            return .any
        case "g", "k":
            // \g1, \g-1, \g{…}, \g<…>, \g'…', \k<…>, \k'…', \k{…}
            if i < s.count, let close: Unicode.Scalar = ["{": "}", "<": ">", "'": "'"][s[i]] {
                while i < s.count, s[i] != close { i += 1 }
                i += 1
            } else {
                if i < s.count, s[i] == "-" || s[i] == "+" { i += 1 }
                while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
            }
            return .any
        case "p", "P", "N", "o":
            skipBracedArgument()
            return .any
        case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "X", "R", "C", "K", "e", "f", "a", "u", "l", "L", "U":
            // Classes, single code units, match-start resets, other escapes: not analysed.
            return .any
        default:
            if c.properties.isAlphabetic { return .any }
            return Info(exact: [String(c)])
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
        let open = i
        skipClass()
        let close = i - 1
        guard !failed, close > open, close < s.count, s[close] == "]" else { return bail() }
        var j = open + 1
        var tooMany = false
        if s[j] == "^" {
            tooMany = true  // a negated class matches almost anything
            j += 1
        }
        var members: Set<String> = []
        /// The member at `j` (an escape of punctuation counts as that punctuation); nil for
        /// classes, properties, code points and POSIX names, which are not analysed.
        func member() -> Unicode.Scalar? {
            let c = s[j]
            if c == "[", j + 1 < close, s[j + 1] == ":" { return nil }
            guard c == "\\" else {
                j += 1
                return c
            }
            guard j + 1 < close else { return nil }
            let e = s[j + 1]
            if e == "x" { return codePoint() }
            j += 2
            switch e {
            case "n": return "\n"
            case "t": return "\t"
            case "r": return "\r"
            default: return e.properties.isAlphabetic || ("0"..."9").contains(e) ? nil : e
            }
        }
        /// `\xHH` or `\x{H…}` at `j`, as PCRE2 reads them in UTF mode.
        func codePoint() -> Unicode.Scalar? {
            var k = j + 2
            var digits = ""
            if k < close, s[k] == "{" {
                k += 1
                while k < close, s[k] != "}" {
                    digits.unicodeScalars.append(s[k])
                    k += 1
                }
                guard k < close else { return nil }
                k += 1
            } else {
                while k < close, digits.unicodeScalars.count < 2, s[k].properties.isASCIIHexDigit {
                    digits.unicodeScalars.append(s[k])
                    k += 1
                }
            }
            guard !digits.isEmpty, digits.count <= 6, let v = UInt32(digits, radix: 16), let u = Unicode.Scalar(v) else { return nil }
            j = k
            return u
        }
        while j < close, !tooMany {
            guard let lower = member() else {
                tooMany = true
                break
            }
            if j + 1 < close, s[j] == "-" {
                j += 1
                guard let upper = member(), upper.value >= lower.value, upper.value - lower.value <= 64 else {
                    tooMany = true
                    break
                }
                for v in lower.value...upper.value { if let u = Unicode.Scalar(v) { members.insert(String(u)) } }
            } else {
                members.insert(String(lower))
            }
        }
        if tooMany || members.isEmpty || members.count > 64 { return .any }
        return Info(exact: members)
    }
}
