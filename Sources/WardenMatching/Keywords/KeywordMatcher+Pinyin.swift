/// The `pinyin` fold: for a list that asks for it, the matcher adds hidden lists whose hits
/// count as hits of that list's keywords (homophones from three Chinese characters, romanized
/// pinyin from two, initials from four):
///
/// - homophones: the keyword with every character folded to its toneless syllable, so
///   `加威信` and `家微信` match `加微信`; a hit stands only when at least half of its characters
///   are the keyword's own (after the list's other folds), so an unrelated phrase that merely
///   sounds the same (`佳伟欣` for `加微信`) does not count;
/// - romanized pinyin: `jiaweixin`, which the list's folds also match as `Jia Wei Xin` or
///   `jiā wēi xìn`, and (up to six characters) pinyin mixed with the keyword's own characters:
///   `兼职shuadan`, `jia微xin`; always with the ASCII boundary rule, so it does not match
///   inside a word; a two-character keyword is not spelled where its spelling is an English
///   word (`PinyinGuard`: `taoxian` and `fanli` are spellings, `bali` is not);
/// - initials, from four characters: `jzsd` for `兼职刷单`, and from three mixed with the
///   keyword's characters (`加wx` for `加微信`, `兼职sd`), also on ASCII boundaries.
///
/// Readings come from Unihan's kMandarin (`PinyinTable`), the first reading of each character.
extension KeywordMatcher {
    struct Derived: Sendable {
        enum Kind: Sendable { case homophones, romanized, initials, split }
        let kind: Kind
        /// The list whose keywords these are.
        let owner: Int
        /// Per entry of the hidden list: the owner's entry.
        let entryOf: [Int]
        /// Homophones: the owner's folds (without `pinyin`), and per hidden entry its units.
        let normalizer: Normalizer
        let units: [[UInt32]]

