import Testing
import WardenEngine
import WardenLanguage

/// Issue 21: one mistake gives one clear error, not a cascade.
@Suite struct AuthoringDiagnosticsTests {
    func lint(_ source: String) -> [Diagnostic] { Compiler.compile(source: source).diagnostics }

    @Test func fullWidthQuotesGiveOneErrorPerStringWithTheFix() {
        let d = lint(
            "ruleset t\nlist words = [“转发”, “红包”, 「领码」]\nrule r { on send when text contains any words score 60 }\ndecide { block when score >= 100 }"
        )
        #expect(d.count == 3, "\(d)")
        #expect(d.allSatisfy { $0.id == "full-width-quote" && $0.severity == .error })
        #expect(d.map(\.hint) == [#"use ASCII quotes: "转发""#, #"use ASCII quotes: "红包""#, #"use ASCII quotes: "领码""#])
        #expect(d[1].range?.start.column == 21)
        #expect(
            lint(
                "ruleset t\nlist words = [\"转发\", \"红包\"]\nrule r { on send when text contains any words score 60 }\ndecide { block when score >= 100 }"
            ).isEmpty)
    }

    @Test func anUnknownFunctionIsOneErrorThatListsWhatExists() {
        let d = lint(
            "ruleset t\nlist words = [\"转发\"]\nrule r { on send when frobnicate(text, words) and len(text) > 3 score 60 }\ndecide { block when score >= 100 }"
        )
        #expect(d.count == 1, "\(d)")
        #expect(d.first?.message == "unknown function 'frobnicate'")
        #expect(d.first?.hint?.hasPrefix("built-in functions are active, at_least,") == true)
        let typo = lint(
            "ruleset t\nlist words = [\"转发\"]\nrule r { on send when contians(text, words) score 60 }\ndecide { block when score >= 100 }")
        #expect(typo.map(\.hint) == ["did you mean 'contains'? It is an operator: TEXT contains any LIST"])
        let near = lint("ruleset t\nrule r { on send when lenn(text) > 3 score 60 }\ndecide { block when score >= 100 }")
        #expect(near.map(\.hint) == ["did you mean 'len'?"])
    }

    @Test func aMissingBraceIsOneErrorWithoutAWrongGuess() {
        let decide = lint(
            "ruleset t\nrule r { on send when len(text) > 3 score 60 }\ndecide {\n  block when score >= 100\ntest \"t\" {\n  send { account: \"a\", text: \"hi\", to: [\"b\"] } expect allow\n}"
        )
        #expect(decide.map(\.message) == ["expected '}' to close 'decide', found 'test'"])
        #expect(decide.first?.hint == nil)
        let rule = lint(
            "ruleset t\nlist words = [\"转发\"]\nrule r {\n  on send\n  when text contains any words\n  score 60\n\nrule q { on send when len(text) > 3 score 10 }\ndecide { block when score >= 100 }"
        )
        #expect(rule.map(\.message) == ["expected '}' to close rule 'r', found 'rule'"])
        let test = lint(
            "ruleset t\nrule r { on send when len(text) > 3 score 60 }\ntest \"t\" {\n  send { account: \"a\", text: \"hi\", to: [\"b\"] } expect allow\ndecide { block when score >= 100 }"
        )
        #expect(test.map(\.message) == ["expected '}' to close test \"t\", found 'decide'"])
        // Without the syntax error, an unused list is still reported.
        #expect(
            lint("ruleset t\nlist words = [\"转发\"]\nrule q { on send when len(text) > 3 score 10 }\ndecide { block when score >= 100 }")
                .map(\.id) == ["unused"])
    }

    @Test func pinyinOnOneCharacterKeywordsIsWarned() {
        func warnings(_ words: String) -> [String] {
            lint(
                "ruleset t\nlist w(fold: [\"all\", \"pinyin\"]) = [\(words)]\nrule r { on send when text contains any w score 60 }\ndecide { block when score >= 100 }"
            )
            .filter { $0.id == "pinyin-fold" }.map(\.message)
        }
        #expect(warnings(#""赌", "毒""#) == ["the pinyin fold does nothing for one-character keywords, and every entry of 'w' is one"])
        #expect(warnings(#""赌", "刷单""#) == ["the pinyin fold does nothing for the one-character keywords of 'w': 赌"])
        // Two characters get romanized pinyin (taoxian for 套现): no warning.
        #expect(warnings(#""套现", "刷单""#).isEmpty)
        let plain = lint(
            "ruleset t\nlist w = [\"赌\"]\nrule r { on send when text contains any w score 60 }\ndecide { block when score >= 100 }")
        #expect(plain.isEmpty)
    }

    /// Test events follow production's rules: what check and serve refuse, a test cannot send.
    @Test func testEventsNeedWhatProductionNeeds() {
        let base = "ruleset t\nrule r { on send, issue when len(text) > 3 score 60 }\ndecide { block when score >= 100 }\n"
        let missing = lint(
            base
                + "test \"t\" {\n  send { account: \"a\", text: \"hello\" } expect allow\n  issue { account: \"a\" }\n  send { to: [\"b\"], text: \"x\" }\n}"
        )
        #expect(
            missing.map(\.message) == [
                "this send has no 'to' (a send has recipients); check and serve refuse such an event",
                "this issue has no 'code' (an issue carries the invite code); check and serve refuse such an event",
                "this send has no 'account' (the acting account); check and serve refuse such an event",
            ])
        #expect(missing.first?.range?.start.line == 5)
        #expect(lint(base + "test \"t\" {\n  send { account: \"a\", text: \"hello\", to: [] } expect allow\n}").isEmpty)
    }
}
