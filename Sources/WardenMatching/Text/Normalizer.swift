/// Folds text for matching (SPEC §3), keeping the map back to the original.
///
/// Per-scalar folds (compatibility forms and width, case, diacritics, traditional → simplified,
/// digit and letter styles, look-alikes, invisible characters, noise) come from a `FoldTable`;
/// repeat collapse is applied here, over the folded scalars.
package struct Normalizer: Sendable {
    package let options: FoldOptions
    let table: FoldTable

    package init(options: FoldOptions) {
        self.options = options
        self.table = FoldTable.forOptions(options)
    }

    /// The folded scalars of `text`, repeats collapsed (what keywords are stored as).
    package func units(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        forEachUnit(text) { unit, _, repeated in if !repeated { out.append(unit) } }
        return out
    }

    /// The folded text alone, without the offset map (for `normalize` and `fingerprint`): the
    /// UTF-8 decoded by hand, each scalar's fold read from the table, the result's UTF-8 written
    /// straight into the string's storage (sized by a first pass when a guess is too small).
    package func foldedString(_ text: String) -> String {
        // Folded in the order a reader sees it: a right-to-left override stores 信微加 for 加微信.
        var text = BidiDisplay.holdsOverride(text) ? BidiDisplay(text)?.text ?? text : text
        return text.withUTF8 { p in
            let guess = p.count + p.count / 4 + 16
            if let s = foldedString(p, capacity: guess) { return s }
            var exact = 0
            forEachFoldedUnit(p) { exact += Self.utf8Length($0) }
            return foldedString(p, capacity: exact) ?? ""
        }
    }

    /// The folded UTF-8 of `p` in a string of `capacity` bytes; nil when it does not fit.
    private func foldedString(_ p: UnsafeBufferPointer<UInt8>, capacity: Int) -> String? {
        var fits = true
        let s = String(unsafeUninitializedCapacity: max(capacity, 1)) { out in
            var n = 0
            forEachFoldedUnit(p) { v in
                let length = Self.utf8Length(v)
                guard fits, n + length <= out.count else {
                    fits = false
                    return
                }
                switch length {
                case 1:
                    out[n] = UInt8(v)
                case 2:
                    out[n] = UInt8(0xC0 | (v >> 6))
                    out[n + 1] = UInt8(0x80 | (v & 0x3F))
                case 3:
                    out[n] = UInt8(0xE0 | (v >> 12))
                    out[n + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[n + 2] = UInt8(0x80 | (v & 0x3F))
                default:
                    out[n] = UInt8(0xF0 | (v >> 18))
                    out[n + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                    out[n + 2] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[n + 3] = UInt8(0x80 | (v & 0x3F))
                }
                n += length
            }
            return fits ? n : 0
        }
        return fits ? s : nil
    }

    @inline(__always)
    private static func utf8Length(_ v: UInt32) -> Int { v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4 }

    /// Calls `body` with each folded scalar of valid UTF-8 `p`, repeats collapsed when the
    /// options say so (digits never collapse).
    @inline(__always)
    private func forEachFoldedUnit(_ p: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) {
        let repeats = options.contains(.repeats)
        var last: UInt32 = .max
        let direct = UInt32(FoldTable.directSize)
        table.entries.withUnsafeBufferPointer { entries in
            @inline(__always) func emit(_ unit: UInt32) {
                if repeats, unit == last, !(unit >= 0x30 && unit <= 0x39) { return }
                // Units come from the table or valid UTF-8: scalars, never surrogates.
                body(Unicode.Scalar(unit) == nil ? 0xFFFD : unit)
                last = unit
            }
            var i = 0
            while i < p.count {
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
                let e = v < direct ? entries[Int(v)] : table.fold(v)
                if e == FoldTable.drop { continue }
                if FoldTable.isMulti(e) {
                    for unit in table.multiple(e) { emit(unit) }
                } else {
                    emit(e)
                }
            }
        }
    }

    /// Whether the folded `keyword` occurs in the folded `text` (with the ASCII boundary rule
    /// when `boundary`): what a one-entry word list answers, without building an automaton —
    /// for `contains` with a needle known only per event.
    package func occurs(_ keyword: String, in text: String, boundary: Bool) -> Bool {
        let needle = units(keyword)
        guard !needle.isEmpty else { return false }
        let folded = fold(text)
        var units: [(value: UInt32, start: Int, end: Int)] = []
        var j = 0
        for scalar in folded.string.unicodeScalars {
            units.append((scalar.value, Int(folded.start[j]), Int(folded.end[j])))
            j += String(scalar).utf8.count
        }
        guard needle.count <= units.count else { return false }
        for p in 0...(units.count - needle.count) where units[p..<(p + needle.count)].map(\.value) == needle {
            let lower = units[p].start
            let upper = units[p + needle.count - 1].end
            if boundary {
                if KeywordMatcher.isWord(needle.first!), lower > 0, KeywordMatcher.isWordScalar(folded.original[lower - 1].value) {
                    continue
                }
                if KeywordMatcher.isWord(needle.last!), upper < folded.original.count,
                    KeywordMatcher.isWordScalar(folded.original[upper].value)
                {
                    continue
                }
            }
            return true
        }
        return false
    }

    /// The folded text with its map back to the original.
    package func fold(_ text: String) -> FoldedText {
        var out = FoldedText()
        out.original = text.scalarArray
        var lastBytes = 0..<0
        forEachUnit(text) { unit, index, repeated in
            if repeated {
                for k in lastBytes { out.end[k] = Int32(index + 1) }
                return
            }
            let before = out.bytes.count
            Self.appendUTF8(Unicode.Scalar(unit) ?? "\u{FFFD}", to: &out.bytes)
            lastBytes = before..<out.bytes.count
            for _ in lastBytes {
                out.start.append(Int32(index))
                out.end.append(Int32(index + 1))
            }
        }
        return out
    }

    /// Calls `body(unit, originalScalarIndex, isCollapsedRepeat)` for each folded scalar.
    func forEachUnit(_ text: String, _ body: (UInt32, Int, Bool) -> Void) {
        var last: UInt32?
        for (index, scalar) in text.unicodeScalars.enumerated() {
            let e = table.fold(scalar.value)
            if e == FoldTable.drop { continue }
            func emit(_ unit: UInt32) {
                if options.contains(.repeats), unit == last, !(unit >= 0x30 && unit <= 0x39) {
                    body(unit, index, true)
                    return
                }
                body(unit, index, false)
                last = unit
            }
            // One scalar without an array: loading folds every keyword through here.
            if FoldTable.isMulti(e) {
                for unit in table.multiple(e) { emit(unit) }
            } else {
                emit(e)
            }
        }
    }

    /// Format characters (zero-width, bidi), variation selectors, combining marks, Hangul fillers, tags.
    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x300 { return v == 0xAD }
        return isInvisible(s, s.properties.generalCategory)
    }

    /// `isInvisible` with the scalar's general category already read.
    static func isInvisible(_ s: Unicode.Scalar, _ category: Unicode.GeneralCategory) -> Bool {
        let v = s.value
        if v < 0x300 { return v == 0xAD }
        switch v {
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0xE0000...0xE007F, 0x3164, 0xFFA0, 0x115F, 0x1160: return true
        default: break
        }
        switch category {
        case .format, .nonspacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Spaces, punctuation, symbols and emoji: never letters, digits or CJK characters.
    static func isNoise(_ s: Unicode.Scalar) -> Bool {
        isNoise(s, s.properties.generalCategory)
    }

    /// `isNoise` with the scalar's general category already read.
    static func isNoise(_ s: Unicode.Scalar, _ category: Unicode.GeneralCategory) -> Bool {
        let v = s.value
        if v < 0x80 {
            let c = UInt8(v)
            return !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A))
        }
        switch category {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func appendUTF8(_ s: Unicode.Scalar, to bytes: inout [UInt8]) {
        let v = s.value
        if v < 0x80 {
            bytes.append(UInt8(v))
        } else if v < 0x800 {
            bytes.append(UInt8(0xC0 | (v >> 6)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            bytes.append(UInt8(0xE0 | (v >> 12)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            bytes.append(UInt8(0xF0 | (v >> 18)))
            bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
