import Foundation
import Testing
import WardenLanguage
import WardenMatching

/// The TextMate grammar shipped in editors/: its expressions compile, and it knows the language.
@Suite struct EditorGrammarTests {
    static let grammarURL = CLITests.root.appendingPathComponent("editors/vscode/syntaxes/warden.tmLanguage.json")

    /// Every `match`, `begin` and `end` expression in the grammar, by where it is.
    static func expressions() throws -> [(String, String)] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: grammarURL))
        var found: [(String, String)] = []
        func walk(_ value: Any, _ path: String) {
            if let dictionary = value as? [String: Any] {
                for (key, child) in dictionary {
                    if ["match", "begin", "end"].contains(key), let regex = child as? String { found.append((path + "." + key, regex)) }
                    walk(child, path + "." + key)
                }
            } else if let array = value as? [Any] {
                for (k, child) in array.enumerated() { walk(child, "\(path)[\(k)]") }
            }
        }
        walk(object, "")
        return found
    }

    func regex(named suffix: String) throws -> CompiledRegex {
        let (_, source) = try #require(try Self.expressions().first { $0.0.hasSuffix(suffix) })
        return try CompiledRegex(source)
    }

    @Test func everyExpressionCompiles() throws {
        let all = try Self.expressions()
        #expect(all.count >= 12)
        for (path, source) in all {
            do throws(RegexError) { _ = try CompiledRegex(source) } catch { Issue.record("\(path): \(error.message)") }
        }
    }

    @Test func itHighlightsTheLanguage() throws {
        let builtins = try regex(named: "builtins.match")
        for name in Vocabulary.builtins {
            #expect(try builtins.firstMatch(in: "when \(name)(text)") != nil, "\(name)")
        }
        #expect(try builtins.firstMatch(in: "when counted > 3") == nil)
        let comment = try regex(named: "comment.match")
        #expect(try comment.firstMatch(in: "score 5  # a note") == 9..<17)
        let number = try regex(named: "numbers.match")
        #expect(try number.firstMatch(in: "within: 1d") == 8..<10)
        let regexLiteral = try regex(named: "regex.match")
        #expect(try regexLiteral.firstMatch(in: #"when text matches /加[vV微]信/i"#) != nil)
    }
}
