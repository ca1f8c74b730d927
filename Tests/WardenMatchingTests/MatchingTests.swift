import Glibc
import Testing

@testable import WardenMatching

@Suite struct NormalizerTests {
    @Test func widthCaseInvisibleNoiseAndRepeatsWithOffsets() {
        let folded = Normalizer(options: FoldOptions.all.textFolds).fold("ＡＢ\u{200B}c 加加微-信")
        #expect(folded.string == "abc加微信")
        // 加 (folded byte 3) came from scalar 5; its repeat widened the span to 5..<7.
        #expect(folded.originalSpan(of: 3..<6) == 5..<7)
        // 信 came from scalar 9 (after the dash at 8).
        #expect(folded.originalSpan(of: 9..<12) == 9..<10)
    }

    @Test func digitsNeverCollapseAndEmptyFoldsKeepText() {
        #expect(Normalizer(options: FoldOptions.all.textFolds).fold("1100元元").string == "1100元")
        #expect(Normalizer(options: []).fold("ＡＢ c").string == "ＡＢ c")
    }

    /// The folded text alone is the offset-mapped fold's text, including folds that grow the
    /// text past any first guess of its size (㍻ is 3 bytes, 平成 6; ﷺ is one scalar, 18 after).
    @Test(arguments: ["", "abc", "加微信", "é ß ñ", "👍🏽🇨🇳", "a\u{0}b\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}", "兼職刷單 VX:abc123 🌟"])
    func scalarArrayDecodesEveryWidth(_ text: String) {
        #expect(text.scalarArray == Array(text.unicodeScalars))
    }

    @Test func foldedStringAgreesWithFold() {
        let normalizer = Normalizer(options: FoldOptions.all.textFolds)
        for text in [
            "", "ＡＢ\u{200B}c 加加微-信", "1100元元", String(repeating: "㍻x", count: 300), String(repeating: "\u{FDFA}", count: 50), "e\u{301}🌟ﬁ",
        ] {
            #expect(normalizer.foldedString(text) == normalizer.fold(text).string)
        }
        #expect(normalizer.foldedString(String(repeating: "㍻", count: 2)).utf8.count > 6)
    }
}

@Suite struct KeywordMatcherTests {
    @Test func spansPointAtTheOriginalCharacters() {
        let matcher = KeywordMatcher(lists: [KeywordList(name: "w", entries: ["加微信", "刷单"])])
        let hits = matcher.scan("来 加🌟微-信 兼职刷单")[0]
        #expect(hits.map(\.entry) == [0, 1])
        #expect(hits.map(\.span) == [2..<7, 10..<12])
    }

    @Test func exceptDropsHitsCoveredByTheAllowList() {
        let matcher = KeywordMatcher(lists: [
            KeywordList(name: "safe", entries: ["微信红包封面"]),
            KeywordList(name: "reward", entries: ["红包"], except: 0),
        ])
        #expect(matcher.scan("微信红包封面")[1].isEmpty)
        #expect(matcher.scan("微信红包封面, 还有红包")[1].map(\.span) == [10..<12])
    }

    @Test func aWarningCancelsTheHitsOfItsOwnClauseOnly() {
        let matcher = KeywordMatcher(lists: [
            KeywordList(name: "warnings", entries: ["谨防", "都是骗子"]),
            KeywordList(name: "fraud", entries: ["刷单", "转账"], warnedBy: 0),
        ])
        #expect(matcher.scan("提醒：谨防刷单")[1].isEmpty)  // the tip warns in its own clause
        // A colon ends a heading: a warning's title over a pitch does not cancel the pitch.
        #expect(matcher.scan("谨防小贴士：兼职刷单")[1].map(\.span) == [8..<10])
        #expect(matcher.scan("要你转账的都是骗子")[1].isEmpty)
        // Another clause, after a full stop or a comma, keeps its hits.
        #expect(matcher.scan("谨防受骗。兼职刷单")[1].map(\.span) == [7..<9])
        #expect(matcher.scan("谨防受骗，兼职刷单")[1].map(\.span) == [7..<9])
        #expect(matcher.scan("兼职刷单\n谨防受骗")[1].map(\.span) == [2..<4])
        // Without a warning nothing changes.
        #expect(matcher.scan("兼职刷单，先转账")[1].count == 2)
    }

    @Test func asciiBoundary() {
        let on = KeywordMatcher(lists: [KeywordList(name: "w", entries: ["sex"])])
        #expect(on.scan("essex county")[0].isEmpty)
        #expect(on.scan("my SEX.")[0].count == 1)
        #expect(on.scan("性sex性")[0].count == 1)
        let off = KeywordMatcher(lists: [KeywordList(name: "w", entries: ["sex"], folds: FoldOptions.all.subtracting(.boundary))])
        #expect(off.scan("essex")[0].count == 1)
    }

    @Test func emptyFoldsMatchExactly() {
        let matcher = KeywordMatcher(lists: [KeywordList(name: "w", entries: ["AB"], folds: [])])
        #expect(matcher.scan("ab AB")[0].map(\.span) == [3..<5])
    }
}

