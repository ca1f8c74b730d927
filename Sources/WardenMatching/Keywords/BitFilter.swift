/// A set of 64-bit keys as one bit per hash, about 16 bits per key: a false "maybe" on roughly
/// one key in 16 that is not in it, never a false "no". Small enough to stay in cache, so the
/// keyword scan asks it before touching the trie.
struct BitFilter: Sendable {
    let words: FixedArray<UInt64>
    let shift: UInt64

    init(_ keys: Set<UInt64>) {
        var bits = 9
        while 1 << bits < keys.count * 16, bits < 26 { bits += 1 }
        var words = [UInt64](repeating: 0, count: (1 << bits) / 64)
        let shift = UInt64(64 - bits)
        for key in keys {
            let h = Self.slot(key, shift)
            words[h >> 6] |= 1 << UInt64(h & 63)
        }
        self.words = FixedArray(words)
        self.shift = shift
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Two classes as one key.
    @inline(__always)
    static func key(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    /// Three classes as one key (mixed, not packed: classes may need more than 21 bits).
    @inline(__always)
    static func key(_ a: UInt32, _ b: UInt32, _ c: UInt32) -> UInt64 {
        (UInt64(a) &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(b) << 32 | UInt64(c))
    }

    /// The filter's bits as a raw pointer and shift, valid while the filter lives.
    struct Reader {
        let words: UnsafeMutablePointer<UInt64>
        let shift: UInt64

        @inline(__always)
        func mayContain(_ key: UInt64) -> Bool {
            let h = BitFilter.slot(key, shift)
            return words[h >> 6] & (1 << UInt64(h & 63)) != 0
        }
    }

    var reader: Reader { Reader(words: words.pointer, shift: shift) }
}
