import Foundation
import WardenLanguage

/// A candidate rule set kept beside the live one: its files, its lint result, what it would
/// change on the events it was tried on, and who wrote and who approved it.
public struct RuleDraft: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Waiting for approval.
        case pending
        /// Approved and served.
        case published
        /// Withdrawn or superseded: never served.
        case withdrawn
    }

    public var id: String
    public var created: Double
    public var by: String
    public var reason: String
    public var status: Status
    /// Path relative to the rule set's root → contents (the whole rule set).
    public var files: [String: [UInt8]]
    /// The digest it compiles to; nil when it has errors.
    public var digest: String?
    public var diagnostics: JSONValue
    /// What it decided differently from the live rule set on the events it was tried on.
    public var dryRun: JSONValue
    public var approvedBy: String?
    public var approvedAt: Double?

    public init(
        id: String, created: Double, by: String, reason: String, files: [String: [UInt8]], digest: String?, diagnostics: JSONValue,
        dryRun: JSONValue
    ) {
        (self.id, self.created, self.by, self.reason, self.status, self.files) = (id, created, by, reason, .pending, files)
        (self.digest, self.diagnostics, self.dryRun) = (digest, diagnostics, dryRun)
    }

    public var hasErrors: Bool { digest == nil }

    public func jsonValue(withFiles: Bool) -> JSONValue {
        .object([
            ("id", .string(id)), ("status", .string(status.rawValue)), ("created", .string(Timestamp.format(created))), ("by", .string(by)),
            ("reason", .string(reason)), ("digest", digest.map(JSONValue.string) ?? .null), ("diagnostics", diagnostics),
            ("dry_run", dryRun), ("approved_by", approvedBy.map(JSONValue.string) ?? .null),
            ("approved_at", approvedAt.map { .string(Timestamp.format($0)) } ?? .null),
            ("files", RuleSetVersion.filesJSON(files, withContents: withFiles)),
        ])
    }

    public init?(json v: JSONValue) {
        guard let id = v["id"]?.stringValue, let created = v["created"]?.stringValue.flatMap(Timestamp.parse),
            let status = v["status"]?.stringValue.flatMap(Status.init(rawValue:)), let files = RuleSetVersion.files(from: v["files"])
        else { return nil }
        self.init(
            id: id, created: created, by: v["by"]?.stringValue ?? "", reason: v["reason"]?.stringValue ?? "", files: files,
            digest: v["digest"]?.stringValue, diagnostics: v["diagnostics"] ?? .array([]), dryRun: v["dry_run"] ?? .null)
        self.status = status
        approvedBy = v["approved_by"]?.stringValue
        approvedAt = v["approved_at"]?.stringValue.flatMap(Timestamp.parse)
    }
}
