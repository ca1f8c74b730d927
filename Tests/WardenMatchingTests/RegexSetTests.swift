import Foundation
import Testing

@testable import WardenMatching

@Suite struct RegexLiteralsTests {
    @Test(arguments: [
        ("刷单", ["刷单"]),
        ("(?:电话|手机)[：: ]{0,3}[0-9]{7,12}", ["电话", "手机"]),
        ("https?://[^ ]+", ["http://", "https://"]),
        ("[0-9]+(?:\\.[0-9]+)?[%％]", ["%", "％"]),
        ("安全(?:账户|帐户)", ["安全账户", "安全帐户"]),
        ("[xX]{3}", ["xxx", "xxX", "xXx", "xXX", "Xxx", "XxX", "XXx", "XXX"]),
        ("a\\.b", ["a.b"]),
        ("[\\x{200B}-\\x{200D}\\x{FEFF}]", ["\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}"]),
        ("[\\x41\\x42]c", ["Ac", "Bc"]),
        ("ABC", ["abc"]),  // with the i flag, below
    ])
    func requiredLiterals(pattern: String, expected: [String]) {
        let flags = pattern == "ABC" ? "i" : ""
        #expect(RegexLiterals.requirements(pattern, flags: flags).first == Set(expected))
    }

    /// Every match contains one string of each set; sets across concatenations join the end
    /// of one piece to the start of the next.
    @Test func severalRequiredSetsAndCrossings() {
        let proxy = RegexLiterals.requirements("(?:加|\\+)[^\\n]{0,3}(?:薇|V)")
        #expect(proxy.contains(["加", "+"]) && proxy.contains(["薇", "V"]))
        let ip = RegexLiterals.requirements("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")
        #expect(ip.first == Set((0...9).flatMap { a in (0...9).map { b in "\(a).\(b)" } }))
        let phone = RegexLiterals.requirements("0[0-9]{2,3}-[0-9]{7,8}")
        #expect(phone.allSatisfy { set in set.allSatisfy { $0.count >= 3 } })
        #expect(phone.contains { set in set.contains("0-12") && set.allSatisfy { $0.contains("-") } })
        // Seven in a row of a 19-member class: pairs are required, not single members.
        let numerals = RegexLiterals.requirements("[零一二三四五六七八九壹贰叁肆伍陆柒捌玖]{7,}")
        #expect(numerals.first?.count == 361 && numerals.first?.contains("一二") == true)
        #expect(RegexLiterals.requirements("a.*b") == [["a"], ["b"]] || RegexLiterals.requirements("a.*b") == [["b"], ["a"]])
        let either = RegexLiterals.requirements("(?:ab|c.*d)")
        #expect(either.count == 2 && either.contains(["ab", "c"]) && either.contains(["ab", "d"]))
    }

    @Test(arguments: ["a*", "[^x]+", ".+", "(a|)", "\\d+", "a?b?", "(?i)abc", "[a-z\\d]+", "x{0,3}"])
    func noLiteralMeansAlwaysRun(pattern: String) {
        #expect(RegexLiterals.requirements(pattern).first == nil)
    }
}

@Suite struct RegexSetTests {
    static let patterns: [String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/regexes.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }()

    static let pieces = [
        "加微信", "vx", "VX:", "abc123", "13812345678", "138 1234 5678", "电话：", "010-12345678", "http://", "t.cn/", "abc.com",
        "¥", "50元", "3.5%", "日赚", "返现", "刷单", "兼职", "在家", "贷款", "额度", "中奖", "领取", "安全账户", "验证码", "发给",
        "回复TD退订", "【", "】", "!!!", "？？？", "①②③", "一二三四五六七八", "ＡＢＣ", "１２３４５", "微-信", "v-x", "邀请码：", "K8M2PQ7X",
        " ", "，", "。", "好", "的", "\t", "x", "X", "0", "9",
    ]

    @Test func prefilteredResultsEqualTryingEveryPattern() throws {
        #expect(Self.patterns.count == 103)
        let set = try RegexSet(patterns: Self.patterns.map { ($0, "") })
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 1...12, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            var copy = text
            let brute: [Int] = copy.withUTF8 { buffer in
                set.regexes.indices.filter { (try? set.regexes[$0].firstMatch(inUTF8: buffer)) != nil }
            }
            #expect(set.matching(text).matches == brute, "\(text)")
        }
    }
}

