/// What each fold step does to each scalar below `FoldTable.size`, read from flat arrays.
///
/// Why: building a fold table runs the steps over ~35k scalars, and `FoldTable.inert` over all
/// 131k, each step a dictionary lookup (SipHash) or a Unicode property query; that was ~1
/// billion instructions of every start with the default rules. Here each step's answer is
/// computed once per process, so a table's build is a chain of array reads. Above the range
/// (rare ideographs of planes 2–3) the steps are computed as they are asked.
///
/// An entry is the scalar itself when the step leaves it, the one scalar it becomes, `many`
/// when it becomes several (the caller takes the slow path) and, for `marks`, `gone` when
/// nothing is left.
final class FoldSteps: Sendable {
    static let many: UInt32 = 0xFFFF_FFFE
    static let gone: UInt32 = 0xFFFF_FFFD
    /// Bits of `flags`.
    static let invisibleFlag: UInt8 = 1
    static let noiseFlag: UInt8 = 2

    let width: [UInt32]
    let digits: [UInt32]
    let letters: [UInt32]
    let caseFold: [UInt32]
    let marks: [UInt32]
    let flags: [UInt8]

    static let shared = FoldSteps()

    private init() {
        let n = FoldTable.size
        // Built in parts on every core: loading waits for it before its first fold table.
        let parts = 8
        let chunk = n / parts
        let all = [Part].parallel(parts, parts: parts) { k in Part(Self.range(k * chunk..<(k + 1) * chunk)) }
        width = all.flatMap(\.width)
        digits = all.flatMap(\.digits)
        letters = all.flatMap(\.letters)
        caseFold = all.flatMap(\.caseFold)
        marks = all.flatMap(\.marks)
        flags = all.flatMap(\.flags)
    }

    private struct Part: Sendable {
        var width: [UInt32] = []
        var digits: [UInt32] = []
        var letters: [UInt32] = []
        var caseFold: [UInt32] = []
        var marks: [UInt32] = []
        var flags: [UInt8] = []

        init(_ range: Range<UInt32>) {
            for v in range {
                guard let s = Unicode.Scalar(v) else {
                    append(v, v, v, v, v, 0)
                    continue
                }
                if FoldAttribution.isCommonIdeograph(v) {
                    // Unified ideographs: other letters, no case, marks or compatibility form;
                    // only the Chinese numerals change (under `digits`).
                    append(v, FoldTable.chineseDigits[v] ?? v, v, v, v, 0)
                    continue
                }
                let category = s.properties.generalCategory
                let flag =
                    (Normalizer.isInvisible(s, category) ? FoldSteps.invisibleFlag : 0)
                    | (Normalizer.isNoise(s, category) ? FoldSteps.noiseFlag : 0)
                append(FoldSteps.width(s), FoldSteps.digit(s), LetterStyles.ascii(v) ?? v, FoldSteps.caseFold(s), FoldSteps.marks(v), flag)
            }
        }

        mutating func append(_ w: UInt32, _ d: UInt32, _ l: UInt32, _ c: UInt32, _ m: UInt32, _ f: UInt8) {
            width.append(w)
            digits.append(d)
            letters.append(l)
            caseFold.append(c)
            marks.append(m)
            flags.append(f)
        }
    }

    private static func range(_ r: Range<Int>) -> Range<UInt32> { UInt32(r.lowerBound)..<UInt32(r.upperBound) }

    // MARK: one step, one scalar (what the arrays hold; called directly above the range)

    /// NFKC: the same, one scalar, or `many`.
    static func width(_ s: Unicode.Scalar) -> UInt32 {
        guard s.value >= 0x80, let k = FoldTable.compatibility[s.value] else { return s.value }
        return k.count == 1 ? k[0].value : many
    }

    /// Chinese and financial numerals, and other scripts' decimal digits, to ASCII digits.
    static func digit(_ c: Unicode.Scalar) -> UInt32 {
        if let d = FoldTable.chineseDigits[c.value] { return d }
        if c.value >= 0x80, let type = c.properties.numericType, type == .decimal || type == .digit,
            let n = c.properties.numericValue, n >= 0, n <= 9, n == n.rounded()
        {
            return 0x30 + UInt32(n)
        }
        return c.value
    }

    /// Lower case (through the upper case for `ſ`, `ς`, `µ`, `ı`): the same, one scalar, or `many`.
    static func caseFold(_ c: Unicode.Scalar) -> UInt32 {
        if c.value >= 0x41 && c.value <= 0x5A { return c.value + 0x20 }
        if c.value >= 0x80, c.properties.changesWhenLowercased {
            let lower = c.properties.lowercaseMapping.unicodeScalars
            return lower.count == 1 ? lower.first!.value : many
        }
        if c.value >= 0x80, let other = FoldTable.caseFoldedThroughUpper(c) { return other.value }
        return c.value
    }

    /// The base without its marks: the same, one scalar, `many`, or `gone`.
    static func marks(_ v: UInt32) -> UInt32 {
        guard v >= 0xC0, let stripped = FoldTable.withoutMarks[v] else { return v }
        return stripped.count == 1 ? stripped[0].value : stripped.isEmpty ? gone : many
    }

    // MARK: reads

    /// Whether no step changes `v` (below the range): what `FoldTable.inert` asks.
    func leavesAlone(_ v: UInt32) -> Bool {
        let i = Int(v)
        return width[i] == v && digits[i] == v && letters[i] == v && caseFold[i] == v && marks[i] == v && flags[i] == 0
    }

    @inline(__always) func width(_ v: UInt32) -> UInt32 {
        v < FoldTable.size ? width[Int(v)] : Unicode.Scalar(v).map(Self.width) ?? v
    }

    @inline(__always) func digit(_ v: UInt32) -> UInt32 {
        v < FoldTable.size ? digits[Int(v)] : Unicode.Scalar(v).map(Self.digit) ?? v
    }

    @inline(__always) func letter(_ v: UInt32) -> UInt32 {
        v < FoldTable.size ? letters[Int(v)] : LetterStyles.ascii(v) ?? v
    }

    @inline(__always) func caseFold(_ v: UInt32) -> UInt32 {
        v < FoldTable.size ? caseFold[Int(v)] : Unicode.Scalar(v).map(Self.caseFold) ?? v
    }

    @inline(__always) func marks(_ v: UInt32) -> UInt32 {
        v < FoldTable.size ? marks[Int(v)] : Self.marks(v)
    }

    @inline(__always) func isInvisible(_ v: UInt32) -> Bool {
        v < FoldTable.size ? flags[Int(v)] & Self.invisibleFlag != 0 : Unicode.Scalar(v).map(Normalizer.isInvisible) ?? false
    }

    @inline(__always) func isNoise(_ v: UInt32) -> Bool {
        v < FoldTable.size ? flags[Int(v)] & Self.noiseFlag != 0 : Unicode.Scalar(v).map(Normalizer.isNoise) ?? false
    }
}
