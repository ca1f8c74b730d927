import Dispatch
import Foundation
import Synchronization

/// What the folds of SPEC §3 do to each scalar, computed once per fold set.
///
/// A flat table covers U+0000–U+1FFFF (Chinese, the symbol and emoji planes): entry `drop`
/// means the scalar disappears (invisible, or noise), an entry with the top bit set points at a
/// multi-scalar result (`ﬁ` → `fi`), anything else is the folded scalar. Above U+1FFFF only
/// tags and variation selectors change (they are dropped). Repeat collapse is not per scalar
/// and happens in the scanners.
package final class FoldTable: Sendable {
    package static let drop: UInt32 = 0xFFFF_FFFF
    static let multiFlag: UInt32 = 0x8000_0000
    static let size = 0x20000

    package let options: FoldOptions
    /// The folded form of every scalar below `directSize` (for scanners with a loop of their own).
    package let entries: [UInt32]
    /// The character folds of scalars from `size` up (rare ideographs of planes 2 and 3).
    let high: [UInt32: UInt32]
    let multi: [[UInt32]]

    /// The table for a fold set; built on first use and shared.
    package static func forOptions(_ options: FoldOptions) -> FoldTable {
        let key = options.textFolds
        let slot = cache.withLock { slots in
            if let slot = slots[key] { return slot }
            let slot = Slot()
            slots[key] = slot
            return slot
        }
        // Built under its own slot's lock: tables of different fold sets build side by side
        // (`KeywordMatcher` builds its groups on every core), each of them once.
        return slot.table.withLock { table in
            if let table { return table }
            let built: FoldTable
            if key.contains(.syllables) {
                // The same folds, then characters to their syllables: derived, not rebuilt.
                built = FoldTable(syllablesOf: forOptions(key.subtracting(.syllables)))
            } else {
                built = FoldTable(building: key)
            }
            table = built
            return built
        }
    }

    private final class Slot: Sendable {
        let table = Mutex<FoldTable?>(nil)
    }

    private static let cache = Mutex<[FoldOptions: Slot]>([:])

    private init(syllablesOf base: FoldTable) {
        options = base.options.union(.syllables)
        func token(_ v: UInt32) -> UInt32 { v == Self.drop ? v : Pinyin.token(v) ?? v }
        entries = base.entries.map { Self.isMulti($0) ? $0 : token($0) }
        multi = base.multi.map { $0.map(token) }
        high = base.high.mapValues(token)
    }

    private init(building options: FoldOptions) {
        self.options = options
        var entries = [UInt32](repeating: 0, count: Self.size)
        var multi: [[UInt32]] = []
        let traditional = Self.characterMap(options)
        let inert = Self.inert
        for v in 0..<UInt32(Self.size) {
            if inert[Int(v)] {
                entries[Int(v)] = v
                continue
            }
            guard let s = Unicode.Scalar(v) else {
                entries[Int(v)] = Self.drop
                continue
            }
            let folded = Self.fold(s, options, traditional)
            switch folded.count {
            case 0: entries[Int(v)] = Self.drop
            case 1: entries[Int(v)] = folded[0]
            default:
                entries[Int(v)] = Self.multiFlag | UInt32(multi.count)
                multi.append(folded)
            }
        }
        self.entries = entries
        self.multi = multi
        var high = traditional.filter { $0.key >= UInt32(Self.size) }
        // CJK Compatibility Ideographs Supplement (U+2F800–2FA1F): each is canonically one
        // unified ideograph (U+2F804 is 你), so it reads as that one and its folds.
        for v in UInt32(0x2F800)...UInt32(0x2FA1F) {
            guard let s = Unicode.Scalar(v) else { continue }
            let k = Array(String(s).precomposedStringWithCanonicalMapping.unicodeScalars)
            guard k.count == 1, k[0] != s else { continue }
            high[v] = traditional[k[0].value] ?? k[0].value
        }
        self.high = high
    }

    /// The scalars below which `entries` answers directly (above, only `fold` knows).
    package static var directSize: Int { size }

    /// The folded scalars of `v` (empty when dropped).
    @inline(__always)
    package func fold(_ v: UInt32) -> UInt32 {
        if v < Self.size { return entries[Int(v)] }
        if options.contains(.invisible), (0xE0000...0xE01EF).contains(v) { return Self.drop }
        // Ideographs of the supplementary planes: the traditional and variant forms there.
        if let t = high[v] { return t }
        return v
    }

    package func multiple(_ entry: UInt32) -> [UInt32] { multi[Int(entry & ~Self.multiFlag)] }

    package static func isMulti(_ entry: UInt32) -> Bool { entry != drop && entry & multiFlag != 0 }

    // MARK: building

    static let traditionalMap = pairMap(TraditionalTable.pairs)

    /// A generated table's pairs of scalars (from, to) as a map.
    static func pairMap(_ pairs: String) -> [UInt32: UInt32] {
        var map: [UInt32: UInt32] = [:]
        let scalars = Array(pairs.unicodeScalars)
        var i = 0
        while i + 1 < scalars.count {
            map[scalars[i].value] = scalars[i + 1].value
            i += 2
        }
        return map
    }

    /// The character-to-character folds of `options` in one map: traditional → simplified,
    /// and with `variants`, each variant to its common character and on through the first.
    static func characterMap(_ options: FoldOptions) -> [UInt32: UInt32] {
        switch (options.contains(.traditional), options.contains(.variants)) {
        case (true, true): return withVariants
        case (true, false): return traditionalMap
        case (false, true): return variantMap
        case (false, false): return [:]
        }
    }

    private static let withVariants: [UInt32: UInt32] = {
        var map = traditionalMap
        // A variant folds to its common character, then through the traditional fold.
        for (v, c) in variantMap where map[v] == nil { map[v] = map[c] ?? c }
        return map
    }()

    static let variantMap = pairMap(VariantTable.pairs)

    /// NFKC of every scalar in the table's range that it changes, computed once per process and
    /// shared by every fold set (it is the expensive part of building a table).
    static let compatibility: [UInt32: [Unicode.Scalar]] = {
        var map: [UInt32: [Unicode.Scalar]] = [:]
        for v in UInt32(0x80)..<UInt32(size) {
            if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xAC00...0xD7A3).contains(v) { continue }
            guard let s = Unicode.Scalar(v) else { continue }
            let k = Array(String(s).precomposedStringWithCompatibilityMapping.unicodeScalars)
            if k != [s] { map[v] = k }
        }
        return map
    }()

    /// Scalars that decompose canonically into a base and marks, and the base without its marks.
    static let withoutMarks: [UInt32: [Unicode.Scalar]] = {
        var map: [UInt32: [Unicode.Scalar]] = [:]
        for v in UInt32(0xC0)..<UInt32(size) {
            if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) { continue }
            guard let s = Unicode.Scalar(v) else { continue }
            let parts = Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
            guard parts.count > 1 else { continue }
            map[v] = parts.filter { $0.properties.generalCategory != .nonspacingMark }
        }
        return map
    }()

    /// Per scalar below `size`: no step of any fold changes it (most ideographs, letters of
    /// scripts without case, ASCII lower-case letters and digits), so every fold set leaves it
    /// as it is. Computed once per process; a table then runs the folds only on the others
    /// (loading a rule set builds a table per fold set its lists use).
    static let inert: [Bool] = {
        // The two Unicode maps the steps read are built side by side first.
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            _ = k == 0 ? compatibility.count : withoutMarks.count
        }
        let steps: [FoldOptions] = [.width, .caseFold, .diacritics, .digits, .letters, .invisible, .noise]
        let characters = characterMap([.traditional, .variants])
        let parts = 4
        let chunk = size / parts
        let done = Mutex([[Bool]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var inert = [Bool](repeating: false, count: chunk)
            for k in 0..<chunk {
                let v = UInt32(part * chunk + k)
                guard let s = Unicode.Scalar(v), characters[v] == nil else { continue }
                // Each step alone leaves `s` as it is, so any sequence of them does.
                inert[k] = steps.allSatisfy { foldSingle(s, $0, [:]) == v }
            }
            done.withLock { $0[part] = inert }
        }
        return done.withLock { $0.flatMap { $0 } }
    }()

    /// Chinese numerals and financial numerals for 0–9.
    static let chineseDigits: [UInt32: UInt32] = {
        var map: [UInt32: UInt32] = [:]
        for (digit, chars) in ["零〇", "一壹", "二贰", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"].enumerated() {
            for c in chars.unicodeScalars { map[c.value] = 0x30 + UInt32(digit) }
        }
        return map
    }()

    /// Applies every fold in `options` to one scalar. Most scalars map to one scalar through
    /// every step; that path allocates nothing, and only a multi-scalar result takes the slow one.
    static func fold(_ s: Unicode.Scalar, _ options: FoldOptions, _ traditional: [UInt32: UInt32]) -> [UInt32] {
        if let single = foldSingle(s, options, traditional) {
            return single == drop ? [] : [single]
        }
        return foldMany(s, options, traditional)
    }

    /// The one-scalar result (or `drop`), or nil when some step yields several scalars.
    static func foldSingle(_ s: Unicode.Scalar, _ options: FoldOptions, _ traditional: [UInt32: UInt32]) -> UInt32? {
        var c = s
        let v = s.value
        if options.contains(.width), v >= 0x80, let k = compatibility[v] {
            guard k.count == 1 else { return nil }
            c = k[0]
        }
        if let t = traditional[c.value], let u = Unicode.Scalar(t) { c = u }
        if options.contains(.digits) {
            if let d = chineseDigits[c.value] {
                c = Unicode.Scalar(d)!
            } else if c.value >= 0x80, let type = c.properties.numericType, type == .decimal || type == .digit,
                let n = c.properties.numericValue, n >= 0, n <= 9, n == n.rounded()
            {
                c = Unicode.Scalar(0x30 + UInt32(n))!
            }
        }
        if options.contains(.letters), let l = LetterStyles.ascii(c.value), let u = Unicode.Scalar(l) { c = u }
        if options.contains(.caseFold) {
            if c.value >= 0x41 && c.value <= 0x5A {
                c = Unicode.Scalar(c.value + 0x20)!
            } else if c.value >= 0x80, c.properties.changesWhenLowercased {
                let lower = c.properties.lowercaseMapping.unicodeScalars
                guard lower.count == 1 else { return nil }
                c = lower.first!
            } else if c.value >= 0x80, let other = caseFoldedThroughUpper(c) {
                c = other
            }
        }
        if options.contains(.diacritics), c.value >= 0xC0, let stripped = withoutMarks[c.value] {
            guard stripped.count == 1 else { return stripped.isEmpty ? drop : nil }
            c = stripped[0]
        }
        if options.contains(.invisible), Normalizer.isInvisible(c) { return drop }
        if options.contains(.noise), Normalizer.isNoise(c) { return drop }
        return c.value
    }

    /// Lower-case letters that have no upper case of their own to come back from: `ſ` (long s),
    /// `ς` (final sigma), `µ` (micro sign), `ı` fold to the lower case of their upper case (`s`,
    /// `σ`, `μ`, `i`), as Unicode case folding and PCRE2's caseless matching treat them alike.
    static func caseFoldedThroughUpper(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        guard c.properties.changesWhenUppercased else { return nil }
        let upper = c.properties.uppercaseMapping.unicodeScalars
        guard upper.count == 1, let u = upper.first else { return nil }
        let lower = u.properties.lowercaseMapping.unicodeScalars
        guard lower.count == 1, let l = lower.first, l != c else { return nil }
        return l
    }

    static func foldMany(_ s: Unicode.Scalar, _ options: FoldOptions, _ traditional: [UInt32: UInt32]) -> [UInt32] {
        var scalars: [Unicode.Scalar] = [s]
        let v = s.value
        let isASCII = v < 0x80
        let isCJK = (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
        if options.contains(.width), !isASCII, !isCJK, let k = compatibility[v] {
            scalars = k
        }
        if !traditional.isEmpty {
            scalars = scalars.map { traditional[$0.value].flatMap(Unicode.Scalar.init) ?? $0 }
        }
        if options.contains(.digits) {
            scalars = scalars.map { c in
                if let d = chineseDigits[c.value] { return Unicode.Scalar(d)! }
                if c.value >= 0x80, let type = c.properties.numericType, type == .decimal || type == .digit,
                    let n = c.properties.numericValue, n >= 0, n <= 9, n == n.rounded()
                {
                    return Unicode.Scalar(0x30 + UInt32(n))!
                }
                return c
            }
        }
        if options.contains(.letters) {
            scalars = scalars.map { c in LetterStyles.ascii(c.value).flatMap(Unicode.Scalar.init) ?? c }
        }
        if options.contains(.caseFold) {
            scalars = scalars.flatMap { c -> [Unicode.Scalar] in
                if c.value >= 0x41 && c.value <= 0x5A { return [Unicode.Scalar(c.value + 0x20)!] }
                if c.value >= 0x80, c.properties.changesWhenLowercased { return Array(c.properties.lowercaseMapping.unicodeScalars) }
                if c.value >= 0x80, let other = caseFoldedThroughUpper(c) { return [other] }
                return [c]
            }
        }
        if options.contains(.diacritics) {
            scalars = scalars.flatMap { c -> [Unicode.Scalar] in
                if c.value >= 0xC0, let stripped = withoutMarks[c.value] { return stripped }
                if c.value >= UInt32(size), c.value >= 0xC0 {
                    let parts = Array(String(c).decomposedStringWithCanonicalMapping.unicodeScalars)
                    if parts.count > 1 { return parts.filter { $0.properties.generalCategory != .nonspacingMark } }
                }
                return [c]
            }
        }
        if options.contains(.invisible) { scalars.removeAll(where: Normalizer.isInvisible) }
        if options.contains(.noise) { scalars.removeAll(where: Normalizer.isNoise) }
        return scalars.map(\.value)
    }
}