extension RegexSetTests {
    /// PCRE2's caseless matching treats ſ like s, K (Kelvin) like k and ς like σ; the caseless
    /// prefilter must not skip a pattern on such a text.
    @Test func caselessPrefilterKeepsUnicodeCaseEquivalents() throws {
        let set = try RegexSet(patterns: [("sex", "i"), ("kk", "i"), ("σοφία", "i"), ("sex", "")])
        for text in ["ſex", "SEX", "\u{212A}K", "ΣΟΦΊΑ", "ςοφία"] {
            var copy = text
            let brute: [Int] = copy.withUTF8 { buffer in
                set.regexes.indices.filter { (try? set.regexes[$0].firstMatch(inUTF8: buffer)) != nil }
            }
            #expect(!brute.isEmpty, "\(text)")
            #expect(set.matching(text).matches == brute, "\(text)")
        }
    }
}

extension RegexSetTests {
    /// Syntax the literal analysis must not misread as literals (verbs, named groups, control,
    /// hex and octal escapes, back references, quoting, POSIX classes, loose braces): each
    /// pattern must still be run on a text it matches. The first came from FuzzRegex.
    @Test(arguments: [
        ("(*:日赚|日入)[^\\n]{0,4}[0-9]+", ["工资123"]),
        ("(*ACCEPT)abc", ["x"]),
        ("a(?<n>x)b", ["axb"]), ("a(?'n'x)b", ["axb"]), ("(?P<name>ab)cd", ["abcd"]),
        ("\\cAB", ["\u{1}B"]), ("\\x41B", ["AB"]), ("\\101B", ["AB"]), ("(a)\\1b", ["aab"]),
        ("\\Qa|b\\E", ["a|b"]), ("[[:alpha:]]]", ["x]"]), ("[\\c]]z", ["\u{1D}z"]), ("[\\x5d]z", ["]z"]),
        ("x{ 2 }y", ["xxy", "x{ 2 }y"]), ("a{,2}b", ["b", "a{,2}b"]), ("(?=[(])\\(x", ["(x"]),
        ("(?<=[)])x", [")x"]), ("q\\Ku", ["qu"]),
    ])
    func unusualSyntaxStillRuns(pattern: String, texts: [String]) throws {
        guard (try? CompiledRegex(pattern)) != nil else { return }  // not PCRE2 syntax here
        let set = try RegexSet(patterns: [(pattern, "")])
        for text in texts {
            var copy = text
            let brute = copy.withUTF8 { (try? set.regexes[0].firstMatch(inUTF8: $0)) != nil }
            #expect(set.matching(text).matches == (brute ? [0] : []), "\(pattern) on \(text.debugDescription)")
        }
    }
}

@Suite struct ByteAutomatonTests {
    /// Presence of each literal set, against `String.contains` on random texts over a small
    /// alphabet (so that literals overlap, nest and share prefixes), Chinese and ASCII mixed.
    @Test func presenceEqualsNaiveSearch() throws {
        let alphabet = ["a", "b", "ab", "刷", "单", "刷单", "1", "0", "。", "微", "信"]
        var rng = Xorshift(7)
        for round in 0..<300 {
            let sets: [[String]] = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                    (0..<Int.random(in: 1...4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                }
            }
            let automaton = try #require(ByteAutomaton(sets: sets))
            for _ in 0..<20 {
                let text = (0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                var present = [Bool](repeating: false, count: sets.count)
                var copy = text
                var newly = [Int32](repeating: -1, count: sets.count)
                let n = copy.withUTF8 { buffer in
                    present.withUnsafeMutableBufferPointer { p in
                        newly.withUnsafeMutableBufferPointer { automaton.markPresent(buffer, p, newly: $0.baseAddress!) }
                    }
                }
                #expect(
                    Set(newly.prefix(n)) == Set(present.indices.filter { present[$0] }.map(Int32.init)) && n == present.filter { $0 }.count)
                let naive = sets.map { set in
                    set.contains { text.utf8.count >= $0.utf8.count && Array(text.utf8).firstRange(of: Array($0.utf8)) != nil }
                }
                #expect(present == naive, "round \(round): \(sets) in \(text)")
            }
        }
    }

