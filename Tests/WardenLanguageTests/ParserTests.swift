import Testing

@testable import WardenLanguage

@Suite struct ParserTests {
    func parse(_ text: String) -> (RuleSetSyntax, [Diagnostic]) {
        var syntax = RuleSetSyntax()
        let diagnostics = Parser.parse(SourceFile(path: "t.rules", text: text), into: &syntax)
        return (syntax, diagnostics)
    }

    /// Renders an expression with explicit parentheses, to check precedence.
    func shape(_ e: Expr) -> String {
        switch e.kind {
        case .name(let n): n
        case .integer(let i): String(i)
        case .decimal(let d): String(d)
        case .string(let s): "\"\(s)\""
        case .bool(let b): String(b)
        case .duration(let d): "\(d)s"
        case .attribute(let a): "attrs.\(a)"
        case .unary(let op, let x): "(\(op.rawValue) \(shape(x)))"
        case .binary(let op, let l, let r): "(\(shape(l)) \(op.rawValue) \(shape(r)))"
        case .contains(let l, let q, let r): "(\(shape(l)) contains\(q == .one ? "" : " " + q.rawValue) \(shape(r)))"
        case .matches(let l, let r): "(\(shape(l)) matches \(shape(r)))"
        case .inList(let l, let r): "(\(shape(l)) in \(shape(r)))"
        case .call(let n, _, let args):
            "\(n)(" + args.map { ($0.label.map { "\($0): " } ?? "") + shape($0.value) }.joined(separator: ", ") + ")"
        case .list(let items): "[" + items.map(shape).joined(separator: ", ") + "]"
        case .regex(let p, let f): "/\(p)/\(f)"
        default: "?"
        }
    }

    func expression(_ text: String) -> String {
        let (syntax, diagnostics) = parse("let x = \(text)")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return syntax.lets.first.map { shape($0.value) } ?? ""
    }

    @Test(arguments: [
        ("a or b and c", "(a or (b and c))"),
        ("not a and b", "((not a) and b)"),
        ("not a == b", "(not (a == b))"),
        ("a + b * c > 3", "((a + (b * c)) > 3)"),
        ("-a * b", "((- a) * b)"),
        ("text contains any fraud_words", "(text contains any fraud_words)"),
        ("text contains all words", "(text contains all words)"),
        ("text contains \"刷单\"", "(text contains \"刷单\")"),
        ("ip in office_nets or ts >= 1", "((ip in office_nets) or (ts >= 1))"),
        ("normalize(text) matches /a+/i", "(normalize(text) matches /a+/i)"),
        ("attrs.vip == true", "(attrs.vip == true)"),
        ("count(by: [account, fingerprint(text)], within: 1d) > 50", "(count(by: [account, fingerprint(text)], within: 86400s) > 50)"),
        ("(a or b) and c", "((a or b) and c)"),
    ])
    func precedence(source: String, expected: String) {
        #expect(expression(source) == expected)
    }

    @Test func wholeLanguage() {
        let (syntax, diagnostics) = parse(
            """
            ruleset invite version "2026.11" timezone "Asia/Shanghai"
            list safe = ["微信红包封面"]
            list fraud(except: safe, fold: ["case"]) = file("lists/fraud.txt")
            list nets = cidr(["203.0.113.0/24"])
            list more_nets = cidr(file("nets.txt"))
            pattern contact = /加\\s*v/i
            let big = 100
            rule r "描述" {
              on send, issue
              when text contains any fraud
              score big - 20
              penalty disable_generation(account, escalate(1d, 7d, forever)), revoke_code(code), review
              tags "fraud", "x"
              mode shadow
              rollout 10%
            }
            decide {
              block when score >= 100
              review when score >= 50
            }
            test "t" {
              send { account: "bot", text: "hi", to: ["a"], attrs: { vip: true } } repeat 1000 every 30s
              after 1h
              issue { account: "bot", code: "AB12CD34" } expect block, fired r, not fired r, penalty revoke_code, no penalty, score >= 100
            }
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(syntax.header?.name.value == "invite")
        #expect(syntax.header?.timezone?.value == "Asia/Shanghai")
        #expect(syntax.lists.count == 4)
        #expect(syntax.lists[1].options.map(\.label) == ["except", "fold"])
        #expect(syntax.patterns.first?.pattern == "加\\s*v")
        let rule = syntax.rules[0]
        #expect(rule.description == "描述")
        #expect(rule.on.map(\.value) == ["send", "issue"])
        #expect(rule.penalties.count == 3)
        #expect(rule.tags == ["fraud", "x"])
        #expect(rule.mode?.value == "shadow")
        #expect(rule.rollout?.value == 10)
        #expect(syntax.decide?.lines.map(\.verdict.value) == ["block", "review"])
        let steps = syntax.tests[0].steps
        #expect(steps.count == 3)
        guard case .event(let first) = steps[0], case .after(let gap) = steps[1], case .event(let last) = steps[2] else {
            Issue.record("unexpected step shapes")
            return
        }
        #expect(first.repeatCount?.value == 1000)
        #expect(first.every?.value == 30)
        #expect(gap.value == 3600)
        #expect(
            last.expectations.map(\.kind) == [
                .verdict("block"), .fired("r"), .notFired("r"), .penalty("revoke_code"), .noPenalty, .score(.greaterEqual, 100),
            ])
    }

    @Test func recoversAndReportsSeveralErrors() {
        let (syntax, diagnostics) = parse(
            """
            rule a {
              on send
              when text contains
              score 10
            }
            rule b {
              on send
              wen true
            }
            list c = [ "x"
            rule d {
              on send
              when true
            }
            """)
        #expect(diagnostics.map(\.location?.line) == [4, 8, 6, 11])
        #expect(diagnostics[1].hint == "did you mean 'when'?")
        #expect(syntax.rules.map(\.name.value).contains("d"))
    }

    @Test func missingOnAndWhenAreErrorsAtTheRuleName() {
        let (_, diagnostics) = parse("rule lonely { score 1 }")
        #expect(
            diagnostics.map(\.message) == [
                "rule 'lonely' has no 'on' clause (which events it reads: on send, issue, redeem)", "rule 'lonely' has no 'when' clause",
            ])
        #expect(diagnostics.allSatisfy { $0.location?.column == 6 })
    }

    @Test func chainedComparisonsAreRefused() {
        let (_, diagnostics) = parse("let x = 1 < 2 < 3")
        #expect(diagnostics.first?.message == "comparisons cannot be chained; join them with 'and'")
    }

    @Test func deepNestingIsALimitNotACrash() {
        let (_, diagnostics) = parse("let x = " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000))
        #expect(diagnostics.first?.id == "limit")
    }

    @Test func modelDeclarations() {
        let (syntax, diagnostics) = parse("model spam = file(\"models/spam.model\")\nrule r { on send when classify(spam, text) >= 0.9 }\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(syntax.models.map(\.name.value) == ["spam"])
        #expect(syntax.models.first?.path.value == "models/spam.model")
        #expect(syntax.rules.first.flatMap { $0.when.map(shape) } == "(classify(spam, text) >= 0.9)")
        let (_, bad) = parse("model spam = \"spam.model\"\n")
        #expect(bad.map(\.message) == ["expected 'file', found string \"spam.model\""])
    }
}
