import ArgumentParser
import Foundation
import WardenEngine

/// `warden`: exit 0 on success, 1 for rule errors or failed tests, 2 for usage or input errors.
@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "Risk-control rules for invite codes and the messages that carry them.",
        version: Warden.version,
        subcommands: [
            Check.self, Audit.self, DryRun.self, Serve.self, Lint.self, Fmt.self, Lsp.self, Test.self, State.self, Eval.self, Train.self,
            Mine.self, Bench.self, Cases.self, Account.self, VocabularyCommand.self,
        ]
    )

    /// The release, printed by `warden --version`.
    static let version = WardenInfo.version

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            Output.checkWrites()
        } catch {
            Output.checkWrites()
            // argument-parser exits 64 (EX_USAGE) on usage errors; the contract says 2.
            if exitCode(for: error) == .validationFailure {
                Output.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
