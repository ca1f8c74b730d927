import Testing

@testable import WardenLanguage

@Suite struct DiagnosticRendererTests {
    @Test func caretSitsUnderTheCharacterAfterChineseText() {
        let file = SourceFile(path: "r.rules", text: "rule 诈骗 \"诈骗信息\" { on send when text contains any fraud_wrds }\n")
        let start = Array(file.text.utf8).firstIndex(of: UInt8(ascii: "f"))!  // the first 'f' is in fraud_wrds
        let d = Diagnostic.error(
            .unknownName, "unknown name 'fraud_wrds'", at: SourceRange(file: file, bytes: start..<(start + 10)),
            hint: "did you mean 'fraud_words'?")
        let text = DiagnosticRenderer(color: false).render(d)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "r.rules:1:49: error: unknown name 'fraud_wrds' [unknown-name]")
        #expect(lines[1] == " 1 | rule 诈骗 \"诈骗信息\" { on send when text contains any fraud_wrds }")
        // Columns count scalars (48 before the name), the caret pads by display width (6 wide chars = 12 cells).
        let caretLine = lines[2]
        let caretOffset = caretLine.distance(from: caretLine.startIndex, to: caretLine.firstIndex(of: "^")!)
        let lineOffset = " 1 | ".count + DisplayWidth.of("rule 诈骗 \"诈骗信息\" { on send when text contains any ")
        #expect(caretOffset == lineOffset)
        #expect(caretLine.hasSuffix("^" + String(repeating: "~", count: 9)))
        #expect(lines[3] == "   = did you mean 'fraud_words'?")
    }

    @Test func tabsAreCopied() {
        let file = SourceFile(path: "r.rules", text: "\twhen x")
        let d = Diagnostic.error(.syntax, "m", at: SourceRange(file: file, bytes: 6..<7))
        let caret = DiagnosticRenderer(color: false).render(d).split(separator: "\n")[2]
        #expect(caret == "   | \t     ^")
    }

    @Test func displayWidth() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("诈骗") == 4)
        #expect(DisplayWidth.of("ｖｘ") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
    }
}
