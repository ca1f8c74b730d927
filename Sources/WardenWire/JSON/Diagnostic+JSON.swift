import WardenLanguage

extension Diagnostic {
    /// The one JSON form of a diagnostic (`warden lint --format json`, the server's reload
    /// answer, the playground): `id`, `severity`, `message`, then `file`, `line`, `column`,
    /// `end_line`, `end_column` (columns in Unicode scalars, 1-based) and `hint` when known.
    public var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = [("id", .string(id)), ("severity", .string(severity.rawValue)), ("message", .string(message))]
        if let file { pairs.append(("file", .string(file))) }
        if let location {
            pairs.append(("line", .number(Double(location.line))))
            pairs.append(("column", .number(Double(location.column))))
        }
        if let range {
            let end = range.file.location(of: range.bytes.upperBound)
            pairs.append(("end_line", .number(Double(end.line))))
            pairs.append(("end_column", .number(Double(end.column))))
        }
        if let hint { pairs.append(("hint", .string(hint))) }
        return .object(pairs)
    }
}
