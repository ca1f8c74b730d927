import WardenLanguage

/// LSP ranges (`{"start":{"line","character"},"end":…}`, UTF-16) of byte ranges of a file.
extension SourceFile {
    convenience init(lspText text: String) { self.init(path: "", text: text) }

    func lspRange(_ range: Range<Int>) -> [String: Any] {
        let start = utf16Position(of: range.lowerBound)
        let end = utf16Position(of: range.upperBound)
        return ["start": ["line": start.line, "character": start.character], "end": ["line": end.line, "character": end.character]]
    }

    var lspWholeRange: [String: Any] { lspRange(0..<bytes.count) }
}
