import WardenLanguage
import WardenWire

/// LSP ranges (`{"start":{"line","character"},"end":…}`, UTF-16) of byte ranges of a file.
extension SourceFile {
    convenience init(lspText text: String) { self.init(path: "", text: text) }

    func lspRange(_ range: Range<Int>) -> JSONValue {
        let start = utf16Position(of: range.lowerBound)
        let end = utf16Position(of: range.upperBound)
        return [
            "start": ["line": .int(start.line), "character": .int(start.character)],
            "end": ["line": .int(end.line), "character": .int(end.character)],
        ]
    }

    var lspWholeRange: JSONValue { lspRange(0..<bytes.count) }
}