@Suite struct RegexTests {
    @Test func matchesWithScalarSpans() throws {
        let regex = try CompiledRegex("\\p{Han}+(?=在)")
        #expect(try regex.firstMatch(in: "用户张三在深圳") == 0..<4)
        #expect(try CompiledRegex("\\d+").firstMatch(in: "价格５０００元") == 2..<6)
        #expect(try CompiledRegex("abc", flags: "i").firstMatch(in: "xABC") == 1..<4)
    }

    @Test func compileErrorsCarryTheOffset() {
        #expect(throws: RegexError.self) { try CompiledRegex("(unclosed") }
        do {
            _ = try CompiledRegex("ab(c")
        } catch {
            #expect(error.patternOffset == 4)
            #expect(error.message == "missing closing parenthesis")
        }
    }

    @Test func catastrophicBacktrackingHitsTheLimitQuickly() throws {
        let regex = try CompiledRegex("(a+)+$", matchLimit: 10_000)
        let subject = String(repeating: "a", count: 40) + "!"
        #expect(throws: RegexError.self) { try regex.firstMatch(in: subject) }
    }
}

@Suite struct AddressRangeTests {
    /// Dotted IPv4 is read without inet_pton; what it reads must be what inet_pton reads, and
    /// what it refuses must still be what inet_pton decides. Random dotted strings with the
    /// usual mistakes (leading zeros, parts over 255, four digits, missing or extra parts,
    /// signs, spaces) against inet_pton itself.
    @Test func ipv4ReadsAsInetPtonDoes() {
        var rng = SystemRandomNumberGenerator()
        let pieces = [
            "0", "00", "01", "1", "9", "10", "99", "100", "199", "255", "256", "300", "999", "0255", "1000", "", " 1", "+1", "-1", "1a",
            "x",
        ]
        func reference(_ text: String) -> IPAddress? {
            var v4 = in_addr()
            if inet_pton(AF_INET, text, &v4) == 1 {
                return IPAddress(high: 0, low: 0xFFFF_0000_0000 | UInt64(UInt32(bigEndian: v4.s_addr)))
            }
            var v6 = in6_addr()
            return inet_pton(AF_INET6, text, &v6) == 1 ? IPAddress(bytes: v6) : nil
        }
        var accepted = 0
        for _ in 0..<20_000 {
            let count = Bool.random(using: &rng) ? 4 : Int.random(in: 1...6, using: &rng)
            let valid = pieces.filter { !$0.isEmpty && $0.allSatisfy(\.isNumber) && ($0 == "0" || !$0.hasPrefix("0")) && Int($0)! <= 255 }
            var text = (0..<count).map { _ in (Bool.random(using: &rng) ? valid : pieces).randomElement(using: &rng)! }.joined(
                separator: ".")
            if Int.random(in: 0..<20, using: &rng) == 0 { text += "." }
            let parsed = IPAddress(text)
            #expect(parsed == reference(text), "\(text)")
            if parsed != nil { accepted += 1 }
        }
        #expect(accepted > 1000, "the random strings hold valid addresses too")
        #expect(IPAddress("192.168.1.255") == IPAddress(high: 0, low: 0xFFFF_C0A8_01FF))
        #expect(IPAddress("::ffff:192.168.1.255") == IPAddress("192.168.1.255"))
    }

    @Test func ipv4AndIpv6Ranges() {
        let v4 = AddressRange("203.0.113.0/24")!
        #expect(v4.contains(IPAddress("203.0.113.200")!))
        #expect(!v4.contains(IPAddress("203.0.114.1")!))
        let v6 = AddressRange("2001:db8::/32")!
        #expect(v6.contains(IPAddress("2001:db8:1::5")!))
        #expect(!v6.contains(IPAddress("2001:db9::1")!))
        #expect(!v6.contains(IPAddress("203.0.113.1")!))
        #expect(AddressRange("10.0.0.1")!.contains(IPAddress("10.0.0.1")!))
        #expect(AddressRange("10.0.0.0/33") == nil)
        #expect(AddressRange("nonsense") == nil)
        #expect(AddressRange("0.0.0.0/0")!.contains(IPAddress("8.8.8.8")!))
    }

    @Test func addressesAreParsedToTheirBits() {
        let v4 = IPAddress("1.2.3.254")!
        #expect(v4.high == 0 && v4.low == 0xFFFF_0102_03FE)
        #expect(v4.isIPv4)
        let v6 = IPAddress("2001:db8::ff")!
        #expect(v6.high == 0x2001_0DB8_0000_0000 && v6.low == 0xFF)
        #expect(!v6.isIPv4)
        for bad in ["1.2.3", "1.2.3.256", "1.2.3.4.5", "", "::g", "1.2.3.4 "] { #expect(IPAddress(bad) == nil, "\(bad)") }
        #expect(v4.network(prefix: 24) == "1.2.3.0/24")
        #expect(v6.network(prefix: 32) == "2001:db8::/32")
        #expect(v4.network(prefix: 33) == nil)
    }
}
