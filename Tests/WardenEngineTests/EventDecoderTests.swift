import Foundation
import Testing
import WardenLanguage
import WardenMatching

@testable import WardenEngine
@testable import WardenWire

@Suite struct EventDecoderTests {
    let decoder = EventDecoder()

    /// Both decoding paths know the keys of the language's table, no more and no fewer.
    @Test func theDecoderKnowsTheTablesKeys() {
        #expect(Set(EventDecoder.FastKey.allCases.map(\.name)) == Vocabulary.eventKeys)
        #expect(EventDecoder.keys == Vocabulary.eventKeys)
    }

    /// Epoch milliseconds (Java's default) were refused as out of range: a number that can only
    /// be milliseconds is read as them, by both decoding paths; beyond them it is still refused.
    /// The fast decoder names a key by one word compare: every key's own bytes give it, and a
    /// key one byte away from it (longer, shorter, a byte changed) gives nothing.
    @Test func theFastDecoderNamesEveryKeyAndNothingElse() {
        func named(_ text: String) -> EventDecoder.FastKey? {
            Array(text.utf8).withUnsafeBufferPointer { EventDecoder.fastKey($0) }
        }
        for key in EventDecoder.FastKey.allCases {
            #expect(named(key.name) == key)
            #expect(named(key.name + "s") == nil && named(String(key.name.dropLast())) == nil, "\(key)")
            #expect(named(key.name.uppercased()) == nil && named(" " + key.name) == nil, "\(key)")
        }
        #expect(named("") == nil && named("accounts") == nil && named("inviters") == nil && named("message") == nil)
    }

    @Test func epochMillisecondsAreReadAsMilliseconds() throws {
        func ts(_ n: String) throws -> Double? {
            let line = #"{"id":"m","type":"send","account":"a","to":["b"],"text":"hi","ts":\#(n)}"#
            let fast = try decoder.decode(bytes: Array(line.utf8)[...]).event.ts
            let full = try decoder.decode(try JSONParser.parse(line) as JSONValue).event.ts
            #expect(fast == full)
            return full
        }
        #expect(try ts("1767225600") == 1_767_225_600)
        #expect(try ts("1767225600123") == 1_767_225_600.123)
        #expect(try ts("99999999999") == 99_999_999_999)
        #expect(try ts("100000000000") == 100_000_000)
        #expect(throws: EventError.self) { try ts("1767225600123000") }
        #expect(throws: EventError.self) { try ts("-1") }
    }

    @Test func decodesEveryField() throws {
        let line =
            #"{"id":"m1","type":"send","ts":"2026-11-26T09:00:00+08:00","account":"u1","tier":"personal","channel":"wework","ip":"2001:db8::1","device":"d","to":["a","b"],"text":"hi","code":"AB12CD34","ttl":"72h","inviter":"u0","attrs":{"vip":true,"age":3,"src":"x"}}"#
        let e = try decoder.decode(line: line).event
        #expect(e.ts == 1_795_654_800)
        #expect(e.to == ["a", "b"])
        #expect(e.ttl == 259_200)
        #expect(e.attrs == ["vip": .bool(true), "age": .number(3), "src": .string("x")])
    }

