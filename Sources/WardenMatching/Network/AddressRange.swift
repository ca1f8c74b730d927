import Glibc

/// An IPv4 or IPv6 address as 128 bits; IPv4 is mapped to `::ffff:a.b.c.d`.
package struct IPAddress: Sendable, Hashable, Comparable {
    package var high: UInt64
    package var low: UInt64

    package init?(_ text: String) {
        // Most addresses are dotted IPv4, read here without a C string; anything else (IPv6, or
        // what this strict reading refuses) goes to inet_pton, which decides.
        var copy = text
        if let v4 = copy.withUTF8({ Self.dottedQuad($0) }) {
            self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(v4))
            return
        }
        if text.utf8.contains(UInt8(ascii: ":")) {
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
            self.init(bytes: v6)
        } else {
            var v4 = in_addr()
            guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
            // s_addr holds the four bytes in network order.
            self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(UInt32(bigEndian: v4.s_addr)))
        }
    }

    /// `a.b.c.d`, each part 0–255 in one to three digits without a leading zero: a strict subset
    /// of what inet_pton(AF_INET) accepts, with the same value; nil for anything else.
    static func dottedQuad(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
            } else {
                let d = UInt32(byte &- UInt8(ascii: "0"))
                guard d < 10, digits < 3, !(digits == 1 && part == 0) else { return nil }
                part = part * 10 + d
                digits += 1
                guard part <= 255 else { return nil }
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    /// From an IPv6 address's 16 bytes in network order.
    init(bytes: in6_addr) {
        var h: UInt64 = 0
        var l: UInt64 = 0
        withUnsafeBytes(of: bytes) { raw in
            for i in 0..<8 { h = h << 8 | UInt64(raw[i]) }
            for i in 8..<16 { l = l << 8 | UInt64(raw[i]) }
        }
        high = h
        low = l
    }

    package static func < (a: IPAddress, b: IPAddress) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// An address range written `203.0.113.0/24` or `2001:db8::/32` (a bare address is a /32 or /128).
package struct AddressRange: Sendable, Hashable {
    package var first: IPAddress
    package var last: IPAddress

    package init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let isV4 = !parts[0].contains(":")
        let maxPrefix = isV4 ? 32 : 128
        var prefix = maxPrefix
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...maxPrefix).contains(p) else { return nil }
            prefix = p
        }
        let bits = (isV4 ? 96 : 0) + prefix
        let (hMask, lMask) = Self.mask(bits)
        first = IPAddress(high: address.high & hMask, low: address.low & lMask)
        last = IPAddress(high: first.high | ~hMask, low: first.low | ~lMask)
    }

    package func contains(_ address: IPAddress) -> Bool { first <= address && address <= last }

    static func mask(_ bits: Int) -> (UInt64, UInt64) {
        let h: UInt64 = bits >= 64 ? ~0 : (bits == 0 ? 0 : ~0 << UInt64(64 - bits))
        let l: UInt64 = bits <= 64 ? 0 : (bits >= 128 ? ~0 : ~0 << UInt64(128 - bits))
        return (h, l)
    }
}

extension IPAddress {
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}

extension IPAddress {
    /// Whether this is an IPv4 address (stored mapped as ::ffff:a.b.c.d).
    package var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// The network of this address with `prefix` bits, written `203.0.113.0/24` or `2001:db8::/32`;
    /// nil when the prefix is out of range for the address family.
    package func network(prefix: Int) -> String? {
        let v4 = isIPv4
        guard prefix >= 0, prefix <= (v4 ? 32 : 128) else { return nil }
        let (h, l) = AddressRange.mask((v4 ? 96 : 0) + prefix)
        let masked = IPAddress(high: high & h, low: low & l)
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: masked.high >> UInt64(56 - 8 * i)) }
        for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: masked.low >> UInt64(56 - 8 * i)) }
        if v4 { return "\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])/\(prefix)" }
        var text = [CChar](repeating: 0, count: 64)
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { for i in 0..<16 { $0[i] = bytes[i] } }
        guard inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil else { return nil }
        return String(cString: text) + "/\(prefix)"
    }
}
