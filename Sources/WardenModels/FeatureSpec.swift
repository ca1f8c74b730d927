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
    /// The fewest n-grams a text is scaled as: the weights' sum is divided by √max(n, floor)
    /// rather than √n. A text with little evidence (你好, 好的, 中秋节快乐) then stays near the
    /// bias, the low prior of a class that is rare, instead of one strong n-gram carrying it to a
    /// confident score. 0 (files written before it existed) scales by √n.
    package var evidenceFloor: Int

    package static let maxBits = 22
    package static let maxNgram = 5

    package init(
        folds: [String] = ["all"], minN: Int = 1, maxN: Int = 3, bits: Int = 18, seed: UInt64 = 0x5741_5244_454E, digitClass: Bool = true,
        evidenceFloor: Int = FeatureSpec.defaultEvidenceFloor
    ) {
        self.folds = folds
        self.minN = minN
        self.maxN = maxN
        self.bits = bits
        self.seed = seed
        self.digitClass = digitClass
        self.evidenceFloor = evidenceFloor
    }

    package static let defaultEvidenceFloor = 24
    package static let maxEvidenceFloor = 10_000

    enum CodingKeys: String, CodingKey {
        case folds, minN, maxN, bits, seed, digitClass, evidenceFloor
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        folds = try c.decode([String].self, forKey: .folds)
        minN = try c.decode(Int.self, forKey: .minN)
        maxN = try c.decode(Int.self, forKey: .maxN)
        bits = try c.decode(Int.self, forKey: .bits)
        seed = try c.decode(UInt64.self, forKey: .seed)
        digitClass = try c.decode(Bool.self, forKey: .digitClass)
        evidenceFloor = try c.decodeIfPresent(Int.self, forKey: .evidenceFloor) ?? 0
    }

    /// What the weights' sum is multiplied by for a text of `n` n-grams.
    @inline(__always)
    package func scale(_ n: Int) -> Float {
        n == 0 ? 0 : 1 / Float(max(n, evidenceFloor)).squareRoot()
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
        if !(0...Self.maxEvidenceFloor).contains(evidenceFloor) {
            return "evidence floor \(evidenceFloor) is outside 0…\(Self.maxEvidenceFloor)"
        }
        return nil
    }
}
