/// Renders diagnostics the way compilers do:
///
/// ```
/// rules/invite.rules:12:18: error: unknown list 'fraud_wrds' [unknown-name]
///    12 |   when text contains any fraud_wrds
///       |                          ^~~~~~~~~~
///       = did you mean 'fraud_words'?
/// ```
///
/// The caret is padded by display width (CJK counts two cells) and tabs are copied as tabs, so
/// it sits under the right character whatever precedes it on the line.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    public func render(_ d: Diagnostic) -> String {
        let severity = paint(d.severity.rawValue, d.severity == .error ? "1;31" : "1;35")
        var header = ""
        if let loc = d.location, let file = d.file {
            header = "\(file):\(loc.line):\(loc.column): "
        } else if let file = d.file {
            header = "\(file): "
        }
        var out = "\(paint(header, "1"))\(severity): \(paint(d.message, "1")) [\(d.id)]"
        guard let range = d.range else {
            if let hint = d.hint { out += "\n  = \(hint)" }
            return out
        }
        let loc = range.start
        let lineText = range.file.lineText(loc.line)
        let gutter = String(loc.line)
        let pad = String(repeating: " ", count: gutter.count)
        out += "\n \(gutter) | \(lineText)"
        // Padding: copy tabs, count display cells for everything else.
        var prefix = ""
        for (i, scalar) in lineText.unicodeScalars.enumerated() where i < loc.column - 1 {
            prefix += scalar == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of(scalar))
        }
        let underlined = underlineWidth(range: range, line: loc.line, column: loc.column, lineText: lineText)
        let marks = "^" + String(repeating: "~", count: max(0, underlined - 1))
        out += "\n \(pad) | \(prefix)\(paint(marks, "1;32"))"
        if let hint = d.hint { out += "\n \(pad) = \(hint)" }
        return out
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    /// Display cells under the range, cut at the end of the line; at least one.
    private func underlineWidth(range: SourceRange, line: Int, column: Int, lineText: String) -> Int {
        let text = range.text
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return max(1, DisplayWidth.of(firstLine))
    }

    private func paint(_ text: String, _ code: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