        /// Whether a homophone hit keeps at least half of the keyword's characters.
        func keeps(_ hit: KeywordHit, in scalars: [Unicode.Scalar]) -> Bool {
            guard kind == .homophones else { return true }
            guard hit.span.upperBound <= scalars.count else { return false }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[hit.span])
            let found = normalizer.units(String(view))
            let keyword = units[hit.entry]
            guard found.count == keyword.count else { return false }
            let same = zip(found, keyword).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
            return same * 2 >= keyword.count
        }
    }

    /// Keywords up to this many characters also match every mix of pinyin and characters…
    static let maxMixed = 6
    /// …unless the mixes of a list would pass this many entries (a 64k-word lexicon would get
    /// millions): then that list gets pinyin, homophones and initials, but no mixes.
    static let maxMixedEntries = 100_000

    /// The hidden lists for every list folded with `pinyin`, to be appended after `lists`.
    static func pinyinLists(_ lists: [KeywordList]) -> (lists: [KeywordList], derived: [Derived]) {
        var hidden: [KeywordList] = []
        var derived: [Derived] = []
        for (index, list) in lists.enumerated() where list.folds.contains(.split) {
            let base = list.folds.subtracting([.pinyin, .split])
            let words = SplitForms.entries(list.entries, normalizer: Normalizer(options: base.subtracting([.repeats, .digits])))
            guard !words.isEmpty else { continue }
            hidden.append(KeywordList(name: list.name + " (split)", entries: words.map(\.0), folds: base))
            derived.append(Derived(kind: .split, owner: index, entryOf: words.map(\.1), normalizer: Normalizer(options: base), units: []))
        }
        for (index, list) in lists.enumerated() where list.folds.contains(.pinyin) {
            let base = list.folds.subtracting([.pinyin, .split])
            let normalizer = Normalizer(options: base)
            let unitsOf = list.entries.map(normalizer.units)
            var mixes = 0
            for n in unitsOf.map(\.count) where n >= 3 && n <= maxMixed { mixes += (1 << n) - 2 }
            let mixing = mixes <= maxMixedEntries
            let bySyllable = Normalizer(options: base.union(.syllables))
            let spelling = Normalizer(options: base.subtracting([.repeats, .digits]))
            var homophones: [(entry: String, owner: Int, units: [UInt32])] = []
            var romanized: [(String, Int)] = []
            var initials: [(String, Int)] = []
            for (e, entry) in list.entries.enumerated() {
                let units = unitsOf[e]
                // Repeat collapse over syllables could shrink 是时事 to one unit: keep three.
                if units.count >= 3, units.allSatisfy({ Pinyin.syllableOf[$0] != nil }), bySyllable.units(entry).count >= 3 {
                    homophones.append((entry, e, units))
                }
                // Spelled from the characters as written: 零 is ling (the digits fold would make it
                // 0, which has no reading) and 扣扣 is koukou (repeats would leave one kou).
                let letters = spelling.units(entry)
                let readings = letters.compactMap { Pinyin.syllableOf[$0].map { Pinyin.syllables[$0] } }
                guard letters.count >= 2, readings.count == letters.count else { continue }
                // All in pinyin, and (up to six characters) every mix of pinyin and the keyword's
                // own characters: 兼职shuadan, jianzhi刷单.
                // Two characters: never where the spelling is an English word (`PinyinGuard`).
                var spellings = letters.count == 2 && PinyinGuard.words.contains(readings.joined()) ? [] : [readings.joined()]
                if mixing, letters.count <= maxMixed {
                    for mask in 1..<(1 << letters.count) - 1 {
                        var mixed = ""
                        for (k, unit) in letters.enumerated() {
                            if mask & (1 << k) != 0 { mixed += readings[k] } else { mixed.unicodeScalars.append(Unicode.Scalar(unit)!) }
                        }
                        spellings.append(mixed)
                    }
                }
                for spelled in spellings {
                    guard spelled.unicodeScalars.contains("ü") else {
                        romanized.append((spelled, e))
                        continue
                    }
                    for letter: Unicode.Scalar in ["u", "v"] {
                        romanized.append((String(String.UnicodeScalarView(spelled.unicodeScalars.map { $0 == "ü" ? letter : $0 })), e))
                    }
                }
                let firsts = readings.compactMap(\.first)
                if letters.count >= 4 { initials.append((String(firsts), e)) }
                // Initials mixed with the keyword's characters (`加wx` for 加微信): a run of two or
                // more initials, at least one character kept, up to six characters.
                if letters.count >= 3, letters.count <= maxMixed {
                    for i in 0..<(letters.count - 1) {
                        for j in (i + 2)...letters.count where j - i < letters.count {
                            var mixed = String.UnicodeScalarView()
                            for (k, unit) in letters.enumerated() {
                                if k >= i, k < j {
                                    mixed.append(contentsOf: String(firsts[k]).unicodeScalars)
                                } else {
                                    mixed.append(Unicode.Scalar(unit)!)
                                }
                            }
                            initials.append((String(mixed), e))
                        }
                    }
                }
            }
            let name = list.name
            if !homophones.isEmpty {
                hidden.append(KeywordList(name: name + " (homophones)", entries: homophones.map(\.entry), folds: base.union(.syllables)))
                derived.append(
                    Derived(
                        kind: .homophones, owner: index, entryOf: homophones.map(\.owner), normalizer: normalizer,
                        units: homophones.map(\.units)))
            }
            for (kind, words, suffix) in [(Derived.Kind.romanized, romanized, "pinyin"), (.initials, initials, "initials")]
            where !words.isEmpty {
                hidden.append(KeywordList(name: name + " (\(suffix))", entries: words.map(\.0), folds: base.union(.boundary)))
                derived.append(Derived(kind: kind, owner: index, entryOf: words.map(\.1), normalizer: normalizer, units: []))
            }
        }
        return (hidden, derived)
    }

    /// Moves the hidden lists' hits (`flat`, internal list indices) to their owners, guarded.
    func collect(_ flat: [KeywordHit], text: String) -> [[KeywordHit]] {
        var hits = [[KeywordHit]](repeating: [], count: lists.count)
        var moved = Set<Int>()
        var scalars: [Unicode.Scalar]? = nil
        for hit in flat {
            if hit.list < lists.count {
                hits[hit.list].append(hit)
                continue
            }
            let d = derived[hit.list - lists.count]
            if d.kind == .homophones {
                if scalars == nil { scalars = text.scalarArray }
                guard d.keeps(hit, in: scalars!) else { continue }
            }
            hits[d.owner].append(KeywordHit(list: d.owner, entry: d.entryOf[hit.entry], span: hit.span))
            moved.insert(d.owner)
        }
        // In order of where hits end, longest first, each (entry, span) once.
        for list in moved {
            var seen = Set<[Int]>()
            hits[list] = hits[list]
                .sorted { ($0.span.upperBound, -$0.span.lowerBound, $0.entry) < ($1.span.upperBound, -$1.span.lowerBound, $1.entry) }
                .filter { seen.insert([$0.entry, $0.span.lowerBound, $0.span.upperBound]).inserted }
        }
        return hits
    }
}
