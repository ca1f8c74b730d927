/// An adversarial self-test of word lists (`warden lint --perturb`): every entry is rewritten
/// the way an evader would, through the inverse of each fold its list applies, and the list must
/// still catch it. What it does not catch is reported with one example per entry.
package enum Perturbation {
    /// One rewritten entry and the fold whose inverse made it.
    package struct Variant: Sendable, Equatable {
        package var fold: String
        package var text: String
    }

    package struct ListReport: Sendable {
        package var list: String
        package var entries: Int
        package var variants: Int
        package var caught: Int
        /// Entries with at least one variant not caught: the entry and its first such variant.
        package var misses: [(entry: String, variant: Variant)]
        /// Variants not caught, per fold.
        package var missesByFold: [String: Int]
    }

    /// The variants of `entry` under the folds of `folds` (only those that change it).
    package static func variants(of entry: String, folds: FoldOptions) -> [Variant] {
        let scalars = Array(entry.unicodeScalars)
        var out: [Variant] = []
        func add(_ fold: String, _ changed: [Unicode.Scalar]) {
            guard changed != scalars, !changed.isEmpty else { return }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: changed)
            out.append(Variant(fold: fold, text: String(view)))
        }
        func map(_ transform: (Unicode.Scalar) -> Unicode.Scalar?) -> [Unicode.Scalar] { scalars.map { transform($0) ?? $0 } }
        func between(_ filler: Unicode.Scalar) -> [Unicode.Scalar] {
            scalars.enumerated().flatMap { i, s in i == 0 ? [s] : [filler, s] }
        }
        if folds.contains(.width) { add("width", map { s in (0x21...0x7E).contains(s.value) ? Unicode.Scalar(s.value + 0xFEE0) : nil }) }
        if folds.contains(.caseFold) { add("case", map { s in (0x61...0x7A).contains(s.value) ? Unicode.Scalar(s.value - 0x20) : nil }) }
        if folds.contains(.letters) {
            add("letters", map { s in (0x61...0x7A).contains(s.value) ? Unicode.Scalar(0x24D0 + s.value - 0x61) : nil })
        }
        if folds.contains(.digits) {
            add(
                "digits",
                map { s in (0x31...0x39).contains(s.value) ? Unicode.Scalar(0x2460 + s.value - 0x31) : s.value == 0x30 ? "⓪" : nil })
        }
        if folds.contains(.diacritics) {
            let accented: [Unicode.Scalar: Unicode.Scalar] = ["a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"]
            add("diacritics", map { accented[$0] })
        }
        if folds.contains(.traditional) { add("traditional", map { s in traditionalOf[s.value].flatMap(Unicode.Scalar.init) }) }
        if folds.contains(.variants) { add("variants", map { s in variantOf[s.value].flatMap(Unicode.Scalar.init) }) }
        if scalars.count > 1 {
            if folds.contains(.invisible) { add("invisible", between("\u{200B}")) }
            if folds.contains(.noise) { add("noise", between("🌟")) }
        }
        if folds.contains(.repeats) {
            // Digits never collapse (1388 is not 13888), Chinese numerals under `digits` included.
            let digits = folds.contains(.digits) ? FoldOptions.digits : []
            add(
                "repeats",
                scalars.flatMap { s in
                    FoldTable.fold(s, digits, .empty).allSatisfy { (0x30...0x39).contains($0) } ? [s] : [s, s]
                })
        }
        if folds.contains(.split), scalars.count >= 2, let k = scalars.firstIndex(where: { SplitForms.parts[$0.value] != nil }),
            let (a, b) = SplitForms.parts[scalars[k].value]?.first, let sa = Unicode.Scalar(a), let sb = Unicode.Scalar(b)
        {
            add("split", Array(scalars[..<k]) + [sa, sb] + Array(scalars[(k + 1)...]))
        }
        if folds.contains(.pinyin), scalars.count >= 2, scalars.allSatisfy({ Pinyin.syllableOf[$0.value] != nil }) {
            let syllables = scalars.map { Pinyin.syllables[Pinyin.syllableOf[$0.value]!] }
            // Two characters spelled as an English word are left alone on purpose (`PinyinGuard`).
            if scalars.count > 2 || !PinyinGuard.words.contains(syllables.joined()) {
                out.append(Variant(fold: "pinyin", text: syllables.joined(separator: " ")))
            }
        }
        return out
    }

    /// Every list of `matcher`, every entry, every variant, scanned with the matcher itself.
    package static func check(_ matcher: KeywordMatcher) -> [ListReport] {
        matcher.lists.enumerated().map { index, list in
            var report = ListReport(list: list.name, entries: list.entries.count, variants: 0, caught: 0, misses: [], missesByFold: [:])
            for (e, entry) in list.entries.enumerated() {
                var firstMiss: Variant?
                for variant in variants(of: entry, folds: list.folds) {
                    report.variants += 1
                    if matcher.scan(variant.text)[index].contains(where: { $0.entry == e || list.entries[$0.entry] == entry }) {
                        report.caught += 1
                    } else {
                        report.missesByFold[variant.fold, default: 0] += 1
                        if firstMiss == nil { firstMiss = variant }
                    }
                }
                if let firstMiss { report.misses.append((entry, firstMiss)) }
            }
            return report
        }
    }

    /// Simplified → one of its traditional forms (the inverse of the traditional fold).
    static let traditionalOf: [UInt32: UInt32] = {
        var inverse: [UInt32: UInt32] = [:]
        for (t, s) in FoldTable.traditionalMap where inverse[s] == nil || t < inverse[s]! { inverse[s] = t }
        return inverse
    }()

    /// Common character → one of its variant forms (the inverse of the variants fold).
    static let variantOf: [UInt32: UInt32] = {
        var inverse: [UInt32: UInt32] = [:]
        for (v, c) in FoldTable.variantMap where inverse[c] == nil || v < inverse[c]! { inverse[c] = v }
        return inverse
    }()
}
