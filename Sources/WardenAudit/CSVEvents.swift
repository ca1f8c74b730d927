import Foundation
import WardenEngine

/// CSV logs with a header row (RFC 4180 quoting): columns named after event keys (`id`, `type`,
/// `ts`, `account`, …), `attrs.NAME` for attributes. `to` is a JSON array or `;`-separated;
/// cells that look like numbers become numbers for `ts` and `ttl`; empty cells are absent.
package struct CSVEvents: Sendable {
    package let columns: [String]

    package init(header: String) {
        columns = CSVEvents.split(header).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// True while quotes are unbalanced: the record goes on on the next line.
    package static func isOpen(_ text: String) -> Bool { isOpen(text.utf8) }

    /// The same over bytes: an odd number of `"` (0x22 never occurs inside a UTF-8 sequence).
    package static func isOpen(_ bytes: some Sequence<UInt8>) -> Bool {
        var open = false
        for b in bytes where b == 0x22 { open.toggle() }
        return open
    }

    static func split(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" {
                            cell.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(c)
            }
        }
        cells.append(cell)
        return cells
    }

    /// The record as the JSON object the event decoder reads.
    package func object(_ record: String) throws(EventError) -> JSONValue {
        let cells = CSVEvents.split(record)
        guard cells.count == columns.count else {
            throw EventError(message: "\(cells.count) cells, but the header has \(columns.count) columns")
        }
        var pairs: [(String, JSONValue)] = []
        var attrs: [(String, JSONValue)] = []
        for (name, cell) in zip(columns, cells) where !cell.isEmpty {
            if name.hasPrefix("attrs.") {
                let key = String(name.dropFirst(6))
                if let n = Double(cell) {
                    attrs.append((key, .number(n)))
                } else if cell == "true" || cell == "false" {
                    attrs.append((key, .bool(cell == "true")))
                } else {
                    attrs.append((key, .string(cell)))
                }
                continue
            }
            switch name {
            case "to":
                if cell.hasPrefix("[") {
                    do throws(JSONParser.Failure) { pairs.append((name, try JSONParser.parse(cell))) } catch {
                        throw EventError(key: "to", message: "not a JSON array: \(error.message)")
                    }
                } else {
                    pairs.append((name, .array(cell.split(separator: ";").map { .string(String($0)) })))
                }
            case "ts", "ttl":
                pairs.append((name, Double(cell).map(JSONValue.number) ?? .string(cell)))
            default:
                pairs.append((name, .string(cell)))
            }
        }
        if !attrs.isEmpty { pairs.append(("attrs", .object(attrs))) }
        return .object(pairs)
    }
}
