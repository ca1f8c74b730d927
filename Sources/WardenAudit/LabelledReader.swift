import Foundation
import WardenEngine

/// Labelled messages for `warden train`, `mine` and `eval`: CSV with a header row (RFC 4180, a
/// record may span lines inside quotes) or JSON Lines, gzip or not, read with the audit's
/// readers. A record's text and label come from the named column or key.
package struct LabelledReader {
    package struct Record: Sendable {
        package var text: String
        package var label: String
        package var file: String
        package var line: Int
    }

    package let textField: String
    package let labelField: String
    /// The longest record kept (a larger one is reported and skipped).
    package var maxRecordBytes = 1 << 20

    package init(textField: String, labelField: String) {
        self.textField = textField
        self.labelField = labelField
    }

    /// Every record of `path`. A record without its text or label is reported through `bad`
    /// as `file:line: message` and skipped; a CSV header without the columns, or a JSONL file
    /// none of whose records has the keys, is an error.
    package func read(_ path: String, bad: (String) -> Void) throws -> [Record] {
        let source = try LineSource(path: path, maxLineBytes: maxRecordBytes)
        var records: [Record] = []
        var columns: (text: Int, label: Int, count: Int)?
        var first = true
        var sawKeys = (text: false, label: false)
        var jsonLines = 0
        while let raw = try source.nextLine() {
            let number = source.lineNumber
            if let skipped = source.skippedBytes {
                bad("\(path):\(number): a record of \(skipped) bytes; the limit is \(maxRecordBytes)")
                continue
            }
            var text = String(decoding: raw, as: UTF8.self)
            if first {
                if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                if text.allSatisfy(\.isWhitespace) { continue }
                first = false
                if !text.hasPrefix("{") {
                    let header = CSVEvents.split(text).map { $0.trimmingCharacters(in: .whitespaces) }
                    // The default text column, `text`, also goes by `content` (the review
                    // queue's export, and the common spelling of labelled sets).
                    let t = header.firstIndex(of: textField) ?? (textField == "text" ? header.firstIndex(of: "content") : nil)
                    guard let t, let l = header.firstIndex(of: labelField) else {
                        let missing = header.contains(textField) ? labelField : textField
                        throw AuditError.input(
                            "\(path):1: no column '\(missing)' in the header (columns: \(header.joined(separator: ", ")))")
                    }
                    columns = (t, l, header.count)
                    continue
                }
            }
            if let columns {
                var open = CSVEvents.isOpen(raw)
                while open, text.utf8.count <= maxRecordBytes, let more = try source.nextLine() {
                    open = open != CSVEvents.isOpen(more)
                    text += "\n" + String(decoding: more, as: UTF8.self)
                }
                if text.utf8.count > maxRecordBytes {
                    bad("\(path):\(number): a CSV record of \(text.utf8.count) bytes (an unclosed quote?); the limit is \(maxRecordBytes)")
                    continue
                }
                if text.allSatisfy(\.isWhitespace) { continue }
                let cells = CSVEvents.split(text)
                guard cells.count == columns.count else {
                    bad("\(path):\(number): \(cells.count) cells, but the header has \(columns.count) columns")
                    continue
                }
                records.append(
                    Record(
                        text: cells[columns.text], label: cells[columns.label].trimmingCharacters(in: .whitespaces), file: path,
                        line: number))
                continue
            }
            if text.allSatisfy(\.isWhitespace) { continue }
            jsonLines += 1
            let value: JSONValue
            do throws(JSONParser.Failure) {
                value = try JSONParser.parse(text)
            } catch {
                bad("\(path):\(number): not JSON: \(error.message)")
                continue
            }
            let label = value[labelField]
            let body = value[textField] ?? (textField == "text" ? value["content"] : nil)
            sawKeys.label = sawKeys.label || label != nil
            sawKeys.text = sawKeys.text || body != nil
            guard case .string(let message)? = body else {
                bad("\(path):\(number): key '\(textField)': " + (body.map { "\($0.typeName), not a string" } ?? "missing"))
                continue
            }
            let name: String
            switch label {
            case .string(let s)?: name = s
            case .number(let n)?: name = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
            case .bool(let b)?: name = String(b)
            default:
                bad("\(path):\(number): key '\(labelField)': " + (label.map { "\($0.typeName), not a label" } ?? "missing"))
                continue
            }
            records.append(Record(text: message, label: name, file: path, line: number))
        }
        if jsonLines > 0, records.isEmpty {
            let missing = !sawKeys.text ? textField : labelField
            if !sawKeys.text || !sawKeys.label { throw AuditError.input("\(path): no record has a '\(missing)' key") }
        }
        return records
    }

    /// Lines of a plain text file (gzip or not), without blank ones.
    package static func lines(_ path: String) throws -> [String] {
        let source = try LineSource(path: path)
        var out: [String] = []
        while let raw = try source.nextLine() {
            if source.skippedBytes != nil { continue }
            let line = String(decoding: raw, as: UTF8.self)
            if !line.allSatisfy(\.isWhitespace) { out.append(line) }
        }
        return out
    }
}
