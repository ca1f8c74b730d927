import Testing

@testable import WardenLanguage

@Suite struct LexerTests {
    func lex(_ text: String) -> ([Token], [Diagnostic]) {
        Lexer.tokenize(SourceFile(path: "t.rules", text: text))
    }

    @Test func durationsIntegersDecimalsAndPercent() {
        let (tokens, diagnostics) = lex("30s 5m 2h 1d 7d 1w 1000 0.5 10%")
        #expect(diagnostics.isEmpty)
        #expect(
            tokens.map(\.kind) == [
                .duration, .duration, .duration, .duration, .duration, .duration, .integer, .decimal, .integer, .percent, .end,
            ])
        #expect(tokens.prefix(6).map(\.integer) == [30, 300, 7200, 86_400, 604_800, 604_800])
        #expect(tokens[7].decimal == 0.5)
    }

    @Test func stringEscapes() {
        let (tokens, diagnostics) = lex(#""a\n\t\"\\\u{4E2D}b""#)
        #expect(diagnostics.isEmpty)
        #expect(tokens[0].text == "a\n\t\"\\中b")
    }

    @Test func badEscapeAndUnterminatedStringAreReportedAtTheirColumn() {
        let (_, diagnostics) = lex("list x = [\"ab\\q\"]\nlet y = \"open")
        #expect(diagnostics.count == 2)
        #expect(diagnostics[0].message == "unknown escape '\\q'")
        #expect(diagnostics[0].location == SourceLocation(line: 1, column: 14, offset: 13))
        #expect(diagnostics[1].message == "unterminated string")
        #expect(diagnostics[1].location?.line == 2)
    }

    @Test func regexAfterMatchesAndEqualsButDivisionAfterValues() {
        let (tokens, _) = lex("pattern p = /a[/]b/i\nwhen text matches /x\\/y/ and 4 / 2 > 1")
        let regexes = tokens.filter { $0.kind == .regex }
        #expect(regexes.map(\.text) == ["a[/]b", "x\\/y"])
        #expect(regexes[0].flags == "i")
        #expect(tokens.contains { $0.kind == .slash })
    }

    @Test func commentsAreSkippedAndUnknownUnitsReported() {
        let (tokens, diagnostics) = lex("# a comment\nrule # another\n3x")
        #expect(tokens[0].text == "rule")
        #expect(diagnostics.first?.message == "unknown duration unit 'x' (use s, m, h, d or w)")
    }

    @Test func operators() {
        let (tokens, _) = lex("== != <= >= < > = + - * / . : , ( ) [ ] { }")
        #expect(
            tokens.map(\.kind) == [
                .equal, .notEqual, .lessEqual, .greaterEqual, .less, .greater, .assign, .plus, .minus, .star, .slash, .dot,
                .colon, .comma, .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .end,
            ])
    }
}
