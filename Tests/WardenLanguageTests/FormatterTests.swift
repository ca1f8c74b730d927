import Foundation
import Testing

@testable import WardenLanguage

/// `warden fmt`: one layout, idempotent, comments kept, and the same tokens (so the same rules).
@Suite struct FormatterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func format(_ text: String) -> String {
        guard case .formatted(let out) = Formatter.format(SourceFile(path: "t.rules", text: text)) else {
            Issue.record("did not format: \(text)")
            return ""
        }
        return out
    }

    /// Every token's kind and text, which is what the parser reads.
    func tokens(_ text: String) -> [String] {
        Lexer.tokenize(SourceFile(path: "t.rules", text: text)).tokens.map { "\($0.kind.rawValue) \($0.text) \($0.integer) \($0.flags)" }
    }

    @Test func oneCanonicalLayout() {
        let messy = """


            # header comment
            ruleset   t   timezone "Asia/Shanghai"
            list words ( fold : [ "width","case" ] ) = [ "转发" ,"红包" ]   # trailing comment



            rule r "d" {
                 on send,issue
            when len( text )>3 and(text contains any words or x- 1 <= -2)
                      or not fired( q )
              score -40
                penalty restrict_send( account , 1d )
              rollout 10 %
            }
            decide {
            block  when score>=100
            }
            test "t" {
            send {
            account: "a",
              text : "hi"
            } expect allow
            }

            """
        let expected = """
            # header comment
            ruleset t timezone "Asia/Shanghai"
            list words(fold: ["width", "case"]) = ["转发", "红包"]  # trailing comment

            rule r "d" {
              on send, issue
              when len(text) > 3 and (text contains any words or x - 1 <= -2)
                or not fired(q)
              score -40
              penalty restrict_send(account, 1d)
              rollout 10%
            }
            decide {
              block when score >= 100
            }
            test "t" {
              send {
                account: "a",
                text: "hi"
              } expect allow
            }

            """
        #expect(format(messy) == expected)
        #expect(format(expected) == expected)
        #expect(tokens(messy) == tokens(expected))
    }

    @Test func hangingBracketsIndentTheirContinuationLines() {
        let text = """
            rule r {
              on send
              when (a
                  or b)
                and (c or
                  d)
              score 1
            }
            list l = [
              "a",
              "b",
            ]

            """
        #expect(format(text) == text)
        #expect(format(text.replacingOccurrences(of: "      or b)", with: "or b)")) == text)
    }

    @Test func aFileWithSyntaxErrorsIsNotFormatted() {
        guard case .failed(let errors) = Formatter.format(SourceFile(path: "t.rules", text: "rule r { on send when \"x }\n")) else {
            Issue.record("formatted a file that does not lex")
            return
        }
        #expect(errors.first?.id == "syntax")
    }

    /// Every rules file of the repository: formatted already (rules/ is kept so), formatting
    /// twice gives the same bytes, and the tokens do not change.
    @Test(arguments: Self.repositoryRulesFiles())
    func repositoryFilesRoundTrip(_ path: String) throws {
        let text = try String(contentsOfFile: Self.root.appendingPathComponent(path).path, encoding: .utf8)
        let once = format(text)
        #expect(format(once) == once)
        #expect(tokens(once) == tokens(text))
        if path.hasPrefix("rules/") { #expect(once == text, "\(path) is not formatted: run warden fmt") }
    }

    @Test func theRepositoryFilesAreFound() {
        let files = Self.repositoryRulesFiles()
        #expect(files.filter { $0.hasPrefix("rules/") }.count >= 12)
        #expect(files.contains("Tests/WardenCLITests/Fixtures/broken.rules"))
    }

    static func repositoryRulesFiles() -> [String] {
        let base = root.path + "/"
        var found: [String] = []
        for dir in ["rules", "Tests", "docs", "samples"] {
            let enumerator = FileManager.default.enumerator(atPath: base + dir)
            while let path = enumerator?.nextObject() as? String {
                if path.hasSuffix(".rules") { found.append(dir + "/" + path) }
            }
        }
        return found.sorted()
    }
}

/// Hover and completion in `warden lsp`, the checker, the compiler and docs/language.md read
/// `Builtin`.
@Suite struct BuiltinTableTests {
    @Test func everyBuiltinIsDocumented() {
        for builtin in Builtin.allCases {
            #expect(builtin.doc.signature.hasPrefix(builtin.rawValue + "("), "\(builtin)")
            #expect(builtin.doc.summary.isEmpty == false, "\(builtin)")
            #expect(builtin.doc.example.contains(builtin.rawValue + "("), "\(builtin)")
        }
        #expect(Vocabulary.builtins.count == Builtin.allCases.count)
        #expect(Set(Vocabulary.inviteBuiltins.keys) == Set(Builtin.allCases.filter { $0.invite != nil }.map(\.rawValue)))
    }

    /// The tables of docs/language.md and docs/events.md are the ones `Builtin` and `EventField`
    /// write (regenerate with `warden vocabulary --write-docs PAGE`).
    @Test func theLanguageReferenceListsTheTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let pages = ["docs/language.md": ["builtins", "invite-builtins", "fields", "diagnostics"], "docs/events.md": ["event-keys"]]
        for (path, blocks) in pages {
            let page = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            for name in blocks {
                #expect(page.contains("<!-- generated: \(name) -->"), "\(path) has no block \(name)")
            }
            #expect(VocabularyTables.updating(page) == page, "\(path) is out of date: run warden vocabulary --write-docs \(path)")
        }
    }

    @Test func updatingRewritesOnlyTheBlocks() {
        let page = "before\n<!-- generated: builtins -->\nold table\n<!-- end: builtins -->\nafter <!-- generated: nothing -->\n"
        let updated = VocabularyTables.updating(page)
        #expect(updated.hasPrefix("before\n<!-- generated: builtins -->\n| function | value | example |"))
        #expect(!updated.contains("old table"))
        #expect(updated.hasSuffix("<!-- end: builtins -->\nafter <!-- generated: nothing -->\n"))
        #expect(updated.contains("| `near(X, A, B, within: N [, ordered: true])` |"))
    }
}