    @Test func tooLargeAutomatonIsRefusedAndTheMatcherTakesOver() throws {
        let words = (0..<2000).map { String(format: "w%07d", $0 * 7919) }
        // At least 2,000 leaves and 12 classes ('w', ten digits, the rest).
        #expect(ByteAutomaton(sets: [words], maxEntries: 2000 * 12) == nil)
        #expect(ByteAutomaton(sets: [words]) != nil)
        let patterns = RegexSetTests.patterns.map { ($0, "") }
        let dense = try RegexSet(patterns: patterns)
        let fallback = try RegexSet(patterns: patterns, byteAutomatonLimit: 0)
        #expect(dense.prefilter.bytes != nil && fallback.prefilter.bytes == nil)
        for text in RegexSetTests.pieces + ["加微信13812345678", "010-12345678 兼职在家日赚300元", "一二三四五六七八", "！！！？？？"] {
            #expect(dense.matching(text).matches == fallback.matching(text).matches, "\(text)")
        }
    }
}

extension RegexSetTests {
    /// Caseless literals are spelled out in every case for the prefilter's byte automaton: on
    /// random literals and texts of letters with unusual case partners (ſ, K, İ, ı, ς, ẞ, a
    /// decomposed é), the prefilter says a literal is there exactly when the folding matcher
    /// finds it.
    @Test func caselessSpellingsFindWhatTheFoldingMatcherFinds() {
        let pieces = [
            "s", "S", "ſ", "k", "K", "\u{212A}", "i", "I", "İ", "ı", "σ", "ς", "Σ", "a", "é", "É", "e\u{301}", "ß", "ẞ", "微", "x",
            "\u{307}",
        ]
        var rng = SystemRandomNumberGenerator()
        var spelled = 0
        for _ in 0..<300 {
            let literal = (0..<Int.random(in: 1...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let prefilter = RegexPrefilter(patterns: [(literal, "i")])  // letters only: the literal is its own pattern
            guard prefilter.unguarded.isEmpty, let list = prefilter.lists.first else { continue }
            if !prefilter.byteLists.isEmpty { spelled += 1 }
            let matcher = KeywordMatcher(lists: [KeywordList(name: "l", entries: list.entries, folds: [.caseFold])])
            for _ in 0..<40 {
                let text = (0..<Int.random(in: 1...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                #expect(prefilter.candidates(in: text)[0] == matcher.listsPresent(in: text)[0], "\(literal) in \(text)")
            }
        }
        #expect(spelled > 200)  // most literals are spelled out, not left to the matcher
        #expect(CaselessSpellings.spellings(of: ["vx"])?.sorted() == ["VX", "Vx", "vX", "vx"])
        #expect(CaselessSpellings.spellings(of: ["sk"])?.count == 9)  // s S ſ × k K K
    }
}

extension RegexSetTests {
    /// Spelled out, the caseless literals would make the byte automaton too large: they go back
    /// to the folding matcher, and the exact ones stay in the automaton.
    @Test func caselessSpellingsGiveWayWhenTheAutomatonWouldBeTooLarge() {
        let patterns = [("刷单", ""), ("sksksksk", "i")]  // 256 spellings (s ſ, k K)
        let roomy = RegexPrefilter(patterns: patterns, byteAutomatonLimit: ByteAutomaton.maxEntries)
        let tight = RegexPrefilter(patterns: patterns, byteAutomatonLimit: 500)
        #expect(roomy.byteLists == [0, 1] && roomy.matcherLists.isEmpty)
        #expect(tight.bytes != nil && tight.byteLists == [0] && tight.matcherLists == [1])
        for text in ["刷单", "SKSKSKSK", "ſKsKſksk 刷单", "sksksks"] {
            #expect(tight.candidates(in: text) == roomy.candidates(in: text), "\(text)")
        }
    }
}

extension RegexSetTests {
    /// With caseless literals in it, the byte automaton folds ASCII case for every literal: an
    /// exact literal with a capital then lets other cases try its regex, which still decides.
    @Test func anExactLiteralBesideCaselessOnesStillMatchesExactly() throws {
        let set = try RegexSet(patterns: [("VIP会员", ""), ("vx", "i")])
        #expect(set.prefilter.matcherLists.isEmpty)  // both in the byte automaton
        #expect(set.matching("vip会员 VX").matches == [1])
        #expect(set.matching("VIP会员").matches == [0])
        #expect(set.prefilter.candidates(in: "vip会员") == [true, false])  // a candidate, not a match
    }
}
