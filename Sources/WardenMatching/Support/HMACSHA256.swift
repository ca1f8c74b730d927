/// HMAC-SHA256 (RFC 2104) over `SHA256`: webhook bodies are signed with it.
package enum HMACSHA256 {
    package static func authenticate(key: some Collection<UInt8>, message: some Sequence<UInt8>) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 64)
        if key.count > 64 {
            var h = SHA256()
            h.update(key)
            let digest = h.finalize()
            block.replaceSubrange(0..<digest.count, with: digest)
        } else {
            block.replaceSubrange(0..<key.count, with: key)
        }
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5C })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    package static func hex(key: some Collection<UInt8>, message: some Sequence<UInt8>) -> String {
        SHA256.hex(bytes: authenticate(key: key, message: message))
    }
}
