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
        let foldSets: [FoldOptions] = [
            .all, [], [.caseFold, .width], FoldOptions.all.subtracting(.boundary), FoldOptions.all.subtracting(.repeats),
        ]
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
                    if rng.next() % 4 == 0, let list = lists.randomElement(using: &rng), let entry = list.entries.randomElement(using: &rng)
                    {
                        text += entry
                    } else {
                        text += Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
                    }
                }
                let actual = matcher.scan(text).flatMap { $0 }.map {
                    Found(list: $0.list, entry: $0.entry, lower: $0.span.lowerBound, upper: $0.span.upperBound)
                }.sorted()
                let expected = Self.reference(lists, text)
                #expect(
                    actual == expected,
                    "text \(text.debugDescription) lists \(lists.map { ($0.entries, $0.folds.rawValue, $0.except as Any) })")
                if actual != expected { return }
            }
        }
    }
}

/// Lists with `pinyin` against two properties the reference can state without rebuilding the
/// derived lists: the pinyin fold only adds hits (every hit of the same list without it stays),
/// and every hit it adds spells its keyword, character by character, as the character itself,
/// a character of the same reading, its reading, or its initial (checked by a small search over
/// the hit's folded text, independent of how the matcher builds its lists).
@Suite struct PinyinReferenceTests {
    static let chinese = ["加", "微", "信", "刷", "单", "兼", "职", "红", "包", "套", "现", "返", "利", "家", "威"]

    /// The keyword's characters, after the list's other folds, and their readings.
    static func spells(_ hit: [UInt32], _ keyword: [UInt32]) -> Bool {
        func reading(_ u: UInt32) -> [UInt32]? { Pinyin.syllableOf[u].map { Array(Pinyin.syllables[$0].unicodeScalars.map(\.value)) } }
        var memo: [Int: Bool] = [:]
        func from(_ i: Int, _ j: Int) -> Bool {
            if j == keyword.count {
                // Done, but for repeats of the last unit.
                return i == hit.count || (hit[i] == hit[i - 1] && !(hit[i] >= 0x30 && hit[i] <= 0x39) && from(i + 1, j))
            }
            let key = i * 1000 + j
            if let m = memo[key] { return m }
            var ok = false
            let k = keyword[j]
            // A doubled character may have collapsed into the one before it (the repeats fold).
            if j > 0, keyword[j - 1] == k { ok = from(i, j + 1) }
            if !ok, i >= hit.count {
                memo[key] = false
                return false
            }
            if !ok, hit[i] == k { ok = from(i + 1, j + 1) }
            // A repeat in the text (the repeats fold collapses it).
            if !ok, i > 0, hit[i] == hit[i - 1], !(hit[i] >= 0x30 && hit[i] <= 0x39) { ok = from(i + 1, j) }
            if !ok, let r = reading(k) {
                if let h = reading(hit[i]), h == r { ok = from(i + 1, j + 1) }
                // The reading, with ü also as u or v; or the initial.
                for variant in [r, r.map { $0 == 0xFC ? 0x75 : $0 }, r.map { $0 == 0xFC ? 0x76 : $0 }] where !ok {
                    if i + variant.count <= hit.count, Array(hit[i..<(i + variant.count)]) == variant {
                        ok = from(i + variant.count, j + 1)
                    }
                }
                if !ok, hit[i] == r[0] { ok = from(i + 1, j + 1) }
            }
            memo[key] = ok
            return ok
        }
        return from(0, 0)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func pinyinOnlyAddsHitsThatSpellTheirKeyword(seed: UInt64) {
        var rng = Xorshift(seed)
        var added = 0
        for _ in 0..<40 {
            let entries = (0..<Int(rng.next() % 6 + 1)).map { _ in
                (0..<Int(rng.next() % 4 + 2)).map { _ in Self.chinese[Int(rng.next() % UInt64(Self.chinese.count))] }.joined()
            }
            // Without noise and repeats, so that the check below reads the hit exactly as written
            // (with them, spellings run together and collapse: `x` + `xian` is `xian`).
            let folds = FoldOptions.all.subtracting([.noise, .repeats])
            let with = KeywordMatcher(lists: [KeywordList(name: "p", entries: entries, folds: folds.union(.pinyin))])
            let without = KeywordMatcher(lists: [KeywordList(name: "p", entries: entries, folds: folds)])
            let plain = Normalizer(options: folds)
            for _ in 0..<20 {
                // Entries written with some characters in pinyin, as initials or as homophones.
                var text = ""
                for _ in 0..<Int(rng.next() % 6 + 1) {
                    let entry = entries[Int(rng.next() % UInt64(entries.count))]
                    for c in entry.unicodeScalars {
                        let syllable = Pinyin.syllableOf[c.value].map { Pinyin.syllables[$0] } ?? String(c)
                        switch rng.next() % 5 {
                        case 0: text += syllable
                        case 1: text += String(syllable.first!)
                        case 2: text += syllable.uppercased()
                        default: text.unicodeScalars.append(c)
                        }
                    }
                    if rng.next() % 3 == 0 { text += Self.chinese[Int(rng.next() % UInt64(Self.chinese.count))] }
                    if rng.next() % 4 == 0 { text += "，" }
                }
                let got = with.scan(text)[0]
                let base = without.scan(text)[0]
                for hit in base {
                    #expect(got.contains(hit), "\(text.debugDescription): plain hit \(hit) lost with pinyin, entries \(entries)")
                }
                let scalars = Array(text.unicodeScalars)
                for hit in got where !base.contains(hit) {
                    added += 1
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: scalars[hit.span])
                    let found = Normalizer(options: folds.subtracting(.repeats)).units(String(view))
                    let keyword = Normalizer(options: folds.subtracting(.repeats)).units(entries[hit.entry])
                    #expect(
                        Self.spells(found, keyword), "\(text.debugDescription): \(String(view)) is not a spelling of \(entries[hit.entry])")
                }
            }
        }
        // The texts are made to hold pinyin spellings: the property is not checked on nothing.
        #expect(added > 100, "\(added) hits added by pinyin")
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
