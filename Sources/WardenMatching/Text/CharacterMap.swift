/// A character-to-character fold (traditional → simplified, variants to their common form):
/// a flat array below `FoldTable.size`, so building a fold table reads it without hashing, and
/// a dictionary for the rare ideographs above.
struct CharacterMap: Sendable {
    /// 0 where the map has no entry (no character maps to U+0000).
    private let flat: [UInt32]
    /// The entries from `FoldTable.size` up.
    let high: [UInt32: UInt32]
    let isEmpty: Bool

    init(_ map: [UInt32: UInt32]) {
        isEmpty = map.isEmpty
        var flat = [UInt32](repeating: 0, count: map.isEmpty ? 0 : FoldTable.size)
        var high: [UInt32: UInt32] = [:]
        for (from, to) in map {
            if from < UInt32(FoldTable.size) { flat[Int(from)] = to } else { high[from] = to }
        }
        self.flat = flat
        self.high = high
    }

    /// No character mapped (neither `traditional` nor `variants`).
    static let empty = CharacterMap([:])

    @inline(__always)
    subscript(_ v: UInt32) -> UInt32? {
        if isEmpty { return nil }
        if v < UInt32(FoldTable.size) {
            let to = flat[Int(v)]
            return to == 0 ? nil : to
        }
        return high[v]
    }
}
