/// Every spelling of a caseless literal that the `case` fold matches, so that the regex
/// prefilter can look for caseless literals with its byte automaton instead of a second,
/// folding scan of every text: `vx` is `vx`, `vX`, `Vx` and `VX`; `sk` adds `ſ` (long s) and `K`
/// (the Kelvin sign), which fold to `s` and `k` as PCRE2's caseless matching takes them.
///
/// Exact: a text holds one of the spellings exactly when its folded units hold the literal's
/// folded units, which is what `KeywordMatcher` answers for a list folded by `case` alone. A
/// character whose fold is several units (`İ` → `i` + U+0307) stands at the first or the last
/// position of a literal when its fold begins or ends with that unit there; a literal such a
/// character would have to cover two units of is left to the matcher (nil), as is one with more
/// than `limit` spellings, or a list of more than `total` (the byte automaton stays small).
enum CaselessSpellings {
    static let limit = 256
    static let total = 4096

    /// The spellings of every entry, or nil when one of them cannot be spelled out.
    /// - Parameter asciiFolded: for an automaton that folds ASCII case itself
    ///   (`ByteAutomaton(foldsASCIICase:)`): A–Z are left out of the spellings.
    static func spellings(of entries: [String], limit: Int = limit, total: Int = total, asciiFolded: Bool = false) -> [String]? {
        let normalizer = Normalizer(options: [.caseFold])
        var out: [String] = []
        for entry in entries {
            let units = normalizer.units(entry)
            guard !units.isEmpty else { continue }
            guard var positions = variants(of: units) else { return nil }
            if asciiFolded {
                positions = positions.map { p in
                    p.filter { !($0.value >= 0x41 && $0.value <= 0x5A) || !p.contains(Unicode.Scalar($0.value + 0x20)!) }
                }
            }
            var count = 1
            for p in positions {
                count *= p.count
                if count > limit { return nil }
            }
            // Spelled as UTF-8 bytes (String concatenation per scalar cost twice as much).
            var spelled: [[UInt8]] = [[]]
            for p in positions {
                spelled = spelled.flatMap { prefix in
                    p.map { s in
                        var bytes = prefix
                        Normalizer.appendUTF8(s, to: &bytes)
                        return bytes
                    }
                }
            }
            out += spelled.map { String(decoding: $0, as: UTF8.self) }
            if out.count > total { return nil }
        }
        return out
    }

    /// Per position of `units`: the scalars a text may have there.
    static func variants(of units: [UInt32]) -> [[Unicode.Scalar]]? {
        let index = Index.shared
        var positions: [[Unicode.Scalar]] = units.map { u in
            if u >= UInt32(FoldTable.size) { return Unicode.Scalar(u).map { [$0] } ?? [] }
            return index.sources[u] ?? []
        }
        for (scalar, expansion) in index.multi {
            let m = expansion.count
            // Every placement of the expansion that overlaps the literal and agrees with it.
            for offset in (1 - m)..<units.count {
                var overlap: [Int] = []
                var agrees = true
                for (j, unit) in expansion.enumerated() where offset + j >= 0 && offset + j < units.count {
                    overlap.append(offset + j)
                    if units[offset + j] != unit { agrees = false }
                }
                guard agrees, !overlap.isEmpty else { continue }
                // Covering two units of the literal: not one position of a spelling.
                guard overlap.count == 1 else { return nil }
                positions[overlap[0]].append(scalar)
            }
        }
        return positions.contains(where: \.isEmpty) ? nil : positions
    }

    /// The `case` fold table, inverted once per process.
    final class Index: Sendable {
        /// Per folded scalar: the scalars that fold to it alone.
        let sources: [UInt32: [Unicode.Scalar]]
        /// Scalars that fold to several units, with those units.
        let multi: [(Unicode.Scalar, [UInt32])]

        static let shared = Index()

        private init() {
            let table = FoldTable.forOptions([.caseFold])
            var sources: [UInt32: [Unicode.Scalar]] = [:]
            var multi: [(Unicode.Scalar, [UInt32])] = []
            for v in 0..<UInt32(FoldTable.size) {
                guard let s = Unicode.Scalar(v) else { continue }
                let e = table.entries[Int(v)]
                if e == FoldTable.drop { continue }
                if FoldTable.isMulti(e) {
                    multi.append((s, table.multiple(e)))
                } else {
                    sources[e, default: []].append(s)
                }
            }
            self.sources = sources
            self.multi = multi
        }
    }
}
