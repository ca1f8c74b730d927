#if canImport(Glibc)
import Glibc
#endif

/// A text in the order a reader sees it when it holds right-to-left overrides (U+202E RLO):
/// `‮利返‬` is stored as 利返 but shown as 返利.
///
/// Only an override reorders Chinese and Latin text: inside an embedding (U+202B RLE) or an
/// isolate (U+2067 RLI) strong left-to-right characters keep their order (UAX #9, rule L2 on an
/// even level), so `‫现套‬` is shown 现套 and must not match 套现. An override runs to its own PDF
/// (U+202C; overrides and embeddings opened inside it are closed first), to the PDI (U+2069)
/// that closes an isolate opened before it (an unmatched PDI does nothing), or to the end of the
/// paragraph (a line feed, carriage return, U+2029, U+001C–U+001E or U+0085). The scalars in
/// that run are reversed; this is the part of the bidirectional algorithm that evasion uses,
/// not the whole algorithm (no weak types, a nested left-to-right override is reversed with the
/// rest). The controls stay in place, so every display position maps to one stored one.
struct BidiDisplay {
    let text: String
    /// Display position → stored scalar index.
    let order: [Int]

    /// The scalar that starts a reordered run.
    static let override: UInt32 = 0x202E

    /// Whether `text` holds U+202E (UTF-8 E2 80 AE): a byte search for the lead byte, which
    /// ideographs never use, so ordinary Chinese text is ruled out at memchr's speed.
    package static func holdsOverride(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { p in
            guard let base = p.baseAddress else { return false }
            var i = 0
            while i + 2 < p.count {
                guard let hit = memchr(base + i, 0xE2, p.count - i - 2) else { return false }
                let at = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
                if p[at + 1] == 0x80 && p[at + 2] == 0xAE { return true }
                i = at + 1
            }
            return false
        }
    }

    static func endsParagraph(_ v: UInt32) -> Bool {
        v == 0x0A || v == 0x0D || v == 0x2029 || (0x1C...0x1E).contains(v) || v == 0x85
    }

    init?(_ stored: String) {
        let scalars = Array(stored.unicodeScalars)
        var order = Array(scalars.indices)
        var i = 0
        var changed = false
        // Isolates (LRI, RLI, FSI) open at this point and not yet closed by a PDI.
        var openIsolates = 0
        while i < scalars.count {
            let v = scalars[i].value
            if Self.endsParagraph(v) {
                openIsolates = 0
            } else if (0x2066...0x2068).contains(v) {
                openIsolates += 1
            } else if v == 0x2069 {
                openIsolates = max(0, openIsolates - 1)
            }
            guard v == Self.override else {
                i += 1
                continue
            }
            var j = i + 1
            var embeddings = 0
            var isolates = 0
            scan: while j < scalars.count {
                let w = scalars[j].value
                switch w {
                case _ where Self.endsParagraph(w): break scan
                case 0x202A, 0x202B, 0x202D, 0x202E: embeddings += 1
                case 0x202C:
                    if embeddings == 0 { break scan }
                    embeddings -= 1
                case 0x2066...0x2068: isolates += 1
                case 0x2069:
                    if isolates > 0 {
                        isolates -= 1
                    } else if openIsolates > 0 {
                        break scan  // closes the isolate the override sits in
                    }
                default: break
                }
                j += 1
            }
            if j - i > 2 {
                order[(i + 1)..<j].reverse()
                changed = true
            }
            i = j
        }
        guard changed else { return nil }
        self.order = order
        var view = String.UnicodeScalarView()
        view.append(contentsOf: order.map { scalars[$0] })
        text = String(view)
    }

    /// The stored scalars behind display span `span`: the smallest range covering them.
    func original(_ span: Range<Int>) -> Range<Int> {
        guard !span.isEmpty else { return span }
        let covered = order[span]
        return covered.min()!..<(covered.max()! + 1)
    }
}
