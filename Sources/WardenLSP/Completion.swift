import WardenLanguage
import WardenWire

/// Completion items: what may be written at the cursor, the likeliest first.
extension RuleSetIndex {
    /// LSP completion item kinds.
    enum ItemKind: Int { case function = 3, field = 5, variable = 6, keyword = 14, constant = 21 }

    func completions(after before: [Token]) -> [JSONValue] {
        var items: [JSONValue] = []
        func add(_ label: String, _ kind: ItemKind, _ detail: String, documentation: String? = nil) {
            var item: [(String, JSONValue)] = [("label", .string(label)), ("kind", .int(kind.rawValue)), ("detail", .string(detail))]
            if let documentation { item.append(("documentation", ["kind": "markdown", "value": .string(documentation)])) }
            items.append(.object(item))
        }
        let last = before.last
        let second = before.count >= 2 ? before[before.count - 2] : nil
        // Only the names that fit: a list after `contains any` or `in`, a pattern after
        // `matches`, a rule inside `fired(`.
        if let last, last.isKeyword("any") || last.isKeyword("all") || last.isKeyword("in") {
            for d in declarations where d.kind == .list { add(d.name, .variable, "list") }
            return items
        }
        if let last, last.isKeyword("matches") {
            for d in declarations where d.kind == .pattern { add(d.name, .constant, "pattern") }
            return items
        }
        if last?.kind == .leftParen, let second, second.isKeyword("fired") {
            for d in declarations where d.kind == .rule { add(d.name, .function, "rule") }
            return items
        }
        if let last, last.isKeyword("penalty") {
            for action in PenaltyAction.allCases {
                let shape =
                    action == .label
                    ? "label(account, \"NAME\" [, DURATION])"
                    : action.targets.isEmpty
                        ? action.rawValue : "\(action.rawValue)(\(action.targets[0])\(action.takesDuration ? ", DURATION" : ""))"
                add(action.rawValue, .function, shape)
            }
            return items
        }
        for key in Vocabulary.eventKeys.sorted() { add(key, .field, "event field") }
        for builtin in Builtin.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            add(builtin.rawValue, .function, builtin.doc.signature, documentation: builtin.doc.summary)
        }
        for d in declarations where [.list, .pattern, .model, .let, .rule].contains(d.kind) { add(d.name, .variable, d.kind.rawValue) }
        for keyword in ["and", "or", "not", "contains", "any", "all", "matches", "in", "null", "true", "false"] {
            add(keyword, .keyword, "keyword")
        }
        return items
    }
}
