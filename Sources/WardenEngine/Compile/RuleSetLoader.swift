import Foundation
import WardenLanguage

/// Reads a rule set from disk: one `.rules` file, or every `.rules` file of a directory in
/// file-name order, parsed into one namespace.
package struct RuleSetLoader {
    package struct Loaded: Sendable {
        package var syntax: RuleSetSyntax
        package var diagnostics: [Diagnostic]
        /// The rule set's directory: `file(…)` paths must stay inside it.
        package var root: String
    }

    /// The largest `.rules` file read (4 MiB): rules are written by people; anything larger is
    /// a mistake or an attack on the parser.
    package static let maxFileBytes = 4 << 20

    /// The size of the file at `path` without reading it, or nil when it cannot be read.
    static func size(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    /// The absolute path with `.` and `..` resolved: how `overlay` names files.
    package static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Whether `path`, with symbolic links resolved, lies inside `directory` (resolved too).
    static func isInside(_ path: String, _ directory: String) -> Bool {
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let root = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        return resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// Loads the rule set at `path`; a file named in `overlay` (by its standardized path) is
    /// read from there instead of the disk, and added if the directory does not list it yet:
    /// an editor's unsaved text (`warden lsp`).
    package static func load(path: String, overlay: [String: String] = [:]) -> Loaded {
        var syntax = RuleSetSyntax()
        var diagnostics: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            diagnostics.append(
                Diagnostic(
                    .noRules, .error, "no rule set at '\(path)'", at: nil, path: path,
                    hint: "pass --rules PATH, or run from a directory that has ./rules"))
            return Loaded(syntax: syntax, diagnostics: diagnostics, root: path)
        }
        var files: [String]
        let root: String
        if isDirectory.boolValue {
            root = path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".rules") }.map { (path as NSString).appendingPathComponent($0) }
            let listed = Set(files.map(standardized))
            let directory = standardized(path)
            for extra in overlay.keys where !listed.contains(extra) && (extra as NSString).deletingLastPathComponent == directory {
                files.append(extra)
            }
            files.sort { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
            if files.isEmpty {
                diagnostics.append(Diagnostic(.noRules, .error, "no .rules files in '\(path)'", at: nil, path: path))
            }
        } else {
            root = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
            files = [path]
        }
        for file in files {
            if let text = overlay[standardized(file)] {
                diagnostics += Parser.parse(SourceFile(path: file, text: text), into: &syntax)
                continue
            }
            // A link out of the directory (to /etc/passwd, say) is refused before it is read: its
            // content would come back quoted in the diagnostics. List files follow the same rule.
            if isDirectory.boolValue, !isInside(file, root) {
                diagnostics.append(
                    Diagnostic(.rulesFile, .error, "'\(file)' links outside the rule set's directory", at: nil, path: file))
                continue
            }
            if let size = size(of: file), size > maxFileBytes {
                diagnostics.append(
                    Diagnostic(
                        .limit, .error,
                        "rules file of \(size) bytes; the limit is \(maxFileBytes) (split it, or move word lists into list files)",
                        at: nil, path: file))
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                diagnostics.append(Diagnostic(.io, .error, "cannot read '\(file)'", at: nil, path: file))
                continue
            }
            guard data.count <= maxFileBytes else {
                diagnostics.append(
                    Diagnostic(
                        .limit, .error,
                        "rules file of \(data.count) bytes; the limit is \(maxFileBytes) (split it, or move word lists into list files)",
                        at: nil, path: file))
                continue
            }
            let bytes = [UInt8](data)
            if let bad = UTF8Validation.firstInvalidByte(bytes) {
                diagnostics.append(
                    Diagnostic(.encoding, .error, "invalid UTF-8 at byte \(bad); rules files are UTF-8", at: nil, path: file))
                continue
            }
            let source = SourceFile(path: file, text: String(decoding: bytes, as: UTF8.self))
            diagnostics += Parser.parse(source, into: &syntax)
        }
        return Loaded(syntax: syntax, diagnostics: diagnostics, root: root)
    }
}
