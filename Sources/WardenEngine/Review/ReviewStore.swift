/// Where the review loop keeps what people do with Warden's decisions: cases, labels, live
/// list entries, the change log and the rule sets served. One protocol, one implementation per
/// state store (memory, SQLite, Redis), found on `StateStore.review` beside the ledger.
///
/// Every method that changes something either stores the change whole or throws, leaving
/// nothing half-written.
public protocol ReviewStore: AnyObject, Sendable {
    // MARK: cases

    /// The most cases open (not resolved) at once; `openCase` refuses more.
    var maxOpenCases: Int { get }
    /// Numbers `c` and stores it; nil when `maxOpenCases` cases are open (counted in
    /// `casesRefused`).
    func openCase(_ c: ReviewCase) throws(ReviewError) -> ReviewCase?
    func reviewCase(id: String) throws(ReviewError) -> ReviewCase?
    /// A page of cases, oldest first, and the id to continue after (nil on the last page).
    func cases(_ query: CaseQuery, at t: Double) throws(ReviewError) -> (cases: [ReviewCase], next: String?)
    /// Claims a case for `by` until `t + lease`: renews `by`'s own claim; 409 while another
    /// reviewer's lease runs or once it is resolved.
    func claim(id: String, by: String, lease: Double, at t: Double) throws(ReviewError) -> ReviewCase
    /// Resolves a case (409 when it is resolved, or claimed by another reviewer).
    func resolve(id: String, _ resolution: ReviewCase.Resolution) throws(ReviewError) -> ReviewCase
    /// Cases open or claimed now.
    var openCaseCount: Int { get }
    /// Cases not opened because the queue was full, since the store was opened.
    var casesRefused: Int { get }

    // MARK: labels

    func addLabel(_ label: EntityLabel) throws(ReviewError)
    /// Removes a label; false when there was none.
    func removeLabel(kind: EntityLabel.Kind, target: String, label: String) throws(ReviewError) -> Bool
    /// The labels in force on a target.
    func labels(kind: EntityLabel.Kind, target: String, at t: Double) -> [EntityLabel]
    func hasLabel(kind: EntityLabel.Kind, target: String, label: String, at t: Double) -> Bool

    // MARK: live lists

    func addEntry(_ entry: ListEntry, cap: Int) throws(ReviewError)
    func removeEntry(list: String, entry: String) throws(ReviewError) -> Bool
    /// The entries in force of a live list.
    func entries(list: String, at t: Double) -> [ListEntry]
    /// A number that changes whenever the list's entries change (in this process or another).
    func listVersion(_ list: String) -> UInt64

    // MARK: change log and rule-set history

    @discardableResult func append(_ change: ChangeRecord) throws(ReviewError) -> ChangeRecord
    /// Changes at or after `since`, of `kind` when given, oldest first, at most `limit`.
    func changes(since: Double?, kind: ChangeRecord.Kind?, limit: Int) -> [ChangeRecord]
    /// Keeps a rule set served; a digest stored already is kept as it was.
    func storeRuleSet(_ version: RuleSetVersion) throws(ReviewError)
    /// Every rule set stored, oldest first.
    func ruleSets() -> [RuleSetVersion]

    // MARK: drafts

    /// Stores a draft, replacing the one with its id.
    func saveDraft(_ draft: RuleDraft) throws(ReviewError)
    /// Every draft, oldest first.
    func drafts() -> [RuleDraft]
}

extension ReviewStore {
    public func ruleSet(digest: String) -> RuleSetVersion? { ruleSets().first { $0.digest == digest } }
    public func draft(id: String) -> RuleDraft? { drafts().first { $0.id == id } }
}
