/// Split characters (拆字) for the `split` fold: each ideograph's two-component decompositions
/// (`SplitTable`, from 漢語拆字字典), and the keyword spellings they give.
enum SplitForms {
    /// Per ideograph: its decompositions, two scalars each.
    static let parts: [UInt32: [(UInt32, UInt32)]] = {
        var map: [UInt32: [(UInt32, UInt32)]] = [:]
        let scalars = Array(SplitTable.triples.unicodeScalars)
        var i = 0
        while i + 2 < scalars.count {
            map[scalars[i].value, default: []].append((scalars[i + 1].value, scalars[i + 2].value))
            i += 3
        }
        return map
    }()

    /// Components side by side → the ideograph (the first one the table gives for the pair).
    static let joined: [UInt64: UInt32] = {
        var map: [UInt64: UInt32] = [:]
        for (c, list) in parts.sorted(by: { $0.key < $1.key }) {
            for (a, b) in list where map[UInt64(a) << 32 | UInt64(b)] == nil { map[UInt64(a) << 32 | UInt64(b)] = c }
        }
        return map
    }()

    /// Spellings per keyword with a split character, at most this many per keyword.
    static let maxPerEntry = 48

    /// Spellings of each entry with one of its characters split (in each of its decompositions),
    /// then two, then three and so on, every decomposition of each, up to `maxPerEntry`, with the
    /// entry's index; keywords of at least two characters, the characters as written (`units` of
    /// `normalizer`). An evader who splits one character of 邀请码 often splits the next too
    /// (邀讠青石马), in whichever of its decompositions they know.
    static func entries(_ entries: [String], normalizer: Normalizer) -> [(String, Int)] {
        var out: [(String, Int)] = []
        // Built as UTF-8 bytes: appending to a String.UnicodeScalarView cost ~12k instructions
        // a spelling, a fifth of loading the default rules.
        func spelled(_ letters: [UInt32], _ splits: [Int: (UInt32, UInt32)]) -> String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(letters.count * 8)
            func add(_ v: UInt32) {
                if let s = Unicode.Scalar(v) { Normalizer.appendUTF8(s, to: &bytes) }
            }
            for (k, u) in letters.enumerated() {
                if let split = splits[k] {
                    add(split.0)
                    add(split.1)
                } else {
                    add(u)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        for (e, entry) in entries.enumerated() {
            let letters = normalizer.units(entry)
            guard letters.count >= 2 else { continue }
            let splittable = letters.indices.filter { parts[letters[$0]] != nil }
            var found: [String] = []
            // Breadth first over how many characters are split, so a cap keeps the likeliest.
            var frontier: [[Int: (UInt32, UInt32)]] = [[:]]
            var size = 0
            while size < splittable.count, found.count < maxPerEntry {
                var next: [[Int: (UInt32, UInt32)]] = []
                grow: for chosen in frontier {
                    let last = chosen.keys.max() ?? -1
                    for i in splittable where i > last {
                        for pair in parts[letters[i]]! {
                            var more = chosen
                            more[i] = pair
                            next.append(more)
                            found.append(spelled(letters, more))
                            if found.count >= maxPerEntry { break grow }
                        }
                    }
                }
                frontier = next
                size += 1
            }
            out += found.prefix(maxPerEntry).map { ($0, e) }
        }
        return out
    }

    /// The text with components side by side joined back into their ideograph.
    static func join(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var view = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if i + 1 < scalars.count, let c = joined[UInt64(scalars[i].value) << 32 | UInt64(scalars[i + 1].value)],
                let s = Unicode.Scalar(c)
            {
                view.append(s)
                i += 2
            } else {
                view.append(scalars[i])
                i += 1
            }
        }
        return String(view)
    }
}
