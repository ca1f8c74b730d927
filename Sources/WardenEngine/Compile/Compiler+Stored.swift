import Foundation
import WardenLanguage

extension Compiler {
    /// Compiles a rule set held as files (the rule-set history): they are written to a fresh
    /// private directory, compiled from there exactly as from their own directory (so the digest
    /// is the one they were stored under), and the directory is removed.
    public static func compile(files: [String: [UInt8]]) -> (ruleSet: CompiledRuleSet?, diagnostics: [Diagnostic]) {
        switch written(files, { directory in (directory, compile(path: directory)) }) {
        case .success(let (directory, result)): return (result.ruleSet, relabelled(result.diagnostics, directory))
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
    }

    /// `source` compiled as one more file beside a rule set held as files (the playground): its
    /// `file("…")` reaches those files and nothing else (not what else lies in the live rule
    /// set's directory: a token file beside a single-file rule set was quoted in diagnostics).
    package static func compile(source: String, besideFiles files: [String: [UInt8]]) -> (
        ruleSet: CompiledRuleSet?, diagnostics: [Diagnostic]
    ) {
        let result = written(files) { directory in
            (directory, compile(source: source, path: directory + "/playground.rules", root: directory))
        }
        switch result {
        case .success(let (directory, result)): return (result.ruleSet, relabelled(result.diagnostics, directory))
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
    }

    /// Diagnostics naming files as the store does, not the temporary directory.
    private static func relabelled(_ diagnostics: [Diagnostic], _ directory: String) -> [Diagnostic] {
        let prefix = directory + "/"
        return diagnostics.map { d -> Diagnostic in
            var d = d
            if let file = d.file, file.hasPrefix(prefix) { d.shownFile = String(file.dropFirst(prefix.count)) }
            d.message = d.message.replacingOccurrences(of: prefix, with: "")
            return d
        }
    }

    /// The parsed syntax of a rule set held as files (for a rule-set diff); nil when they
    /// cannot be written out.
    package static func syntax(files: [String: [UInt8]]) -> RuleSetSyntax? {
        try? written(files, { RuleSetLoader.load(path: $0).syntax }).get()
    }

    /// `body` run on the files written to a fresh private directory, removed afterwards.
    private static func written<R>(_ files: [String: [UInt8]], _ body: (String) -> R) -> Result<R, Diagnostic> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-rules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            for (path, bytes) in files {
                // Paths come from a store: nothing absolute, nothing climbing out.
                let parts = path.split(separator: "/")
                guard !path.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
                    return .failure(Diagnostic(.rulesFile, .error, "stored rule set names the file '\(path)'", at: nil, path: path))
                }
                let url = directory.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            }
        } catch {
            return .failure(Diagnostic(.io, .error, "cannot write the stored rule set to \(directory.path): \(error)", at: nil, path: nil))
        }
        return .success(body(directory.path))
    }
}
