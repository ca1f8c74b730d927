/// Why a review-loop change was refused or not stored. Each kind maps to one HTTP status.
public struct ReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No such case, list, label or rule set (404).
        case notFound
        /// The change conflicts with what is there: a case resolved already, a claim another
        /// reviewer holds (409).
        case conflict
        /// The request is wrong: a label on an unknown kind of target, an entry over the length
        /// limit, a list over its cap (400).
        case invalid
        /// The store did not take the change (503): nothing was written.
        case unavailable
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
