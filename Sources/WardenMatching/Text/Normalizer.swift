/// Folds text for matching (SPEC §3) in one pass, keeping the map back to the original.
///
/// Folds implemented so far: width, case, invisible characters, noise between characters and
/// repeat collapse. The remaining folds of §3 (NFKC beyond width, diacritics, traditional →
/// simplified, digit and letter styles) plug in as further per-scalar mappings in `map(_:)`.
public struct Normalizer: Sendable {
    public let options: FoldOptions

    public init(options: FoldOptions) { self.options = options }

    /// What folding does with one scalar.
    enum Mapped {
        case keep(Unicode.Scalar)
        case replace(Unicode.Scalar)
        case many([Unicode.Scalar])
        case drop
    }

    public func fold(_ text: String) -> FoldedText {
        var out = FoldedText()
        out.original = Array(text.unicodeScalars)
        out.bytes.reserveCapacity(out.original.count * 3)
        out.start.reserveCapacity(out.original.count * 3)
        out.end.reserveCapacity(out.original.count * 3)
        var last: Unicode.Scalar?
        var lastByteCount = 0
        for (index, scalar) in out.original.enumerated() {
            let produced: [Unicode.Scalar]
            switch map(scalar) {
            case .keep(let s), .replace(let s): produced = [s]
            case .many(let list): produced = list
            case .drop: continue
            }
            for s in produced {
                if options.contains(.repeats), s == last, !Self.isDigit(s) {
                    // Widen the previous character's span instead of emitting it again.
                    for k in (out.end.count - lastByteCount)..<out.end.count { out.end[k] = Int32(index + 1) }
                    continue
                }
                let before = out.bytes.count
                Self.appendUTF8(s, to: &out.bytes)
                lastByteCount = out.bytes.count - before
                for _ in 0..<lastByteCount {
                    out.start.append(Int32(index))
                    out.end.append(Int32(index + 1))
                }
                last = s
            }
        }
        return out
    }

    /// Folds a keyword the same way as text: the folded bytes are what the automaton stores.
    public func foldKeyword(_ keyword: String) -> [UInt8] { fold(keyword).bytes }

    func map(_ s: Unicode.Scalar) -> Mapped {
        let v = s.value
        var s = s
        var changed = false
        if options.contains(.width) {
            if v >= 0xFF01 && v <= 0xFF5E {
                s = Unicode.Scalar(v - 0xFEE0)!
                changed = true
            } else if v == 0x3000 {
                s = " "
                changed = true
            }
        }
        if options.contains(.invisible), Self.isInvisible(s) { return .drop }
        if options.contains(.noise), Self.isNoise(s) { return .drop }
        if options.contains(.caseFold) {
            if s.value >= 0x41 && s.value <= 0x5A {
                return .replace(Unicode.Scalar(s.value + 0x20)!)
            }
            if s.value >= 0x80, s.properties.changesWhenLowercased {
                let lower = Array(s.properties.lowercaseMapping.unicodeScalars)
                return lower.count == 1 ? .replace(lower[0]) : .many(lower)
            }
        }
        return changed ? .replace(s) : .keep(s)
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

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
