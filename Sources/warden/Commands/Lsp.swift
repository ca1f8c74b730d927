import ArgumentParser
import Foundation
import WardenLSP

/// `warden lsp`: the language server, for editors (see editors/).
struct Lsp: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Language Server Protocol server on stdin and stdout (for editors).",
        discussion:
            "Diagnostics as you type (the same as warden lint), hover, go to definition, completion, document symbols and formatting (warden fmt). The rule set of a document is the .rules files of its directory, with the editor's unsaved texts."
    )

    func run() throws {
        let status = LanguageServer().run()
        if status != 0 { throw ExitCode(status) }
    }
}
