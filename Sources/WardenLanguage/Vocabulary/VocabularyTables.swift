/// The language's tables as Markdown, for docs/language.md: the blocks between
/// `<!-- generated: NAME -->` and `<!-- end: NAME -->` are written from `Builtin` (and the other
/// tables) by `warden vocabulary --write-docs`, and a test fails when the committed page differs.
public enum VocabularyTables {
    /// The generated blocks by name.
    public static let blocks: [String: String] = [
        "builtins": builtinTable(Builtin.allCases.filter { $0.invite == nil }, heading: "function"),
        "invite-builtins": builtinTable(Builtin.allCases.filter { $0.invite != nil }, heading: "built-in"),
        "event-keys": eventKeyTable(),
        "fields": fieldTable(),
        "diagnostics": diagnosticTable(),
    ]

    /// docs/language.md: every diagnostic id.
    static func diagnosticTable() -> String {
        var lines = ["| id | severity | when |", "|---|---|---|"]
        for d in DiagnosticID.allCases { lines.append("| `\(d.rawValue)` | \(d.severity.rawValue) | \(cell(d.when)) |") }
        return lines.joined(separator: "\n")
    }

    /// docs/events.md: what an event carries.
    static func eventKeyTable() -> String {
        var lines = ["| key | type | required | meaning |", "|---|---|---|---|"]
        for f in EventField.allCases where f.isEventKey {
            lines.append("| `\(f.rawValue)` | \(cell(f.wire)) | \(cell(f.required)) | \(cell(f.summary)) |")
        }
        return lines.joined(separator: "\n")
    }

    /// docs/language.md: what rules read, and as what type.
    static func fieldTable() -> String {
        var lines = ["| field | type in rules | meaning |", "|---|---|---|"]
        for f in EventField.allCases {
            let name = f == .attrs ? "attrs.NAME" : f.rawValue
            let type = f.valueType?.rawValue ?? "string, number or bool, per event"
            lines.append("| `\(name)` | \(type) | \(cell(f.summary)) |")
        }
        return lines.joined(separator: "\n")
    }

    static func builtinTable(_ builtins: [Builtin], heading: String) -> String {
        var lines = ["| \(heading) | value | example |", "|---|---|---|"]
        for b in builtins {
            lines.append("| `\(cell(b.doc.signature))` | \(cell(b.doc.summary)) | `\(cell(b.doc.example))` |")
        }
        return lines.joined(separator: "\n")
    }

    /// A table cell: a `|` inside one is escaped.
    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }

    /// `page` with every generated block written anew; text outside the markers is kept.
    /// A marker whose name has no table, or a block that is not closed, is left as it is.
    public static func updating(_ page: String) -> String {
        var out = ""
        var rest = Substring(page)
        while let open = rest.range(of: "<!-- generated: ") {
            guard let nameEnd = rest[open.upperBound...].range(of: " -->") else { break }
            let name = String(rest[open.upperBound..<nameEnd.lowerBound])
            guard let table = blocks[name], let close = rest[nameEnd.upperBound...].range(of: "<!-- end: \(name) -->") else {
                out += rest[..<nameEnd.upperBound]
                rest = rest[nameEnd.upperBound...]
                continue
            }
            out += rest[..<nameEnd.upperBound] + "\n" + table + "\n"
            out += rest[close.lowerBound..<close.upperBound]
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
