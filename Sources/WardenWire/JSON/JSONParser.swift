/// A strict JSON parser (RFC 8259) over UTF-8 bytes that reports errors with a column.
///
/// Foundation's JSONSerialization blurs booleans and numbers on Linux and gives poor positions;
/// event input is hostile, so the decoder needs exact types, exact positions and a depth limit.
public struct JSONParser {
    public struct Failure: Error, Sendable, Equatable {
        /// 1-based column in Unicode scalars.
        public var column: Int
        public var message: String
    }

    public static let maxDepth = 64

    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    var depth = 0

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, Failure> = copy.withUTF8 { buffer in
            var parser = JSONParser(b: buffer)
            do throws(Failure) {
                parser.skipSpace()
                let value = try parser.value()
                parser.skipSpace()
                if parser.i < buffer.count { throw parser.fail("unexpected text after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    func fail(_ message: String, at offset: Int? = nil) -> Failure {
        let end = min(offset ?? i, b.count)
        var column = 1
        for k in 0..<end where b[k] & 0xC0 != 0x80 { column += 1 }
        return Failure(column: column, message: message)
    }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    mutating func value() throws(Failure) -> JSONValue {
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character; expected a JSON value")
        }
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        let start = i
        for c in word.utf8 {
            guard i < b.count, b[i] == c else { throw fail("unexpected character; expected a JSON value", at: start) }
            i += 1
        }
        return value
    }

    mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw fail("JSON nested deeper than \(Self.maxDepth) levels") }
    }

    mutating func object() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input") }
            guard b[i] == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
            let key = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            i += 1
            skipSpace()
            let v = try value()
            if pairs.contains(where: { $0.0 == key }) { throw fail("duplicate key \"\(key)\"") }
            pairs.append((key, v))
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input; expected ',' or '}'") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "}") {
                i += 1
                return .object(pairs)
            }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input; expected ',' or ']'") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func number() throws(Failure) -> JSONValue {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int {
            let s = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - s
        }
        let intDigits = digits()
        guard intDigits > 0 else { throw fail("invalid number", at: start) }
        if intDigits > 1, b[start + (b[start] == UInt8(ascii: "-") ? 1 : 0)] == UInt8(ascii: "0") {
            throw fail("numbers do not start with 0", at: start)
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("invalid number: digits expected after '.'", at: start) }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("invalid number: digits expected in the exponent", at: start) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw fail("number out of range", at: start) }
        return .number(value)
    }

    mutating func string() throws(Failure) -> String {
        let start = i
        // Most strings have no escape: one scan, one copy.
        var j = i + 1
        // Eight bytes at a time while none is a quote, a backslash or a control byte (the
        // writer's exact tests), then byte by byte to the one that is.
        if let base = b.baseAddress {
            while j + 8 <= b.count {
                let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                if JSONWriter.anyByteBelow0x20(w) || JSONWriter.anyByte(w, equalTo: 0x22) || JSONWriter.anyByte(w, equalTo: 0x5C) { break }
                j += 8
            }
        }
        while j < b.count, b[j] != UInt8(ascii: "\""), b[j] != UInt8(ascii: "\\"), b[j] >= 0x20 { j += 1 }
        if j < b.count, b[j] == UInt8(ascii: "\"") {
            i = j + 1
            return String(decoding: UnsafeBufferPointer(rebasing: b[(start + 1)..<j]), as: UTF8.self)
        }
        i += 1
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < b.count else { throw fail("unterminated string", at: start) }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i]))
                i += 1
                break
            }
            if c < 0x20 { throw fail("control character in string; escape it") }
            if c == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i]))
                i += 1
                guard i < b.count else { throw fail("unterminated string", at: start) }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("unpaired surrogate in \\u escape")
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(code)!)).utf8))
                default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
                }
                runStart = i
                continue
            }
            i += 1
        }
        // The input came from a Swift String, so it is valid UTF-8.
        return String(decoding: out, as: UTF8.self)
    }

    mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= b.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
