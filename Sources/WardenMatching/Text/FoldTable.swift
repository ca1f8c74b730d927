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
        var high = traditional.high
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
    static func characterMap(_ options: FoldOptions) -> CharacterMap {
        switch (options.contains(.traditional), options.contains(.variants)) {
        case (true, true): return flatWithVariants
        case (true, false): return flatTraditional
        case (false, true): return flatVariants
        case (false, false): return .empty
        }
    }

    private static let flatWithVariants = CharacterMap(withVariants)
    private static let flatTraditional = CharacterMap(traditionalMap)
    private static let flatVariants = CharacterMap(variantMap)

    private static let withVariants: [UInt32: UInt32] = {
        var map = traditionalMap
        // A variant folds to its common character, then through the traditional fold.
        for (v, c) in variantMap where map[v] == nil { map[v] = map[c] ?? c }
        return map
    }()

    static let variantMap = pairMap(VariantTable.pairs)

    /// NFKC of every scalar in the table's range that it changes (from the generated
    /// `UnicodeFoldTables`: computing it through Foundation at every start cost ~0.6 billion
    /// instructions).
    static let compatibility: [UInt32: [Unicode.Scalar]] = parse(UnicodeFoldTables.compatibility)

    /// Scalars that decompose canonically into a base and marks, and the base without its marks
    /// (generated, as `compatibility`); Hangul syllables into their jamo.
    static let withoutMarks: [UInt32: [Unicode.Scalar]] = {
        var map = parse(UnicodeFoldTables.withoutMarks)
        for v in UInt32(0xAC00)...UInt32(0xD7A3) { map[v] = hangulJamo(v) }
        return map
    }()

    /// The canonical decomposition of a Hangul syllable (Unicode §3.12): leading consonant,
    /// vowel and, when there is one, trailing consonant.
    static func hangulJamo(_ v: UInt32) -> [Unicode.Scalar] {
        let s = v - 0xAC00
        var jamo = [Unicode.Scalar(0x1100 + s / 588)!, Unicode.Scalar(0x1161 + (s % 588) / 28)!]
        if s % 28 != 0 { jamo.append(Unicode.Scalar(0x11A7 + s % 28)!) }
        return jamo
    }

    /// Reads a generated table: `scalar:result;` in hex, the result's scalars separated by spaces.
    static func parse(_ table: String) -> [UInt32: [Unicode.Scalar]] {
        var map: [UInt32: [Unicode.Scalar]] = [:]
        for entry in table.utf8.split(separator: UInt8(ascii: ";")) {
            let sides = entry.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard sides.count == 2, let key = hexValue(sides[0]) else { continue }
            map[key] = sides[1].split(separator: UInt8(ascii: " ")).compactMap { hexValue($0).flatMap(Unicode.Scalar.init) }
        }
        return map
    }

    private static func hexValue(_ digits: Substring.UTF8View) -> UInt32? {
        var v: UInt32 = 0
        var any = false
        for b in digits {
            switch b {
            case 0x30...0x39: v = v << 4 | UInt32(b - 0x30)
            case 0x61...0x66: v = v << 4 | UInt32(b - 0x61 + 10)
            case 0x20, 0x0A: continue  // the literal's line breaks and indentation
            default: return nil
            }
            any = true
        }
        return any ? v : nil
    }

    /// `compatibility` and `withoutMarks` as this process's Foundation computes them, for the
    /// test that keeps the generated tables current.
    package static func computedUnicodeMaps() -> (compatibility: [UInt32: [UInt32]], withoutMarks: [UInt32: [UInt32]]) {
        var compatibility: [UInt32: [UInt32]] = [:]
        var withoutMarks: [UInt32: [UInt32]] = [:]
        for v in UInt32(0x80)..<UInt32(size) {
            if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) { continue }
            guard let s = Unicode.Scalar(v) else { continue }
            if !(0xAC00...0xD7A3).contains(v) {
                let k = Array(String(s).precomposedStringWithCompatibilityMapping.unicodeScalars)
                if k != [s] { compatibility[v] = k.map(\.value) }
            }
            guard v >= 0xC0 else { continue }
            let parts = Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
            guard parts.count > 1 else { continue }
            withoutMarks[v] = parts.filter { $0.properties.generalCategory != .nonspacingMark }.map(\.value)
        }
        return (compatibility, withoutMarks)
    }

    /// The tables the folds read, as scalar values (what `computedUnicodeMaps` is compared with).
    package static var unicodeMaps: (compatibility: [UInt32: [UInt32]], withoutMarks: [UInt32: [UInt32]]) {
        (compatibility.mapValues { $0.map(\.value) }, withoutMarks.mapValues { $0.map(\.value) })
    }

    /// Per scalar below `size`: no step of any fold changes it (most ideographs, letters of
    /// scripts without case, ASCII lower-case letters and digits), so every fold set leaves it
    /// as it is. Computed once per process; a table then runs the folds only on the others
    /// (loading a rule set builds a table per fold set its lists use).
    static let inert: [Bool] = {
        let steps = FoldSteps.shared
        let characters = characterMap([.traditional, .variants])
        // Each step alone leaves the scalar as it is, so any sequence of them does.
        return (0..<UInt32(size)).map { v in Unicode.Scalar(v) != nil && characters[v] == nil && steps.leavesAlone(v) }
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
    static func fold(_ s: Unicode.Scalar, _ options: FoldOptions, _ traditional: CharacterMap) -> [UInt32] {
        if let single = foldSingle(s, options, traditional) {
            return single == drop ? [] : [single]
        }
        return foldMany(s, options, traditional)
    }

    /// The one-scalar result (or `drop`), or nil when some step yields several scalars. Each
    /// step is an array read (`FoldSteps`), in the order `foldMany` applies them.
    @inline(__always)
    static func foldSingle(_ s: Unicode.Scalar, _ options: FoldOptions, _ traditional: CharacterMap) -> UInt32? {
        let steps = FoldSteps.shared
        var c = s.value
        if options.contains(.width) {
            c = steps.width(c)
            if c == FoldSteps.many { return nil }
        }
        if let t = traditional[c] { c = t }
        if options.contains(.digits) { c = steps.digit(c) }
        if options.contains(.letters) { c = steps.letter(c) }
        if options.contains(.caseFold) {
            c = steps.caseFold(c)
            if c == FoldSteps.many { return nil }
        }
        if options.contains(.diacritics) {
            c = steps.marks(c)
            if c == FoldSteps.many { return nil }
            if c == FoldSteps.gone { return drop }
        }
        if options.contains(.invisible), steps.isInvisible(c) { return drop }
        if options.contains(.noise), steps.isNoise(c) { return drop }
        return c
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

    static func foldMany(_ s: Unicode.Scalar, _ options: FoldOptions, _ traditional: CharacterMap) -> [UInt32] {
        let steps = FoldSteps.shared
        var scalars: [UInt32] = [s.value]
        let v = s.value
        let isASCII = v < 0x80
        let isCJK = (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
        if options.contains(.width), !isASCII, !isCJK, let k = compatibility[v] {
            scalars = k.map(\.value)
        }
        if !traditional.isEmpty {
            scalars = scalars.map { traditional[$0] ?? $0 }
        }
        if options.contains(.digits) { scalars = scalars.map(steps.digit) }
        if options.contains(.letters) { scalars = scalars.map(steps.letter) }
        if options.contains(.caseFold) {
            scalars = scalars.flatMap { c -> [UInt32] in
                let folded = steps.caseFold(c)
                guard folded == FoldSteps.many else { return [folded] }
                return Unicode.Scalar(c).map { Array($0.properties.lowercaseMapping.unicodeScalars.map(\.value)) } ?? [c]
            }
        }
        if options.contains(.diacritics) {
            scalars = scalars.flatMap { c -> [UInt32] in
                if c >= 0xC0, let stripped = withoutMarks[c] { return stripped.map(\.value) }
                if c >= UInt32(size), c >= 0xC0, let u = Unicode.Scalar(c) {
                    let parts = Array(String(u).decomposedStringWithCanonicalMapping.unicodeScalars)
                    if parts.count > 1 { return parts.filter { $0.properties.generalCategory != .nonspacingMark }.map(\.value) }
                }
                return [c]
            }
        }
        if options.contains(.invisible) { scalars.removeAll(where: steps.isInvisible) }
        if options.contains(.noise) { scalars.removeAll(where: steps.isNoise) }
        return scalars
    }
}
