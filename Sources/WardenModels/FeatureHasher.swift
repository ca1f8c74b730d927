import WardenMatching

/// Text to hashed n-gram features (`FeatureSpec`), without allocating: one pass over the
/// UTF-8, a fold-table read per scalar and a few multiplies per n-gram.
package struct FeatureHasher: Sendable {
    package let spec: FeatureSpec
    let table: FoldTable
    /// The fold table's direct entries (shared storage, not a copy), read in the hot loop.
    let entries: [UInt32]
    let repeats: Bool

    package init(spec: FeatureSpec) {
        self.spec = spec
        let options = spec.foldOptions.textFolds
        table = FoldTable.forOptions(options)
        entries = table.entries
        repeats = options.contains(.repeats)
    }

    /// One n-gram occurrence: its bucket, its sign, and the folded units it covers.
    package struct Occurrence: Sendable, Equatable {
        package var bucket: Int
        package var negative: Bool
        package var units: Range<Int>
    }

    /// The signed sum of `weights` over the n-grams of `text`, and how many n-grams there were:
    /// the hot loop of `classify`. UTF-8 is decoded by hand and the fold table read directly;
    /// nothing is allocated and no closure is called.
    package func sum(_ text: String, _ weights: UnsafeBufferPointer<Float>) -> (sum: Float, count: Int) {
        var stream = UnitStream(spec: spec, repeats: repeats)
        var sum: Float = 0
        var count = 0
        let direct = UInt32(FoldTable.directSize)
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { p in
            entries.withUnsafeBufferPointer { table in
                var i = 0
                let n = p.count
                while i < n {
                    // Swift strings hold valid UTF-8: every lead byte has its continuation bytes.
                    let b0 = UInt32(p[i])
                    let v: UInt32
                    if b0 < 0x80 {
                        v = b0
                        i += 1
                    } else if b0 < 0xE0 {
                        v = (b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
                        i += 2
                    } else if b0 < 0xF0 {
                        v = (b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
                        i += 3
                    } else {
                        v = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
                        i += 4
                    }
                    let e = v < direct ? table[Int(v)] : self.table.fold(v)
                    if e == FoldTable.drop { continue }
                    if FoldTable.isMulti(e) {
                        for u in self.table.multiple(e) where stream.push(u) { stream.add(weights, &sum, &count) }
                    } else if stream.push(e) {
                        stream.add(weights, &sum, &count)
                    }
                }
            }
        }
        if done == nil {
            for scalar in text.unicodeScalars {
                let e = table.fold(scalar.value)
                if e == FoldTable.drop { continue }
                for u in FoldTable.isMulti(e) ? table.multiple(e) : [e] where stream.push(u) { stream.add(weights, &sum, &count) }
            }
        }
        return (sum, count)
    }

    /// Calls `body(bucket, negative)` for every n-gram of `text` and returns how many there were
    /// (the same n-grams `sum` adds up; for training).
    package func forEachFeature(_ text: String, _ body: (Int, Bool) -> Void) -> Int {
        var count = 0
        for o in occurrences(text).occurrences {
            body(o.bucket, o.negative)
            count += 1
        }
        return count
    }

    /// Every occurrence with the units it covers, and each unit's range of original scalars
    /// (a collapsed repeat widens its unit; dropped characters belong to no unit). For evidence.
    package func occurrences(_ text: String) -> (occurrences: [Occurrence], unitSpans: [Range<Int>]) {
        var stream = UnitStream(spec: spec, repeats: repeats)
        var found: [Occurrence] = []
        var spans: [Range<Int>] = []
        for (index, scalar) in text.unicodeScalars.enumerated() {
            let e = table.fold(scalar.value)
            if e == FoldTable.drop { continue }
            for unit in FoldTable.isMulti(e) ? table.multiple(e) : [e] {
                guard stream.push(unit) else {
                    if let last = spans.last { spans[spans.count - 1] = last.lowerBound..<(index + 1) }
                    continue
                }
                spans.append(index..<(index + 1))
                for n in stream.lengths {
                    let (bucket, negative) = stream.feature(n)
                    found.append(Occurrence(bucket: bucket, negative: negative, units: (stream.seen - n)..<stream.seen))
                }
            }
        }
        return (found, spans)
    }
}

/// The last folded units of a text, mixed, and the hashes of the n-grams that end at the
/// newest one: each longer n-gram's hash extends the shorter one's.
struct UnitStream {
    let minN: Int
    let maxN: Int
    let seed: UInt64
    let digitClass: Bool
    let repeats: Bool
    let shift: UInt64
    var last: UInt32 = .max
    /// Units pushed so far (after repeat collapse).
    var seen = 0
    var m0: UInt64 = 0
    var m1: UInt64 = 0
    var m2: UInt64 = 0
    var m3: UInt64 = 0
    var m4: UInt64 = 0
    /// Hashes of the n-grams (n = 1…5) ending at the newest unit.
    var h1: UInt64 = 0
    var h2: UInt64 = 0
    var h3: UInt64 = 0
    var h4: UInt64 = 0
    var h5: UInt64 = 0

    init(spec: FeatureSpec, repeats: Bool) {
        minN = spec.minN
        maxN = spec.maxN
        seed = spec.seed
        digitClass = spec.digitClass
        self.repeats = repeats
        shift = UInt64(64 - spec.bits)
    }

    /// Adds a unit and hashes the n-grams ending at it. Returns false when the unit was a
    /// collapsed repeat (digits never collapse, as in word lists).
    @inline(__always)
    mutating func push(_ raw: UInt32) -> Bool {
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
        h1 = m0
        guard maxN >= 2 else { return true }
        h2 = (h1 &* 0xBF58_476D_1CE4_E5B9) ^ m1
        guard maxN >= 3 else { return true }
        h3 = (h2 &* 0xBF58_476D_1CE4_E5B9) ^ m2
        guard maxN >= 4 else { return true }
        h4 = (h3 &* 0xBF58_476D_1CE4_E5B9) ^ m3
        guard maxN >= 5 else { return true }
        h5 = (h4 &* 0xBF58_476D_1CE4_E5B9) ^ m4
        return true
    }

    /// The n-gram lengths that end at the newest unit.
    var lengths: Range<Int> {
        let top = min(maxN, seen)
        return top >= minN ? minN..<(top + 1) : minN..<minN
    }

    /// Bucket and sign of the n-gram of length `n` ending at the newest unit.
    @inline(__always)
    func feature(_ n: Int) -> (bucket: Int, negative: Bool) {
        let (bucket, flip) = signedFeature(n)
        return (bucket, flip != 0)
    }

    /// Bucket of the n-gram of length `n`, and its sign as a Float sign bit to xor in.
    @inline(__always)
    func signedFeature(_ n: Int) -> (bucket: Int, flip: UInt32) {
        let g: UInt64
        switch n {
        case 1: g = h1
        case 2: g = h2
        case 3: g = h3
        case 4: g = h4
        default: g = h5
        }
        var f = (g ^ (UInt64(n) &* 0xD6E8_FEB8_6659_FD93)) &* 0x94D0_49BB_1331_11EB
        f ^= f &>> 29
        return (Int(truncatingIfNeeded: f &>> shift), UInt32(truncatingIfNeeded: (f &>> (shift &- 1)) & 1) &<< 31)
    }

    /// Adds the signed weights of the n-grams ending at the newest unit. The sign flips the
    /// weight's sign bit rather than branching: a branch on a hash bit mispredicts half the time.
    @inline(__always)
    func add(_ weights: UnsafeBufferPointer<Float>, _ sum: inout Float, _ count: inout Int) {
        guard seen >= minN else { return }
        for n in minN...min(maxN, seen) {
            let (bucket, flip) = signedFeature(n)
            sum += Float(bitPattern: weights[bucket].bitPattern ^ flip)
            count &+= 1
        }
    }
}
