import WardenLanguage

/// Which rules two rule sets add, remove and change (`warden dry-run`). A rule changes when its
/// tokens do: a comment or the layout (`warden fmt`) is no change.
package struct RuleSetDiff: Sendable, Equatable {
    package var added: [String] = []
    package var removed: [String] = []
    package var changed: [String] = []
    /// The same for lists, patterns, models and lets, as `list NAME` and so on; and `decide`.
    package var otherChanges: [String] = []

    package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && otherChanges.isEmpty }

    package init(old: RuleSetSyntax, new: RuleSetSyntax) {
        func tokens(_ range: SourceRange) -> [String] {
            let file = SourceFile(path: range.file.path, text: range.text)
            return Lexer.tokenize(file).tokens.map { "\($0.kind.rawValue)\u{1F}\(file.slice($0.bytes))" }
        }
        let oldRules = Dictionary(old.rules.map { ($0.name.value, tokens($0.range)) }) { a, _ in a }
        let newRules = Dictionary(new.rules.map { ($0.name.value, tokens($0.range)) }) { a, _ in a }
        added = new.rules.map(\.name.value).filter { oldRules[$0] == nil }
        removed = old.rules.map(\.name.value).filter { newRules[$0] == nil }
        changed = new.rules.map(\.name.value).filter { name in oldRules[name].map { $0 != newRules[name] } ?? false }

        func declarations(_ s: RuleSetSyntax) -> [String: [String]] {
            var out: [String: [String]] = [:]
            for l in s.lists { out["list \(l.name.value)"] = tokens(l.range) }
            for p in s.patterns { out["pattern \(p.name.value)"] = tokens(p.name.range.union(p.regexRange)) }
            for m in s.models { out["model \(m.name.value)"] = tokens(m.range) }
            for l in s.lets { out["let \(l.name.value)"] = tokens(l.name.range.union(l.value.range)) }
            if let d = s.decide { out["decide"] = tokens(d.range) }
            return out
        }
        let a = declarations(old)
        let b = declarations(new)
        otherChanges = Set(a.keys).union(b.keys).sorted().compactMap { key in
            switch (a[key], b[key]) {
            case (nil, _?): "\(key) added"
            case (_?, nil): "\(key) removed"
            case (let x?, let y?) where x != y: "\(key) changed"
            default: nil
            }
        }
    }
}
