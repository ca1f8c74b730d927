/// Which folds made a keyword hit: for a reviewer who must see why `力口微信` or `兼職刷単`
/// matched `加微信` or `兼职刷单`.
///
/// A fold made the hit when, with every other fold of the list kept and that one taken away, the
/// hit's text no longer folds to the keyword. A hit that the text folds cannot explain at all came
/// through the `pinyin` fold's derived lists; one whose characters fold to it only in reverse
/// was shown right to left (`bidi`, part of `invisible`). Computed scalar by scalar, without fold tables, so it
/// costs microseconds and only for the evidence of rules that fire.
package enum FoldAttribution {
    /// The folds, in the language's names and in `FoldOptions.byName` order of declaration.
    static let named: [(String, FoldOptions)] = [
        ("width", .width), ("case", .caseFold), ("diacritics", .diacritics), ("traditional", .traditional),
        ("variants", .variants), ("digits", .digits), ("letters", .letters), ("invisible", .invisible),
        ("noise", .noise), ("repeats", .repeats),
    ]

    /// The folds of `folds` without which `text` (the hit's original characters) would not fold to
    /// `entry`; empty when the text is the keyword as written.
    package static func via(text original: String, entry: String, folds: FoldOptions) -> [String] {
        // Most hits are the keyword as written: nothing to attribute, nothing to fold.
        if original == entry { return [] }
        // A hit's text is short, unless a run of one character stretches it (a repeat, or a
        // hostile 60,000-character line): two of a run attribute `repeats` as well as all of it.
        let text = original.unicodeScalars.count > maxScalars ? shortened(original) : original
        guard text.unicodeScalars.count <= maxScalars else { return [] }
        let all = folds.textFolds.subtracting(.syllables)
        let target = units(entry, all)
        guard units(text, all) == target else {
            // Shown right to left (an override in or around it): try the order the reader sees.
            if all.contains(.invisible) {
                var reversed = String.UnicodeScalarView()
                reversed.append(contentsOf: text.unicodeScalars.reversed())
                for shown in [BidiDisplay(text)?.text, String(reversed)].compactMap({ $0 }) where units(shown, all) == target {
                    return ["bidi"] + via(text: shown, entry: entry, folds: folds)
                }
            }
            if folds.contains(.split) {
                let joined = SplitForms.join(text)
                if joined != text, units(joined, all) == target { return ["split"] + via(text: joined, entry: entry, folds: folds) }
            }
            return folds.contains(.pinyin) ? ["pinyin"] : []
        }
        var used: [String] = []
        for (name, fold) in named where all.contains(fold) {
            let without = all.subtracting(fold)
            if units(text, without) != units(entry, without) { used.append(name) }
        }
        return used
    }

    /// Hits longer than this (after runs are cut to two) are not attributed.
    static let maxScalars = 256

    /// The text with every run of one scalar cut to two.
    static func shortened(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        var last: Unicode.Scalar?
        var run = 0
        for s in text.unicodeScalars {
            run = s == last ? run + 1 : 1
            last = s
            if run <= 2 { view.append(s) }
        }
        return String(view)
    }

    /// The folded scalars of a short text under `options`, repeats collapsed as the normalizer does.
    static func units(_ text: String, _ options: FoldOptions) -> [UInt32] {
        let map = FoldTable.characterMap(options)
        let repeats = options.contains(.repeats)
        var out: [UInt32] = []
        out.reserveCapacity(text.utf8.count)
        func append(_ u: UInt32) {
            if repeats, u == out.last, !(u >= 0x30 && u <= 0x39) { return }
            out.append(u)
        }
        for s in text.unicodeScalars {
            if let u = quickFold(s.value, options, map) {
                append(u)
            } else {
                for u in FoldTable.fold(s, options, map) { append(u) }
            }
        }
        return out
    }

    /// What `FoldTable.fold` gives for an ASCII letter or digit or a common ideograph, without
    /// the Unicode property lookups it makes (the hits a reviewer sees are mostly these); nil
    /// for anything else. An ideograph folds only through the character map and the digits.
    @inline(__always)
    static func quickFold(_ v: UInt32, _ options: FoldOptions, _ map: CharacterMap) -> UInt32? {
        if v < 0x80 {
            guard KeywordMatcher.isWord(v) else { return nil }
            return options.contains(.caseFold) && v >= 0x41 && v <= 0x5A ? v + 0x20 : v
        }
        guard isCommonIdeograph(v) else { return nil }
        let c = map.isEmpty ? v : map[v] ?? v
        guard isCommonIdeograph(c) else { return nil }
        return options.contains(.digits) ? FoldTable.chineseDigits[c] ?? c : c
    }

    @inline(__always)
    static func isCommonIdeograph(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF)
    }
}
