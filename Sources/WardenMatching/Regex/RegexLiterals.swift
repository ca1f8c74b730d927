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
    /// The best single literal set for `pattern`, or nil when the regex must always run.
    static func required(_ pattern: String, flags: String = "") -> Set<String>? {
        requirements(pattern, flags: flags).first
    }

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
            Set(set.map { s in
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
            if minimum > 4 { acc = Info(exact: nil, prefix: acc.prefixes, suffix: acc.suffixes, required: acc.allRequired.count > 0 ? pick(acc.allRequired) : []) }
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
            if maximum == 1, let e = atom.exact, e.count < Info.limit { return Info(exact: e.union([""])) }
            return maximum == 0 ? .empty : .any
        }
        return Info.repeated(atom, minimum: minimum, maximum: maximum)
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
            return Info(exact: [String(c)])
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
        case "n": return Info(exact: ["\n"])
        case "t": return Info(exact: ["\t"])
        case "r": return Info(exact: ["\r"])
        case "b", "B", "A", "z", "Z", "G": return .empty
        case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "p", "P", "X", "R", "N", "x", "u", "0"..."9", "Q", "E", "k", "g", "c", "e", "f", "a":
            // Classes, properties, code points, back references, quoting: not analysed.
            if c == "p" || c == "P" || c == "x" || c == "N" { skipBracedArgument() }
            return .any
        default:
            if c.properties.isAlphabetic || ("0"..."9").contains(c) { return .any }
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
        return Info(exact: members)
    }
}
