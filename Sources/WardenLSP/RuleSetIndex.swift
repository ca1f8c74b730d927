import Foundation
import WardenEngine
import WardenLanguage

/// One analysis of the rule set a document belongs to: its syntax (with the editor's unsaved
/// texts), the diagnostics `warden lint` would give, and where each name is declared.
struct RuleSetIndex {
    struct Declaration {
        enum Kind: String { case list, pattern, model, `let`, rule, decide, test, ruleset }
        var kind: Kind
        var name: String
        var range: SourceRange
        var nameRange: SourceRange
    }

    let syntax: RuleSetSyntax
    let diagnostics: [Diagnostic]
    /// The rule set's directory: list and model files resolve against it.
    let root: String
    let declarations: [Declaration]

    /// Analyses the rule set of the file at `path`: its directory when that holds `.rules`
    /// files, the file alone otherwise.
    init(path: String, overlay: [String: String]) {
        let directory = (path as NSString).deletingLastPathComponent
        let loaded = RuleSetLoader.load(path: directory.isEmpty ? path : directory, overlay: overlay)
        syntax = loaded.syntax
        root = loaded.root
        diagnostics = Compiler.compile(loaded).diagnostics
        var found: [Declaration] = []
        if let header = syntax.header {
            found.append(Declaration(kind: .ruleset, name: header.name.value, range: header.name.range, nameRange: header.name.range))
        }
        for list in syntax.lists {
            found.append(Declaration(kind: .list, name: list.name.value, range: list.range, nameRange: list.name.range))
        }
        for pattern in syntax.patterns {
            found.append(
                Declaration(
                    kind: .pattern, name: pattern.name.value, range: pattern.name.range.union(pattern.regexRange),
                    nameRange: pattern.name.range))
        }
        for model in syntax.models {
            found.append(Declaration(kind: .model, name: model.name.value, range: model.range, nameRange: model.name.range))
        }
        for binding in syntax.lets {
            found.append(
                Declaration(
                    kind: .let, name: binding.name.value, range: binding.name.range.union(binding.value.range),
                    nameRange: binding.name.range))
        }
        for rule in syntax.rules {
            found.append(Declaration(kind: .rule, name: rule.name.value, range: rule.range, nameRange: rule.name.range))
        }
        if let decide = syntax.decide {
            let keyword = SourceRange(file: decide.range.file, bytes: decide.range.bytes.lowerBound..<(decide.range.bytes.lowerBound + 6))
            found.append(Declaration(kind: .decide, name: "decide", range: decide.range, nameRange: keyword))
        }
        for test in syntax.tests {
            found.append(Declaration(kind: .test, name: test.name.value, range: test.name.range, nameRange: test.name.range))
        }
        declarations = found
    }

    /// The declaration a name refers to (tests and the decide block are not referred to).
    func declaration(named name: String) -> Declaration? {
        declarations.first { $0.name == name && ![.test, .decide, .ruleset].contains($0.kind) }
    }

    /// A path written in the rule set (`file("lists/x.txt")`) on disk.
    func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : (root as NSString).appendingPathComponent(relative)
    }

    /// The entries of a list file: its lines that are not blank and not `#` comments.
    func entryCount(ofFile relative: String) -> Int? {
        guard let text = try? String(contentsOfFile: resolve(relative), encoding: .utf8) else { return nil }
        return text.split(separator: "\n").filter { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            return !t.isEmpty && !t.hasPrefix("#")
        }.count
    }
}
