extension String {
    /// The text's Unicode scalars as an array, decoded from its UTF-8 in one tight loop:
    /// `Array(text.unicodeScalars)` walks the scalar view generically (about 65 instructions a
    /// scalar under callgrind, this loop 10), and evidence paid that for the whole message on
    /// every event with a hit.
    package var scalarArray: [Unicode.Scalar] {
        if isEmpty { return [] }
        var text = self
        return text.withUTF8 { bytes in
            [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { out, count in
                // Valid UTF-8 (a Swift string), so every decoded value is a scalar; a scalar is
                // stored as its UInt32 value, so the buffer is written as one.
                count = out.withMemoryRebound(to: UInt32.self) { values in
                    var i = 0
                    var n = 0
                    while i < bytes.count {
                        values[n] = KeywordMatcher.nextScalar(bytes, &i)
                        n += 1
                    }
                    return n
                }
            }
        }
    }
}
