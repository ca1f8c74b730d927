/// A page of the review queue: filters, oldest first, `after` a case id.
public struct CaseQuery: Sendable, Equatable {
    public var status: ReviewCase.Status?
    public var rule: String?
    public var tag: String?
    public var account: String?
    /// Cases opened at or after this time.
    public var since: Double?
    /// Resolved at or after this time (the export of labels).
    public var resolvedSince: Double?
    public var limit = 100
    /// The id of the last case of the previous page.
    public var after: String?

    public init() {}

    public func matches(_ c: ReviewCase, at t: Double) -> Bool {
        if let status, c.status(at: t) != status { return false }
        if let rule, !c.rules.contains(rule) { return false }
        if let tag, !c.tags.contains(tag) { return false }
        if let account, c.account != account { return false }
        if let since, c.opened < since { return false }
        if let resolvedSince, (c.resolution?.at ?? -.infinity) < resolvedSince { return false }
        return true
    }
}
