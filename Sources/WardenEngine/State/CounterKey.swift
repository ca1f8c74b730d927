/// A counter key: its text (the key parts joined by U+001F) and a 64-bit hash of that text,
/// computed once. The store's dictionaries hash only the 64 bits and compare the text on a hit,
/// and the shard comes from the same hash, so a key's bytes are read once per event instead of
/// once for the shard, once for the dictionary's SipHash and once for the comparison.
///
/// The hash is seeded per process (a multiply-and-fold over 8-byte words), so keys that collide
/// cannot be computed ahead of time to crowd one dictionary bucket.
struct CounterKey: Hashable, Sendable {
    let text: String
    let hash: UInt64

    init(_ text: String) {
        self.text = text
        var t = text
        hash = t.withUTF8 { Self.hash($0) }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (a: CounterKey, b: CounterKey) -> Bool { a.hash == b.hash && a.text == b.text }

    static let seed: UInt64 = UInt64.random(in: 1...UInt64.max)

    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0
        while i + 8 <= bytes.count {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0xA076_1D64_78BD_642F)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            for k in i..<bytes.count { tail |= UInt64(bytes[k]) << UInt64(8 * (k - i)) }
            h = mix(h ^ tail, 0xE703_7ED1_A0B4_28DB)
        }
        return mix(h, 0x8EBC_6AF0_9C88_C6E3)
    }
}
