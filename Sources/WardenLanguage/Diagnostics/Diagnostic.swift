/// A problem found in a rule set: data only; `DiagnosticRenderer` turns it into text.
///
/// `id` is stable (`unknown-name`, `type-mismatch`, …: the ids of `DiagnosticID`) so tools and
/// tests can match on it while the wording of `message` improves.
public struct Diagnostic: Sendable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var id: String
    public var severity: Severity
    public var message: String
    /// Where it is; `nil` for problems that have no place in the source (a missing directory).
    public var range: SourceRange?
    /// A file the problem is about when it has no range (a list file, a rule set directory).
    public var path: String?
    /// A "did you mean" or other hint shown under the caret.
    public var hint: String?
    /// The name to show for the file instead of the path it was read from (a stored rule set
    /// compiled in a temporary directory names its own files).
    public var shownFile: String?

    public init(
        _ id: DiagnosticID, _ severity: Severity = .error, _ message: String, at range: SourceRange?,
        path: String? = nil, hint: String? = nil
    ) {
        self.id = id.rawValue
        self.severity = severity
        self.message = message
        self.range = range
        self.path = path
        self.hint = hint
    }

    public static func error(_ id: DiagnosticID, _ message: String, at range: SourceRange?, hint: String? = nil) -> Diagnostic {
        Diagnostic(id, .error, message, at: range, hint: hint)
    }

    public static func warning(_ id: DiagnosticID, _ message: String, at range: SourceRange?, hint: String? = nil) -> Diagnostic {
        Diagnostic(id, .warning, message, at: range, hint: hint)
    }

    public var location: SourceLocation? { range?.start }
    public var file: String? { shownFile ?? range?.file.path ?? path }

    public var description: String { DiagnosticRenderer(color: false).render(self) }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
