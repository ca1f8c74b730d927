/// Writes compact JSON with keys in the order given (decisions read best in a fixed order), as
/// UTF-8 bytes: strings are copied in runs between the characters that need escaping, numbers
/// are written digit by digit, and nothing is allocated but the buffer's growth.
public struct JSONWriter {
    /// The JSON written so far, as UTF-8.
    public var bytes: [UInt8] { buffer }
    // Usable from inline code: the small members below are inlined into the decision writer in
    // WardenEngine (callgrind: out-of-line calls cost ~350 instructions per decision).
    @usableFromInline var buffer: [UInt8] = []

    public init(capacity: Int = 256) {
        buffer.reserveCapacity(capacity)
    }

    /// The JSON written so far.
    public var output: String { String(decoding: buffer, as: UTF8.self) }

    /// Starts over, keeping the buffer's capacity (a writer reused for every decision).
    @inlinable
    public mutating func reset() { buffer.removeAll(keepingCapacity: true) }

    public static func quote(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return w.output
    }

    /// JSON text written as is: punctuation and keys (literals), numbers already formatted.
    @inlinable
    public mutating func raw(_ s: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inlinable
    public mutating func rawText(_ s: String) { buffer.append(contentsOf: s.utf8) }

    // Members after an object's first: `,"name":value`, left out when the value is nil. The
    // name is a literal written as is (no escaping needed).

    @inlinable @inline(__always)
    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    @inlinable @inline(__always)
    public mutating func member(_ name: StaticString, number value: Double?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    @inlinable @inline(__always)
    public mutating func member(_ name: StaticString, integer value: Int?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    /// `,"name":`
    @inlinable @inline(__always)
    public mutating func key(_ name: StaticString) {
        buffer.append(0x2C)
        buffer.append(0x22)
        raw(name)
        buffer.append(0x22)
        buffer.append(0x3A)
    }

    @inlinable
    public mutating func string(_ s: String) {
        // Native strings lend their UTF-8 in place (no copy, no reference count touched).
        if s.utf8.withContiguousStorageIfAvailable({ string(utf8: $0) }) != nil { return }
        var s = s
        s.withUTF8 { string(utf8: $0) }
    }

    /// A string from its UTF-8 bytes (valid UTF-8: Swift strings and validated event lines).
    public mutating func string(utf8 input: UnsafeBufferPointer<UInt8>) {
        buffer.append(0x22)
        var runStart = 0
        var i = 0
        let n = input.count
        guard let base = input.baseAddress else {
            buffer.append(0x22)
            return
        }
        while i < n {
            // Eight bytes at a time while none needs a look: no control byte, quote, backslash
            // or E2 (the lead of U+2028/2029). Each test is exact for "does any byte…".
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if Self.anyByteBelow0x20(w) || Self.anyByte(w, equalTo: 0x22) || Self.anyByte(w, equalTo: 0x5C)
                    || Self.anyByte(w, equalTo: 0xE2)
                {
                    break
                }
                i += 8
            }
            guard i < n else { break }
            let b = input[i]
            let escape: Bool
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                // U+2028 and U+2029 (E2 80 A8/A9) break JavaScript parsers of JSON lines.
                escape = b == 0xE2 && i + 2 < n && input[i + 1] == 0x80 && (input[i + 2] == 0xA8 || input[i + 2] == 0xA9)
            } else {
                escape = true
            }
            if !escape {
                i += 1
                continue
            }
            if runStart < i { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<i])) }
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0xE2:
                raw(input[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                i += 2
            default:
                raw("\\u00")
                buffer.append(Self.hex[Int(b >> 4)])
                buffer.append(Self.hex[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        if runStart < n { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<n])) }
        buffer.append(0x22)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether a byte of `w` is below 0x20 (`(w - 0x20…) & ~w & 0x80…`, exact for "any").
    @inline(__always)
    static func anyByteBelow0x20(_ w: UInt64) -> Bool { (w &- ones &* 0x20) & ~w & highs != 0 }

    /// Whether a byte of `w` is `b` (a zero byte of `w ^ b…`).
    @inline(__always)
    static func anyByte(_ w: UInt64, equalTo b: UInt8) -> Bool {
        let x = w ^ (ones &* UInt64(b))
        return (x &- ones) & ~x & highs != 0
    }

    /// `["a","b"]`.
    public mutating func strings(_ items: [String]) {
        buffer.append(0x5B)
        for (k, item) in items.enumerated() {
            if k > 0 { buffer.append(0x2C) }
            string(item)
        }
        buffer.append(0x5D)
    }

    public mutating func integer(_ n: Int) {
        if n < 0 {
            buffer.append(0x2D)
            if n == .min {
                rawText(String(n).dropFirst().description)
                return
            }
            integer(-n)
            return
        }
        if n < 10 {
            buffer.append(0x30 + UInt8(n))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { d in
            var count = 0
            var v = n
            while v > 0 {
                d[19 - count] = 0x30 + UInt8(v % 10)
                v /= 10
                count += 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: d[(20 - count)...]))
        }
    }

    public mutating func number(_ d: Double) {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
            integer(Int(d))
        } else if d.isFinite {
            rawText(String(d))
        } else {
            raw("null")
        }
    }

    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): b ? raw("true") : raw("false")
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .array(let items):
            buffer.append(0x5B)
            for (k, item) in items.enumerated() {
                if k > 0 { buffer.append(0x2C) }
                value(item)
            }
            buffer.append(0x5D)
        case .object(let pairs):
            buffer.append(0x7B)
            for (k, pair) in pairs.enumerated() {
                if k > 0 { buffer.append(0x2C) }
                string(pair.0)
                buffer.append(0x3A)
                value(pair.1)
            }
            buffer.append(0x7D)
        }
    }
}
