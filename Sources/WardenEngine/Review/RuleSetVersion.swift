import Foundation
import WardenLanguage

/// A rule set the store has served: its identity and its files, so it can be served again.
public struct RuleSetVersion: Sendable, Equatable {
    public var digest: String
    public var name: String
    public var version: String?
    /// When it was first served, by whom and why (a start, a reload, a rollback).
    public var loadedAt: Double
    public var by: String
    public var reason: String
    /// Path relative to the rule set's root → contents.
    public var files: [String: [UInt8]]

    public init(digest: String, name: String, version: String?, loadedAt: Double, by: String, reason: String, files: [String: [UInt8]]) {
        (self.digest, self.name, self.version, self.loadedAt, self.by, self.reason, self.files) =
            (digest, name, version, loadedAt, by, reason, files)
    }

    public func jsonValue(withFiles: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("digest", .string(digest)), ("name", .string(name)), ("version", version.map(JSONValue.string) ?? .null),
            ("loaded_at", .string(Timestamp.format(loadedAt))), ("by", .string(by)), ("reason", .string(reason)),
        ]
        if withFiles {
            pairs.append(
                (
                    "files",
                    .object(
                        files.sorted { $0.key < $1.key }.map { path, bytes in
                            // Rules and lists are text; a model file is not.
                            UTF8Validation.firstInvalidByte(bytes) == nil
                                ? (path, .object([("text", .string(String(decoding: bytes, as: UTF8.self)))]))
                                : (path, .object([("base64", .string(Data(bytes).base64EncodedString()))]))
                        })
                ))
        } else {
            pairs.append(("files", .array(files.keys.sorted().map(JSONValue.string))))
        }
        return .object(pairs)
    }

    public init?(json v: JSONValue) {
        guard let digest = v["digest"]?.stringValue, let loadedAt = v["loaded_at"]?.stringValue.flatMap(Timestamp.parse),
            case .object(let files)? = v["files"]
        else { return nil }
        var texts: [String: [UInt8]] = [:]
        for (path, file) in files {
            if let text = file["text"]?.stringValue {
                texts[path] = Array(text.utf8)
            } else if let encoded = file["base64"]?.stringValue, let data = Data(base64Encoded: encoded) {
                texts[path] = [UInt8](data)
            } else {
                return nil
            }
        }
        self.init(
            digest: digest, name: v["name"]?.stringValue ?? "", version: v["version"]?.stringValue, loadedAt: loadedAt,
            by: v["by"]?.stringValue ?? "", reason: v["reason"]?.stringValue ?? "", files: texts)
    }
}
