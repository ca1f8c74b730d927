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
        pairs.append(("files", Self.filesJSON(files, withContents: withFiles)))
        return .object(pairs)
    }

    public init?(json v: JSONValue) {
        guard let digest = v["digest"]?.stringValue, let loadedAt = v["loaded_at"]?.stringValue.flatMap(Timestamp.parse),
            let files = Self.files(from: v["files"])
        else { return nil }
        self.init(
            digest: digest, name: v["name"]?.stringValue ?? "", version: v["version"]?.stringValue, loadedAt: loadedAt,
            by: v["by"]?.stringValue ?? "", reason: v["reason"]?.stringValue ?? "", files: files)
    }

    /// A rule set's files as JSON: path → `{"text"}` (rules and lists), or `{"base64"}` (a
    /// model file, which is not text); only the paths without `withContents`.
    static func filesJSON(_ files: [String: [UInt8]], withContents: Bool) -> JSONValue {
        guard withContents else { return .array(files.keys.sorted().map(JSONValue.string)) }
        return .object(
            files.sorted { $0.key < $1.key }.map { path, bytes in
                UTF8Validation.firstInvalidByte(bytes) == nil
                    ? (path, .object([("text", .string(String(decoding: bytes, as: UTF8.self)))]))
                    : (path, .object([("base64", .string(Data(bytes).base64EncodedString()))]))
            })
    }

    /// Reads `filesJSON(_:withContents: true)` back; nil when it is not that.
    static func files(from value: JSONValue?) -> [String: [UInt8]]? {
        guard case .object(let pairs)? = value else { return nil }
        var files: [String: [UInt8]] = [:]
        for (path, file) in pairs {
            if let text = file["text"]?.stringValue {
                files[path] = Array(text.utf8)
            } else if let encoded = file["base64"]?.stringValue, let data = Data(base64Encoded: encoded) {
                files[path] = [UInt8](data)
            } else {
                return nil
            }
        }
        return files
    }
}
