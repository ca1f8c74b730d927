import Foundation
import Testing

@testable import WardenLanguage

/// Issue 21: logic mistakes that used to pass lint silently.
@Suite struct LogicLintTests {
    func check(_ text: String, header: String = "ruleset t") -> [Diagnostic] {
        var syntax = RuleSetSyntax()
        let parse = Parser.parse(SourceFile(path: "t.rules", text: header + "\n" + text), into: &syntax)
        #expect(parse.isEmpty, "\(parse)")
        return Checker.check(syntax)
    }

    func messages(_ text: String, header: String = "ruleset t", _ severity: Diagnostic.Severity) -> [String] {
        check(text, header: header).filter { $0.severity == severity }.map(\.message)
    }

    static let rule = "rule r { on send when len(text) > 3 score 60 }\n"

    @Test func aDecideLineBelowAWeakerOneIsUnreachable() {
        let wrong = messages(Self.rule + "decide {\n review when score >= 50\n block when score >= 100\n}", .warning)
        #expect(wrong.contains { $0.hasPrefix("this line is never chosen: the earlier 'review when score …' line") })
        let right = messages(Self.rule + "decide {\n block when score >= 100\n review when score >= 50\n}", .warning)
        #expect(!right.contains { $0.contains("never chosen") })
    }

    @Test func swappedMatchesFormatArgumentsAreAnError() {
        let errors = messages("rule r { on send when not matches_format(\"wework\", code) }", .error)
        #expect(errors == [#"matches_format takes the code first and the channel second: matches_format(code, "wework")"#])
        #expect(messages("rule r { on send when not matches_format(code, \"wework\") }", .error).isEmpty)
    }

    @Test func perDayWithoutATimezoneIsWarned() {
        let rule = "rule r { on send when count(by: account, per: day) > 100 }"
        #expect(messages(rule, .warning).contains { $0.hasPrefix("'per: day' starts each day at midnight UTC") })
        #expect(!messages(rule, header: "ruleset t timezone \"Asia/Shanghai\"", .warning).contains { $0.contains("midnight UTC") })
        #expect(!messages("rule r { on send when count(by: account, per: hour) > 100 }", .warning).contains { $0.contains("midnight") })
    }

    @Test func aShrinkingEscalationIsWarned() {
        let shrinking = messages("rule r { on send when len(text) > 3 penalty restrict_send(account, escalate(7d, 1d)) }", .warning)
        #expect(shrinking.contains { $0.hasPrefix("escalate(…) steps should not shrink") })
        #expect(
            !messages("rule r { on send when len(text) > 3 penalty restrict_send(account, escalate(1d, 7d, forever)) }", .warning)
                .contains { $0.contains("shrink") })
    }
}

/// Issue 21: `code != null` tests that a field is present.
@Suite struct NullTests {
    func errors(_ text: String) -> [String] {
        var syntax = RuleSetSyntax()
        _ = Parser.parse(SourceFile(path: "t.rules", text: "ruleset t\n" + text), into: &syntax)
        return Checker.check(syntax).filter { $0.severity == .error }.map(\.message)
    }

    @Test func nullComparesWithEqualsOnly() {
        #expect(errors("rule r { on send when code != null and attrs.vip == null }").isEmpty)
        #expect(errors("rule r { on send when code > null }") == ["null is compared with == or != only"])
        #expect(errors("rule r { on send when null == code }") == ["write the field first: X == null or X != null"])
    }
}

/// Issue 21: the backtracking shapes lint names, and the real regexes it leaves alone.
@Suite struct RegexRiskTests {
    @Test func theThreeShapesAreFound() {
        #expect(RegexRisk.risk("(a+)+$")?.offset == 4)
        #expect(RegexRisk.risk("(a|aa)+$")?.message.contains("alternatives spell one another ('aa')") == true)
        #expect(RegexRisk.risk("(ab|a|b)*c")?.message.contains("spell one another ('ab')") == true)
        #expect(RegexRisk.risk("(.*a){12}")?.message.contains("to the power 12") == true)
        #expect(RegexRisk.risk("(?:x|.+y){3,5}")?.message.contains("to the power 5") == true)
    }

    @Test func theSafeFormsAreNot() {
        for safe in [
            "(a|b)+$", "(ab|cd)+", "(a|aa)++$", "(a|aa)?", "(.*a){2}", "([^a]*a){12}", "(.{0,20}a){12}", #"(\d{3}-){2}\d{4}"#,
            "(a+)", "a+b+", #"(\.com|\.cn)+"#, "(?i)(vx|wx)[:：]?",
        ] {
            #expect(RegexRisk.risk(safe) == nil, "\(safe)")
        }
    }

    /// The project's set of 103 rule-engine regexes: none is flagged (measured: 0 of 103).
    @Test func realRegexesAreLeftAlone() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data/bench/regexes.txt")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init).filter {
            !$0.hasPrefix("#") && !$0.isEmpty
        }
        #expect(lines.count == 103)
        let flagged = lines.filter { RegexRisk.risk($0) != nil }
        #expect(flagged.isEmpty, "\(flagged)")
    }
}