    @Test(arguments: [
        ("{\"id\":\"m\",", "f.jsonl:3:11: not valid JSON: unexpected end of input"),
        ("[1]", "f.jsonl:3: an event is a JSON object, not an array"),
        (#"{"id":"m","type":"send","to":["a"],"text":"x"}"#, "f.jsonl:3: key 'account': missing required key"),
        (#"{"id":"m","type":"sned","account":"a"}"#, "f.jsonl:3: key 'type': unknown event type \"sned\" (send, issue or redeem)"),
        (
            #"{"id":"m","type":"send","account":"a","to":"b","text":"x"}"#,
            "f.jsonl:3: key 'to': expected an array of strings, found a string"
        ),
        (
            #"{"id":"m","type":"send","account":"a","to":["b",2],"text":"x"}"#,
            "f.jsonl:3: key 'to': element 1 is a number, expected a string"
        ),
        (
            #"{"id":"m","type":"issue","account":"a","code":"C","ts":"yesterday"}"#,
            "f.jsonl:3: key 'ts': \"yesterday\" is not an RFC 3339 time such as \"2026-11-26T09:30:00Z\""
        ),
        (
            #"{"id":"m","type":"issue","account":"a","code":"C","ts":"2026-02-30T00:00:00Z"}"#,
            "f.jsonl:3: key 'ts': \"2026-02-30T00:00:00Z\" is not an RFC 3339 time such as \"2026-11-26T09:30:00Z\""
        ),
        (
            #"{"id":"m","type":"issue","account":"a","code":"C","ip":"999.1.1.1"}"#,
            "f.jsonl:3: key 'ip': \"999.1.1.1\" is not an IPv4 or IPv6 address"
        ),
        (#"{"id":"m","type":"issue","account":"a"}"#, "f.jsonl:3: key 'code': missing required key (an issue carries the invite code)"),
        (
            #"{"id":"m","type":"issue","account":"a","code":"C","attrs":{"x":[1]}}"#,
            "f.jsonl:3: key 'attrs.x': attrs hold strings, numbers and booleans, not an array"
        ),
        (#"{"id":"m","id":"n"}"#, "f.jsonl:3:19: not valid JSON: duplicate key \"id\""),
    ])
    func badInputNamesTheLineAndKey(line: String, message: String) {
        #expect(throws: EventError.self) { try decoder.decode(line: line, file: "f.jsonl", line: 3) }
        do {
            _ = try decoder.decode(line: line, file: "f.jsonl", line: 3)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func unknownKeysAreCountedOrRefused() throws {
        let line = #"{"id":"m","type":"issue","account":"a","code":"C","colour":"red"}"#
        #expect(try decoder.decode(line: line).unknownKeys == ["colour"])
        #expect(throws: EventError.self) { try EventDecoder(strict: true).decode(line: line) }
    }

    /// Strings are scanned eight bytes at a time: an escape, a quote or a control byte is found
    /// at every offset from the string's start, in ASCII and in Chinese.
    @Test func stringsAreReadWhereverTheirEscapesFall() throws {
        for filler in ["a", "刷"] {
            for k in 0..<40 {
                let head = String(repeating: filler, count: k)
                let tail = String(repeating: filler, count: 17)
                for (escaped, value) in [(#"\""#, "\""), (#"\\"#, "\\"), (#"\n"#, "\n"), (#"\u4e2d"#, "中")] {
                    let parsed = try JSONParser.parse("\"" + head + escaped + tail + "\"")
                    #expect(parsed == .string(head + value + tail), "\(filler) \(k) \(escaped)")
                }
                #expect(try JSONParser.parse("\"" + head + "\"") == .string(head))
                #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("\"" + head + "\u{01}" + tail + "\"") }
                #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("\"" + head + tail) }
            }
        }
    }

    @Test func jsonDepthIsLimited() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }
}

@Suite struct TimestampTests {
    @Test func parsesAndFormats() {
        #expect(Timestamp.parse("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.parse("2026-01-01T08:00:00+08:00") == 1_767_225_600)
        #expect(Timestamp.parse("2026-01-01T00:00:00.5Z") == 1_767_225_600.5)
        #expect(Timestamp.parse("2026-01-01T00:00:00") == nil)
        #expect(Timestamp.format(1_767_225_600) == "2026-01-01T00:00:00Z")
        #expect(Timestamp.format(951_782_400) == "2000-02-29T00:00:00Z")
        // A fraction that rounds up to the next second carries into it (it printed ".000" of
        // the second before), and what is printed reads back to the same millisecond.
        #expect(Timestamp.format(1_767_225_599.9996) == "2026-01-01T00:00:00Z")
        #expect(Timestamp.format(1_767_225_600.0004) == "2026-01-01T00:00:00Z")
        #expect(Timestamp.format(1_767_225_600.25) == "2026-01-01T00:00:00.250Z")
        #expect(Timestamp.format(-0.5) == "1969-12-31T23:59:59.500Z")
        for t in stride(from: 1_767_225_599.0, to: 1_767_225_601.0, by: 0.0001) {
            let text = Timestamp.format(t)
            #expect(Timestamp.format(Timestamp.parse(text)!) == text, "\(t)")
        }
        #expect(Timestamp.parseDuration("72h") == 259_200)
        #expect(Timestamp.parseDuration("-1h") == nil)
    }
}

@Suite struct SHA256Tests {
    @Test func fipsVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// RFC 4231's test cases 1, 2 and 6 (a key longer than a block).
    @Test func hmacVectors() {
        #expect(
            HMACSHA256.hex(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            HMACSHA256.hex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            HMACSHA256.hex(
                key: [UInt8](repeating: 0xAA, count: 131), message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}

/// The fast decoder accepts only what the full decoder accepts, and builds the same event.
@Suite struct FastDecoderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let crafted: [String] = [
        #"{"id":"a","type":"send","account":"u","to":["x","y"],"text":"hi","ts":1767225600}"#,
        #" { "id" : "a" , "type" : "send" , "account" : "u" , "to" : [ "x" ] , "text" : "h\"i\n\u4e2d\ud83d\ude00" } "#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","extra":{"deep":[1,2,{"k":null}]},"more":true}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","attrs":{"n":1.5,"s":"v","b":false,"z":null}}"#,
        #"{"id":"a","type":"issue","account":"u","code":"AB12CD34","ttl":"72h","tier":"personal","ip":"2001:db8::1","ts":"2026-11-26T09:30:00+08:00"}"#,
        #"{"id":"a","type":"redeem","account":"u","code":"C","inviter":null,"channel":"wework","device":"d1"}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","id":"b"}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","x":1,"x":2}"#,
        #"{"id":"a","type":"send","account":"u","to":"x","text":"hi"}"#,
        #"{"id":"a","type":"send","account":"u","text":"hi"}"#,
        #"{"id":"","type":"send","account":"u","to":["x"],"text":"hi"}"#,
        #"{"id":"a","type":"spam","account":"u","to":["x"],"text":"hi"}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","tier":"gold"}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","ip":"300.1.1.1"}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","ts":-1}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","ts":"yesterday"}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","attrs":{"o":{}}}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi"} trailing"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi",}"#,
        #"{"\u0069d":"a","type":"send","account":"u","to":["x"],"text":"hi"}"#,
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","n":01}"#,
        #"[1,2]"#,
        #"{}"#,
        String(repeating: "[", count: 70),
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","deep":"# + String(repeating: "[", count: 63)
            + String(repeating: "]", count: 63) + "}",
        #"{"id":"a","type":"send","account":"u","to":["x"],"text":"hi","deep":"# + String(repeating: "[", count: 64)
            + String(repeating: "]", count: 64) + "}",
    ]

    func outcome(_ result: () throws(EventError) -> EventDecoder.Decoded) -> String {
        do {
            let d = try result()
            return Self.describe(d)
        } catch {
            return "error \(error.description)"
        }
    }

    /// An outcome as text, attributes in key order (a dictionary's own order depends on how it
    /// was filled, and differed between the two decoders now and then).
    static func describe(_ d: EventDecoder.Decoded) -> String {
        var event = d.event
        let attrs = event.attrs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        event.attrs = [:]
        return "ok \(event) attrs \(attrs) \(d.unknownKeys)"
    }

    @Test func sameEventsAndSameErrorsAsTheFullDecoder() throws {
        let samples = try String(contentsOf: Self.root.appendingPathComponent("samples/events-10k.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(3000).map(String.init)
        for decoder in [EventDecoder(), EventDecoder(strict: true), EventDecoder(requireTimestamp: true)] {
            var fastCount = 0
            for line in Self.crafted + samples {
                let bytes = Array(line.utf8)
                let full = outcome { () throws(EventError) in try decoder.decode(line: line, file: "f", line: 1) }
                let viaBytes = outcome { () throws(EventError) in try decoder.decode(bytes: bytes, file: "f", line: 1) }
                #expect(full == viaBytes, "\(line)")
                if let fast = bytes.withUnsafeBufferPointer({ decoder.decodeFast($0) }) {
                    fastCount += 1
                    #expect(full == Self.describe(fast), "\(line)")
                }
            }
            // The fast path is the common path, not a corner.
            #expect(fastCount >= 3000, "\(fastCount)")
        }
    }
}

/// The JSON writer skips eight bytes at a time past text that needs no escape: on random
/// strings of pieces that do and do not (quotes, backslashes, control characters, U+2028/2029,
/// other characters led by E2, CJK, emoji), what it writes parses back to the string, with no
/// raw control character or line separator in it.
@Test func jsonWriterEscapesWhatItMustAndNothingElse() throws {
    var rng = SplitMix(seed: 2028)
    let pieces = [
        "abcdefghijk", "刷单日赚三百元", "\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{2028}", "\u{2029}", "…", "①", "\u{2027}", "🎁", " ", "/",
    ]
    for _ in 0..<3_000 {
        let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
        let quoted = JSONWriter.quote(text)
        #expect(try JSONParser.parse(quoted) == .string(text), "\(text.debugDescription)")
        #expect(!quoted.utf8.contains { $0 < 0x20 } && !quoted.contains("\u{2028}") && !quoted.contains("\u{2029}"), "\(quoted)")
    }
}
