import ArgumentParser
import Foundation
import WardenLanguage

/// `warden vocabulary`: the language's tables (built-ins with signatures) as docs/language.md
/// shows them; `--write-docs FILE` rewrites the generated blocks of a page.
struct VocabularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocabulary",
        abstract: "Print the language's tables (built-in functions) as Markdown, or write them into a page.",
        shouldDisplay: false
    )

    @Option(name: .customLong("write-docs"), help: "Rewrite the <!-- generated: NAME --> blocks of this Markdown file.")
    var writeDocs: String?

    func run() throws {
        guard let writeDocs else {
            for (name, table) in VocabularyTables.blocks.sorted(by: { $0.key < $1.key }) { print("<!-- \(name) -->\n\(table)\n") }
            return
        }
        guard let page = try? String(contentsOfFile: writeDocs, encoding: .utf8) else {
            Output.error("warden: cannot read '\(writeDocs)'")
            throw ExitCode(2)
        }
        let updated = VocabularyTables.updating(page)
        if updated != page {
            do { try updated.write(toFile: writeDocs, atomically: true, encoding: .utf8) } catch {
                Output.error("warden: cannot write '\(writeDocs)': \(error)")
                throw ExitCode(2)
            }
        }
        print(updated == page ? "\(writeDocs): up to date" : "\(writeDocs): tables written")
    }
}
