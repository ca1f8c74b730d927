/// The folds of SPEC §3 that a word list applies, switchable per list with `fold: [...]`.
package struct FoldOptions: OptionSet, Sendable, Hashable {
    package let rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Full-width forms to ASCII, ideographic space to space.
    package static let width = FoldOptions(rawValue: 1 << 0)
    package static let caseFold = FoldOptions(rawValue: 1 << 1)
    package static let diacritics = FoldOptions(rawValue: 1 << 2)
    package static let traditional = FoldOptions(rawValue: 1 << 3)
    package static let digits = FoldOptions(rawValue: 1 << 4)
    package static let letters = FoldOptions(rawValue: 1 << 5)
    /// Zero-width and other format characters, variation selectors, combining marks removed.
    package static let invisible = FoldOptions(rawValue: 1 << 6)
    /// Spaces, punctuation, symbols and emoji skipped between keyword characters.
    package static let noise = FoldOptions(rawValue: 1 << 7)
    /// Runs of one non-digit character collapse to one.
    package static let repeats = FoldOptions(rawValue: 1 << 8)
    /// ASCII keywords do not match inside ASCII words.
    package static let boundary = FoldOptions(rawValue: 1 << 9)

    /// Keywords of three or more Chinese characters also match homophones (`加威信` for
    /// `加微信`), romanized pinyin (`jia wei xin`, tones or not) and, from four characters,
    /// initials (`jzsd` for `兼职刷单`). Not part of `all`: a list asks for it.
    package static let pinyin = FoldOptions(rawValue: 1 << 10)
    /// Internal: Chinese characters fold to a token per toneless syllable (the homophone lists
    /// `pinyin` derives).
    static let syllables = FoldOptions(rawValue: 1 << 11)
    /// Variant and look-alike forms of Chinese characters that `traditional` does not cover:
    /// Japanese shinjitai (`単` for `单`), Unihan's variants, katakana and radicals that look like
    /// an ideograph (`ロ` for `口`). Only characters outside common simplified Chinese change.
    package static let variants = FoldOptions(rawValue: 1 << 12)
    /// Split characters (拆字): a keyword character that has a two-component decomposition also
    /// matches its components written side by side (`力口微信` for `加微信`). Like `pinyin`, it
    /// adds lists rather than changing the text; not part of `all`.
    package static let split = FoldOptions(rawValue: 1 << 13)

    package static let all: FoldOptions = [
        .width, .caseFold, .diacritics, .traditional, .digits, .letters, .invisible, .noise, .repeats, .boundary, .variants,
    ]

    /// The language's names for the folds, as written in `fold: [...]`.
    package static let byName: [String: FoldOptions] = [
        "width": .width, "case": .caseFold, "diacritics": .diacritics, "traditional": .traditional,
        "digits": .digits, "letters": .letters, "invisible": .invisible, "noise": .noise, "repeats": .repeats,
        "boundary": .boundary, "pinyin": .pinyin, "variants": .variants, "split": .split, "all": .all,
    ]

    /// Every fold except the boundary rule and `pinyin` (which adds lists) changes the text itself.
    package var textFolds: FoldOptions { subtracting([.boundary, .pinyin, .split]) }
}
