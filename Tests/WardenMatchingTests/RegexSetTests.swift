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
        ("ABC", ["abc"]),  // with the i flag, below
    ])
    func requiredLiterals(pattern: String, expected: [String]) {
        let flags = pattern == "ABC" ? "i" : ""
        #expect(RegexLiterals.required(pattern, flags: flags) == Set(expected))
    }

    @Test(arguments: ["a*", "[^x]+", ".+", "(a|)", "\\d+", "a?b?", "(?i)abc", "[a-z\\d]+", "x{0,3}"])
    func noLiteralMeansAlwaysRun(pattern: String) {
        #expect(RegexLiterals.required(pattern) == nil)
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
