import Testing
@testable import WardenMatching

/// The matcher against the simplest correct implementation: fold the text, then try every
/// keyword at every position, then map back through the fold's offset map.
@Suite struct MatcherReferenceTests {
    struct Found: Hashable, Comparable {
        var list: Int
        var entry: Int
        var lower: Int
        var upper: Int
        static func < (a: Found, b: Found) -> Bool { (a.list, a.entry, a.lower, a.upper) < (b.list, b.entry, b.lower, b.upper) }
    }

    static func reference(_ lists: [KeywordList], _ text: String) -> [Found] {
        var perList: [[Found]] = []
        for (l, list) in lists.enumerated() {
            let normalizer = Normalizer(options: list.folds)
            // The text folded without collapsing repeats, then collapsed here, so each unit
            // knows how often it repeated; a keyword's own repeats must be there (拼多多 needs 多多).
            let plain = Normalizer(options: list.folds.subtracting(.repeats))
            let folded = plain.fold(text)
            // Units of the folded text with their original spans and run lengths.
            var units: [(UInt32, Int, Int, Int)] = []
            var j = 0
            for scalar in String(decoding: folded.bytes, as: UTF8.self).unicodeScalars {
                let v = scalar.value
                if list.folds.contains(.repeats), let last = units.last, last.0 == v, !(v >= 0x30 && v <= 0x39) {
                    units[units.count - 1] = (v, last.1, Int(folded.end[j]), last.3 + 1)
                } else {
                    units.append((v, Int(folded.start[j]), Int(folded.end[j]), 1))
                }
                j += String(scalar).utf8.count
            }
            var found: [Found] = []
            for (e, entry) in list.entries.enumerated() {
                let kw = normalizer.units(entry)
                guard !kw.isEmpty, kw.count <= units.count else { continue }
                var need = [Int](repeating: 1, count: kw.count)
                if list.folds.contains(.repeats) {
                    var k = -1
                    var last: UInt32?
                    for u in plain.units(entry) {
                        if u == last, !(u >= 0x30 && u <= 0x39) { need[k] += 1 } else { k += 1 }
                        last = u
                    }
                }
                for p in 0...(units.count - kw.count) where units[p..<(p + kw.count)].map(\.0) == kw {
                    if (0..<kw.count).contains(where: { units[p + $0].3 < need[$0] }) { continue }
                    let lower = units[p].1
                    let upper = units[p + kw.count - 1].2
                    if list.folds.contains(.boundary) {
                        if KeywordMatcher.isWord(kw.first!), wordBeside(folded.original, lower - 1, step: -1, normalizer) { continue }
                        if KeywordMatcher.isWord(kw.last!), wordBeside(folded.original, upper, step: 1, normalizer) { continue }
                    }
                    found.append(Found(list: l, entry: e, lower: lower, upper: upper))
                }
            }
            perList.append(found)
        }
        var out: [Found] = []
        for (l, list) in lists.enumerated() {
            for f in perList[l] {
                if let other = list.except, perList[other].contains(where: { $0.lower <= f.lower && $0.upper >= f.upper }) { continue }
                out.append(f)
            }
        }
        return out.sorted()
    }

    /// The boundary rule as the folds see the text: from `index` outwards, invisible characters
    /// are passed over, and a character counts as a word character when it folds to an ASCII
    /// letter or digit (its last folded unit looking left, its first looking right).
    static func wordBeside(_ original: [Unicode.Scalar], _ index: Int, step: Int, _ normalizer: Normalizer) -> Bool {
        var k = index
        while k >= 0, k < original.count {
            let s = original[k]
            if KeywordMatcher.isWordScalar(s.value) { return true }
            let units = normalizer.units(String(s))
            if units.isEmpty {
                guard s.value >= 0x80, Normalizer.isInvisible(s) else { return false }
                k += step
                continue
            }
            return KeywordMatcher.isWord(step < 0 ? units.last! : units.first!)
        }
        return false
    }

    static let alphabet: [String] = [
        "a", "b", "A", "s", "e", "x", "1", "2", "0", "加", "微", "信", "刷", "单", "單", "兼", "職", "职", "红", "包",
        "ａ", "Ａ", "１", "①", "一", " ", "-", "🌟", "，", "\u{200B}", "а", "ﬁ", "i", "é", "𝐀", "ⓐ", "ロ", "単",
    ]

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func agreesOnRandomTextsAndLists(seed: UInt64) {
        var rng = Xorshift(seed)
        let foldSets: [FoldOptions] = [.all, [], [.caseFold, .width], FoldOptions.all.subtracting(.boundary), FoldOptions.all.subtracting(.repeats)]
        for _ in 0..<60 {
            var lists: [KeywordList] = []
            for l in 0..<Int(rng.next() % 3 + 1) {
                let entries = (0..<Int(rng.next() % 12 + 1)).map { _ -> String in
                    let length = rng.next() % 10 == 0 ? 20 : Int(rng.next() % 4 + 1)
                    return (0..<length).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }.joined()
                }
                var list = KeywordList(name: "l\(l)", entries: entries, folds: foldSets[Int(rng.next() % UInt64(foldSets.count))])
                if l > 0, rng.next() % 2 == 0 { list.except = 0 }
                lists.append(list)
            }
            // Prefixes and overlaps: reuse pieces of entries inside the text.
            let matcher = KeywordMatcher(lists: lists)
            for _ in 0..<20 {
                var text = ""
                for _ in 0..<Int(rng.next() % 40) {
                    if rng.next() % 4 == 0, let list = lists.randomElement(using: &rng), let entry = list.entries.randomElement(using: &rng) {
                        text += entry
                    } else {
                        text += Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
                    }
                }
                let actual = matcher.scan(text).flatMap { $0 }.map { Found(list: $0.list, entry: $0.entry, lower: $0.span.lowerBound, upper: $0.span.upperBound) }.sorted()
                let expected = Self.reference(lists, text)
                #expect(actual == expected, "text \(text.debugDescription) lists \(lists.map { ($0.entries, $0.folds.rawValue, $0.except as Any) })")
                if actual != expected { return }
            }
        }
    }
}

struct Xorshift: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
