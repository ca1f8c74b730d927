/// Folds text for matching (SPEC §3), keeping the map back to the original.
///
/// Per-scalar folds (compatibility forms and width, case, diacritics, traditional → simplified,
/// digit and letter styles, look-alikes, invisible characters, noise) come from a `FoldTable`;
/// repeat collapse is applied here, over the folded scalars.
public struct Normalizer: Sendable {
    public let options: FoldOptions
    let table: FoldTable

    public init(options: FoldOptions) {
        self.options = options
        self.table = FoldTable.forOptions(options)
    }

    /// The folded scalars of `text`, repeats collapsed (what keywords are stored as).
    public func units(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        forEachUnit(text) { unit, _, repeated in if !repeated { out.append(unit) } }
        return out
    }

    /// The folded text alone, without the offset map (for `normalize` and `fingerprint`).
    public func foldedString(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var last: UInt32 = .max
        let repeats = options.contains(.repeats)
        for scalar in text.unicodeScalars {
            let e = table.fold(scalar.value)
            if e == FoldTable.drop { continue }
            if FoldTable.isMulti(e) {
                for unit in table.multiple(e) where !(repeats && unit == last && !(unit >= 0x30 && unit <= 0x39)) {
                    out.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    last = unit
                }
                continue
            }
            if repeats, e == last, !(e >= 0x30 && e <= 0x39) { continue }
            out.append(Unicode.Scalar(e) ?? "\u{FFFD}")
            last = e
        }
        return String(out)
    }

    /// Whether the folded `keyword` occurs in the folded `text` (with the ASCII boundary rule
    /// when `boundary`): what a one-entry word list answers, without building an automaton —
    /// for `contains` with a needle known only per event.
    public func occurs(_ keyword: String, in text: String, boundary: Bool) -> Bool {
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
                if KeywordMatcher.isWord(needle.first!), lower > 0, KeywordMatcher.isWordScalar(folded.original[lower - 1].value) { continue }
                if KeywordMatcher.isWord(needle.last!), upper < folded.original.count,
                    KeywordMatcher.isWordScalar(folded.original[upper].value)
                { continue }
            }
            return true
        }
        return false
    }

    /// The folded text with its map back to the original.
    public func fold(_ text: String) -> FoldedText {
        var out = FoldedText()
        out.original = Array(text.unicodeScalars)
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
            let produced = FoldTable.isMulti(e) ? table.multiple(e) : [e]
            for unit in produced {
                if options.contains(.repeats), unit == last, !(unit >= 0x30 && unit <= 0x39) {
                    body(unit, index, true)
                    continue
                }
                body(unit, index, false)
                last = unit
            }
        }
    }

    /// Format characters (zero-width, bidi), variation selectors, combining marks, Hangul fillers, tags.
    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x300 { return v == 0xAD }
        switch v {
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0xE0000...0xE007F, 0x3164, 0xFFA0, 0x115F, 0x1160: return true
        default: break
        }
        switch s.properties.generalCategory {
        case .format, .nonspacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Spaces, punctuation, symbols and emoji: never letters, digits or CJK characters.
    static func isNoise(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            let c = UInt8(v)
            return !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A))
        }
        switch s.properties.generalCategory {
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
