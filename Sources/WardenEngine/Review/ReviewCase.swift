/// A decision sent to people: opened when a decision's penalties include `review`, claimed by a
/// reviewer for a lease, resolved with `confirm` or `overturn`, a label and a note.
public struct ReviewCase: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, claimed, resolved
    }

    public enum Outcome: String, Sendable, CaseIterable {
        /// The decision was right; its penalties stand.
        case confirm
        /// The decision was wrong; every penalty it recorded is lifted.
        case overturn
    }

    /// Who holds the case, and until when (seconds since 1970).
    public struct Claim: Sendable, Equatable {
        public var by: String
        public var until: Double
    }

    public struct Resolution: Sendable, Equatable {
        public var outcome: Outcome
        /// The class the reviewer gives the content (`spam`, `fraud`, `ham` …): the training label.
        public var label: String
        public var note: String
        public var by: String
        public var at: Double
        /// Penalty ids an overturn lifted.
        public var lifted: [String]

        public init(outcome: Outcome, label: String, note: String, by: String, at: Double, lifted: [String] = []) {
            (self.outcome, self.label, self.note, self.by, self.at, self.lifted) = (outcome, label, note, by, at, lifted)
        }
    }

    /// Assigned by the store when the case is opened (`c` and a number that only grows).
    public var id: String
    public var opened: Double
    public var account: String
    public var eventID: String
    /// The event as SPEC §1 writes it.
    public var event: JSONValue
    /// The decision as `POST /v1/check` answered it, evidence included.
    public var decision: JSONValue
    /// The digest of the rule set that decided.
    public var digest: String
    /// Rules that fired, and their tags: what the queue filters on.
    public var rules: [String]
    public var tags: [String]
    /// Ledger ids of the penalties the decision recorded (what an overturn lifts).
    public var penalties: [String]
    public var claim: Claim?
    public var resolution: Resolution?

    public init(
        id: String = "", opened: Double, account: String, eventID: String, event: JSONValue, decision: JSONValue, digest: String,
        rules: [String], tags: [String], penalties: [String]
    ) {
        (self.id, self.opened, self.account, self.eventID, self.event, self.decision) = (id, opened, account, eventID, event, decision)
        (self.digest, self.rules, self.tags, self.penalties) = (digest, rules, tags, penalties)
    }

    /// The case's number, which orders the queue.
    public var number: Int { Self.number(of: id) ?? 0 }

    /// The number in a case id (`c12` → 12); nil for anything that is not a case id.
    public static func number(of id: String) -> Int? {
        guard id.first == "c" else { return nil }
        return Int(id.dropFirst())
    }

    /// The event's text: what a training file's `content` is.
    public var content: String { event["text"]?.stringValue ?? "" }

    public func status(at t: Double) -> Status {
        if resolution != nil { return .resolved }
        if let claim, claim.until > t { return .claimed }
        return .open
    }

    /// A case opened for `decision` of `event`, not yet numbered.
    public init(event: Event, decision: Decision, at t: Double) {
        var w = JSONWriter()
        decision.write(to: &w)
        let decisionJSON = (try? JSONParser.parse(w.output)) ?? .null
        var tags: [String] = []
        for rule in decision.fired { for tag in rule.tags where !tags.contains(tag) { tags.append(tag) } }
        self.init(
            opened: t, account: event.account, eventID: event.id, event: event.jsonValue, decision: decisionJSON,
            digest: decision.ruleset.digest, rules: decision.fired.map(\.rule), tags: tags, penalties: decision.penalties.compactMap(\.id))
    }
}
