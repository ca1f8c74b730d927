import WardenMatching

/// Text to hashed n-gram features (`FeatureSpec`), without allocating: one pass over the
/// scalars, a fold-table read per scalar and a few multiplies per n-gram.
public struct FeatureHasher: Sendable {
    public let spec: FeatureSpec
    let table: FoldTable
    let repeats: Bool
    let shift: UInt64

    public init(spec: FeatureSpec) {
        self.spec = spec
        let options = spec.foldOptions.textFolds
        table = FoldTable.forOptions(options)
        repeats = options.contains(.repeats)
        shift = UInt64(64 - spec.bits)
    }

    /// One n-gram occurrence: its bucket, its sign, and the folded units it covers.
    public struct Occurrence: Sendable, Equatable {
        public var bucket: Int
        public var negative: Bool
        public var units: Range<Int>
    }

    /// Calls `body(bucket, negative)` for every n-gram of `text` and returns how many there were.
    @inline(__always)
    public func forEachFeature(_ text: String, _ body: (Int, Bool) -> Void) -> Int {
        var stream = UnitStream(spec: spec, repeats: repeats)
        var count = 0
        for scalar in text.unicodeScalars {
            let e = table.fold(scalar.value)
            if e == FoldTable.drop { continue }
            if FoldTable.isMulti(e) {
                for unit in table.multiple(e) {
                    stream.push(unit, shift: shift) { bucket, negative, _ in
                        body(bucket, negative)
                        count += 1
                    }
                }
            } else {
                stream.push(e, shift: shift) { bucket, negative, _ in
                    body(bucket, negative)
                    count += 1
                }
            }
        }
        return count
    }

    /// Every occurrence with the units it covers, and each unit's range of original scalars
    /// (a collapsed repeat widens its unit; dropped characters belong to no unit). For evidence.
    public func occurrences(_ text: String) -> (occurrences: [Occurrence], unitSpans: [Range<Int>]) {
        var stream = UnitStream(spec: spec, repeats: repeats)
        var found: [Occurrence] = []
        var spans: [Range<Int>] = []
        for (index, scalar) in text.unicodeScalars.enumerated() {
            let e = table.fold(scalar.value)
            if e == FoldTable.drop { continue }
            let units = FoldTable.isMulti(e) ? table.multiple(e) : [e]
            for unit in units {
                let end = stream.seen + 1
                let added = stream.push(unit, shift: shift) { bucket, negative, n in
                    found.append(Occurrence(bucket: bucket, negative: negative, units: (end - n)..<end))
                }
                if added {
                    spans.append(index..<(index + 1))
                } else if let last = spans.last {
                    spans[spans.count - 1] = last.lowerBound..<(index + 1)
                }
            }
        }
        return (found, spans)
    }
}

/// The last folded units of a text, mixed, and the n-grams that end at each new unit.
struct UnitStream {
    let minN: Int
    let maxN: Int
    let seed: UInt64
    let digitClass: Bool
    let repeats: Bool
    var last: UInt32 = .max
    /// Units pushed so far (after repeat collapse).
    var seen = 0
    var m0: UInt64 = 0
    var m1: UInt64 = 0
    var m2: UInt64 = 0
    var m3: UInt64 = 0
    var m4: UInt64 = 0

    init(spec: FeatureSpec, repeats: Bool) {
        minN = spec.minN
        maxN = spec.maxN
        seed = spec.seed
        digitClass = spec.digitClass
        self.repeats = repeats
    }

    /// Adds a unit; calls `body(bucket, negative, n)` for each n-gram ending at it. Returns false
    /// when the unit was a collapsed repeat (digits never collapse, as in word lists).
    @inline(__always)
    @discardableResult
    mutating func push(_ raw: UInt32, shift: UInt64, _ body: (Int, Bool, Int) -> Void) -> Bool {
        let isDigit = raw >= 0x30 && raw <= 0x39
        let unit = digitClass && isDigit ? 0x30 : raw
        if repeats, unit == last, !isDigit { return false }
        last = unit
        m4 = m3
        m3 = m2
        m2 = m1
        m1 = m0
        m0 = (UInt64(unit) ^ seed) &* 0x9E37_79B9_7F4A_7C15
        seen += 1
        var g = m0
        for n in 1...maxN {
            if n > seen { break }
            switch n {
            case 1: break
            case 2: g = (g &* 0xBF58_476D_1CE4_E5B9) ^ m1
            case 3: g = (g &* 0xBF58_476D_1CE4_E5B9) ^ m2
            case 4: g = (g &* 0xBF58_476D_1CE4_E5B9) ^ m3
            default: g = (g &* 0xBF58_476D_1CE4_E5B9) ^ m4
            }
            if n < minN { continue }
            var f = g &+ UInt64(n)
            f ^= f >> 31
            f = f &* 0x94D0_49BB_1331_11EB
            f ^= f >> 29
            body(Int(truncatingIfNeeded: f >> shift), f & 1 == 1, n)
        }
        return true
    }
}
