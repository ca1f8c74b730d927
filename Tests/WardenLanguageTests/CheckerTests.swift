import Testing

@testable import WardenLanguage

@Suite struct CheckerTests {
    func check(_ text: String) -> [Diagnostic] {
        var syntax = RuleSetSyntax()
        let parse = Parser.parse(SourceFile(path: "t.rules", text: "ruleset t\n" + text), into: &syntax)
        #expect(parse.isEmpty, "\(parse)")
        return Checker.check(syntax)
    }

    func errors(_ text: String) -> [String] {
        check(text).filter { $0.severity == .error }.map(\.message)
    }

    @Test func cleanRuleSetHasNoErrors() {
        let diagnostics = check(
            """
            list words = ["a"]
            list nets = cidr(["10.0.0.0/8"])
            pattern p = /x/
            let long = len(text) > 10
            rule r { on send
              when text contains any words and ip in nets and text matches p and long
                and near(text, words, words, within: 3) and hits(text, words) >= 1
                and fingerprint(text) != "" and matches_format(code, "wework") and at_least(1, long, true)
              score 10 }
            rule s { on send when fired(r) }
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
    }

    @Test func misspeltListGetsADidYouMean() {
        let diagnostics = check("list fraud_words = [\"a\"]\nrule r { on send when text contains any fraud_wrds }")
        let d = diagnostics.first { $0.id == "unknown-name" }
        #expect(d?.message == "unknown name 'fraud_wrds'")
        #expect(d?.hint == "did you mean 'fraud_words'?")
        #expect(d?.location?.line == 3)
        #expect(d?.location?.column == 41)
    }

    @Test func unknownFieldAndTypeErrors() {
        let messages = errors(
            """
            rule r { on send when accont == "x" }
            rule s { on send when text > 3 }
            rule t { on send when len(text) }
            rule u { on send when text contains any 3 }
            """)
        #expect(
            messages == [
                "unknown name 'accont'",
                "cannot compare a string with a number",
                "'when' needs a bool, but this is a number",
                "'contains any' needs a word list, but this is a number",
            ])
    }

    @Test func firedCyclesAreErrors() {
        let messages = errors(
            """
            rule a { on send when fired(b) }
            let via = fired(a)
            rule b { on send when via }
            """)
        #expect(messages.contains { $0.hasPrefix("rules depend on each other through fired():") })
    }

    @Test func penaltiesAreCheckedAgainstTheVocabulary() {
        let messages = errors(
            """
            rule a { on send when true penalty revoke_code(account) }
            rule b { on send when true penalty disable_generation(account) }
            rule c { on send when true penalty ban(account, 1d) }
            rule d { on send when true penalty restrict_send(account, escalate(1d, forever, 2d)) }
            """)
        #expect(
            messages == [
                "'revoke_code' acts on 'code', not account",
                "'disable_generation' is written disable_generation(account, DURATION)",
                "unknown penalty action 'ban'",
                "escalate(…) takes durations, with 'forever' allowed last",
            ])
    }

    @Test func eventTypesModesRolloutAndCounters() {
        let messages = errors(
            """
            rule a { on sned when true mode loud rollout 120% }
            rule b { on send when count(by: account) > 1 }
            rule c { on send when count(by: account, within: 1d, per: day) > 1 }
            rule d { on send when count(by: account, per: fortnight) > 1 }
            """)
        #expect(
            messages == [
                "unknown event type 'sned'",
                "mode is 'enforce' or 'shadow', not 'loud'",
                "rollout is a percentage from 0% to 100%",
                "count needs a window: 'within: DURATION' or 'per: day'",
                "count takes either 'within:' or 'per:', not both",
                "'per:' takes minute, hour, day or week",
            ])
    }

    @Test func warningsForUnusedListsConstantsAndShadowedRules() {
        let diagnostics = check(
            """
            list unused = ["x"]
            rule a { on send when true }
            rule b { on send when len(text) > 3 }
            rule c { on send when len(text)  >  3 }
            """)
        let warnings = diagnostics.filter { $0.severity == .warning }.map(\.id)
        #expect(warnings.sorted() == ["constant-condition", "shadowed-rule", "unused"])
    }

    @Test func duplicateNamesAndScoreOutsideDecide() {
        let messages = errors(
            """
            list x = ["a"]
            rule x { on send when score > 1 }
            decide { block when score >= 100 }
            """)
        #expect(messages.count == 2)
        #expect(messages[0].hasPrefix("'x' is already declared at t.rules:2:6"))
        #expect(messages[1] == "unknown name 'score' ('score' is readable in decide lines only)")
    }
}
