import Foundation
import WardenLanguage

/// Reads a rule set from disk: one `.rules` file, or every `.rules` file of a directory in
/// file-name order, parsed into one namespace.
public struct RuleSetLoader {
    public struct Loaded: Sendable {
        public var syntax: RuleSetSyntax
        public var diagnostics: [Diagnostic]
        /// The rule set's directory: `file(…)` paths must stay inside it.
        public var root: String
    }

    public static func load(path: String) -> Loaded {
        var syntax = RuleSetSyntax()
        var diagnostics: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            diagnostics.append(Diagnostic("no-rules", .error, "no rule set at '\(path)'", at: nil, path: path,
                                          hint: "pass --rules PATH, or run from a directory that has ./rules"))
            return Loaded(syntax: syntax, diagnostics: diagnostics, root: path)
        }
        var files: [String]
        let root: String
        if isDirectory.boolValue {
            root = path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".rules") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            if files.isEmpty {
                diagnostics.append(Diagnostic("no-rules", .error, "no .rules files in '\(path)'", at: nil, path: path))
            }
        } else {
            root = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
            files = [path]
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                diagnostics.append(Diagnostic("io", .error, "cannot read '\(file)'", at: nil, path: file))
                continue
            }
            let bytes = [UInt8](data)
            if let bad = firstInvalidUTF8(bytes) {
                diagnostics.append(Diagnostic("encoding", .error, "invalid UTF-8 at byte \(bad); rules files are UTF-8", at: nil, path: file))
                continue
            }
            let source = SourceFile(path: file, text: String(decoding: bytes, as: UTF8.self))
            diagnostics += Parser.parse(source, into: &syntax)
        }
        return Loaded(syntax: syntax, diagnostics: diagnostics, root: root)
    }

    /// Byte offset of the first byte that is not valid UTF-8, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            if length == 3 {
                if b == 0xE0 && bytes[i + 1] < 0xA0 { return i }
                if b == 0xED && bytes[i + 1] >= 0xA0 { return i }
            }
            if length == 4 {
                if b == 0xF0 && bytes[i + 1] < 0x90 { return i }
                if b == 0xF4 && bytes[i + 1] >= 0x90 { return i }
            }
            i += length
        }
        return nil
    }
}
