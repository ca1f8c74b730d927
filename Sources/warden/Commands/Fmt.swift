import ArgumentParser
import Foundation
import WardenLanguage

/// `warden fmt`: rewrite rules files in the canonical layout, or (`--check`) show what would change.
struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Format rules files in one canonical layout (comments kept).",
        discussion:
            "Rewrites each .rules file in place and names the ones it changed. With --check, changes nothing, prints a diff of each file that is not formatted, and exits 1 when there is one (for CI)."
    )

    @ArgumentParser.Argument(help: "Rules files, or directories searched for .rules files (default: rules).")
    var paths: [String] = []

    @Flag(help: "Change nothing: print a diff of each file that is not formatted, and exit 1 if any is not.")
    var check = false

    func run() throws {
        let files = try Self.rulesFiles(paths.isEmpty ? ["rules"] : paths)
        var unformatted = 0
        var broken = 0
        for path in files {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                Output.error("warden: cannot read '\(path)' as UTF-8")
                broken += 1
                continue
            }
            switch Formatter.format(SourceFile(path: path, text: text)) {
            case .failed(let diagnostics):
                broken += 1
                let renderer = DiagnosticRenderer(color: Output.colorStderr)
                for d in diagnostics { Output.error(renderer.render(d)) }
                Output.error("warden: '\(path)' has syntax errors; not formatted")
            case .formatted(let formatted) where formatted != text:
                unformatted += 1
                if check {
                    Output.line(UnifiedDiff.render(old: text, new: formatted, path: path))
                } else {
                    try Data(formatted.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                    Output.line("formatted \(path)")
                }
            case .formatted: break
            }
        }
        if check, unformatted > 0 {
            Output.error("warden: \(unformatted) file\(unformatted == 1 ? " is" : "s are") not formatted (run 'warden fmt')")
        }
        if broken > 0 { throw ExitCode(2) }
        if check, unformatted > 0 { throw ExitCode(1) }
    }

    /// The `.rules` files named, and those under the directories named, in name order.
    static func rulesFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                Output.error("warden: no such file or directory '\(path)'")
                throw ExitCode(2)
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let found = (FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".rules") }.sorted()
            files += found.map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }
}
