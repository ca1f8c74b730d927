import WardenMatching

/// How a model turns text into features; written into the model's header, so a model is always
/// read the way it was trained.
///
/// The text is folded as word lists fold it (SPEC §3: width, case, traditional → simplified,
/// digit and letter styles, invisible characters and noise removed, repeats collapsed), so
/// `兼職刷單` and `加🌟薇信` give the features of `兼职刷单` and `加薇信`. The folded units then
/// give character n-grams of `minN…maxN` units, hashed with `seed` into `2^bits` signed buckets.
package struct FeatureSpec: Codable, Sendable, Equatable {
    /// Fold names as in `fold: [...]` (`all` or single folds; `pinyin` and `boundary` do not apply).
    package var folds: [String]
    package var minN: Int
    package var maxN: Int
    /// log2 of the number of hashed buckets (one weight each).
    package var bits: Int
    package var seed: UInt64
    /// Every digit folds to `0`: the value of a number says little, its presence a lot.
    package var digitClass: Bool

    package static let maxBits = 22
    package static let maxNgram = 5

    package init(
        folds: [String] = ["all"], minN: Int = 1, maxN: Int = 3, bits: Int = 18, seed: UInt64 = 0x5741_5244_454E, digitClass: Bool = true
    ) {
        self.folds = folds
        self.minN = minN
        self.maxN = maxN
        self.bits = bits
        self.seed = seed
        self.digitClass = digitClass
    }

    /// The fold options the names stand for.
    package var foldOptions: FoldOptions {
        var options: FoldOptions = []
        for name in folds { options.insert(FoldOptions.byName[name] ?? []) }
        return options
    }

    /// What is wrong with the spec, if anything (a header from a file is not trusted).
    package var problem: String? {
        if let unknown = folds.first(where: { FoldOptions.byName[$0] == nil }) { return "unknown fold '\(unknown)'" }
        if !(1...Self.maxNgram).contains(minN) || !(minN...Self.maxNgram).contains(maxN) {
            return "n-gram range \(minN)…\(maxN) is outside 1…\(Self.maxNgram)"
        }
        if !(8...Self.maxBits).contains(bits) { return "\(bits) hash bits is outside 8…\(Self.maxBits)" }
        return nil
    }
}
