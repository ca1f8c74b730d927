/// Toneless Mandarin readings of Chinese characters (`PinyinTable`, from Unihan's kMandarin),
/// for the `pinyin` fold.
enum Pinyin {
    /// The syllables, in table order; syllable `i` folds to the scalar `tokenBase + i`.
    static let syllables: [String] = table.syllables
    /// Per character: its syllable's index.
    static let syllableOf: [UInt32: Int] = table.index

    /// Supplementary Private Use Area-A: tokens that no keyword or fold produces otherwise.
    static let tokenBase: UInt32 = 0xF0000

    private static let table: (syllables: [String], index: [UInt32: Int]) = {
        var syllables: [String] = []
        var index: [UInt32: Int] = [:]
        for group in PinyinTable.groups.split(separator: "|") {
            guard let colon = group.firstIndex(of: ":") else { continue }
            let i = syllables.count
            syllables.append(String(group[..<colon]))
            for scalar in group[group.index(after: colon)...].unicodeScalars { index[scalar.value] = i }
        }
        return (syllables, index)
    }()

    /// The token a character folds to under `syllables`, or nil for characters without a reading.
    static func token(_ v: UInt32) -> UInt32? {
        syllableOf[v].map { tokenBase + UInt32($0) }
    }
}
