import Foundation
import Testing
import WardenLanguage

/// `Expr.canonical`: one spelling per expression, the conventional one.
@Suite struct CanonicalTests {
    func expression(_ text: String) throws -> Expr {
        var syntax = RuleSetSyntax()
        let diagnostics = Parser.parse(SourceFile(path: "t.rules", text: "let x = \(text)"), into: &syntax)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(syntax.lets.first?.value)
    }

    @Test(arguments: [
        ("count(by:account,within:1h)", "count(by: account, within: 1h)"),
        ("distinct( to , by: [ account,fingerprint( text ) ], within: 24h )", "distinct(to, by: [account, fingerprint(text)], within: 1d)"),
        ("((a or b)) and c", "(a or b) and c"),
        ("a or (b and c)", "a or b and c"),
        ("not (a == b)", "not a == b"),
        ("(not a) and b", "not a and b"),
        ("(a + b) * -c", "(a + b) * -c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("text contains any  words", "text contains any words"),
        ("normalize(text)matches /a+/i", "normalize(text) matches /a+/i"),
        ("tier==\"enterprise\"", "tier == \"enterprise\""),
        ("text contains \"a\\\"b\\\\c\\n\"", "text contains \"a\\\"b\\\\c\\n\""),
        ("ip in office_nets", "ip in office_nets"),
        ("attrs.vip == true", "attrs.vip == true"),
    ])
    func printsTheConventionalSpelling(source: String, expected: String) throws {
        let e = try expression(source)
        #expect(e.canonical == expected)
        // Printing is a fixed point: the printed form parses to a tree that prints the same.
        #expect(try expression(e.canonical).canonical == expected)
    }

    /// The default rules are written conventionally: every counter argument prints as written,
    /// so counters keep the identities (and the saved state) they had when identities were
    /// taken from the source text.
    @Test func defaultRulesCounterArgumentsPrintAsWritten() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("rules")
        var syntax = RuleSetSyntax()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".rules") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            _ = Parser.parse(SourceFile(path: name, text: text), into: &syntax)
        }
        var seen = 0
        func visit(_ e: Expr) {
            switch e.kind {
            case .call(let name, _, let arguments):
                if ["count", "distinct", "sum"].contains(name) {
                    for a in arguments where a.label != "within" && a.label != "per" {
                        let items: [Expr] = if a.label == "by", case .list(let xs) = a.value.kind { xs } else { [a.value] }
                        for x in items {
                            #expect(x.canonical == Checker.canonical(x.range.text))
                            seen += 1
                        }
                    }
                }
                arguments.forEach { visit($0.value) }
            case .unary(_, let x): visit(x)
            case .binary(_, let l, let r), .matches(let l, let r), .inList(let l, let r):
                visit(l)
                visit(r)
            case .contains(let l, _, let r):
                visit(l)
                visit(r)
            case .list(let xs): xs.forEach(visit)
            default: break
            }
        }
        for rule in syntax.rules { rule.when.map(visit) }
        for decl in syntax.lets { visit(decl.value) }
        #expect(seen >= 10)
    }
}
