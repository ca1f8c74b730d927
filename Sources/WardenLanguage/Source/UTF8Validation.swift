/// Where a byte sequence stops being UTF-8.
///
/// Rule files and events are read as bytes; Swift's `String(decoding:as:)` would quietly turn a
/// bad byte into U+FFFD, and a keyword split by one would then slip through unnoticed, so input
/// is checked first and a bad byte is reported with its offset.
public enum UTF8Validation {
    /// The offset (0-based) of the first byte that is not part of a well-formed UTF-8 sequence
    /// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    public static func firstInvalidByte(_ bytes: some Collection<UInt8>) -> Int? {
        let result: Int?? = bytes.withContiguousStorageIfAvailable { firstInvalidByte(in: $0) }
        if let result { return result }
        return Array(bytes).withUnsafeBufferPointer { firstInvalidByte(in: $0) }
    }

    static func firstInvalidByte(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = b.baseAddress else { return nil }
        var i = 0
        let n = b.count
        while i < n {
            // ASCII runs, eight bytes at a time.
            while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let c = base[i]
            if c < 0x80 {
                i += 1
                continue
            }
            // The common three-byte form without bounds of its own (E1–EC, EE–EF: CJK among
            // them), a run of them read four bytes at a time: lead 1110xxxx, two 10xxxxxx.
            if c >= 0xE1, c != 0xED, c <= 0xEF {
                var j = i
                while j + 4 <= n {
                    let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt32.self).littleEndian
                    let lead = w & 0xFF
                    guard w & 0x00C0_C0F0 == 0x0080_80E0, lead != 0xE0, lead != 0xED else { break }
                    j += 3
                }
                if j > i {
                    i = j
                    continue
                }
                if i + 2 < n, base[i + 1] & 0xC0 == 0x80, base[i + 2] & 0xC0 == 0x80 {
                    i += 3
                    continue
                }
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return i
            }
            guard i + 1 < n, b[i + 1] >= low, b[i + 1] <= high else { return i }
            for k in 2..<length {
                guard i + k < n, b[i + k] & 0xC0 == 0x80 else { return i }
            }
            i += length
        }
        return nil
    }
}
