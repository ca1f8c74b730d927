/// What Warden answers for one event (SPEC §4).
public struct Decision: Sendable {
    public struct FiredRule: Sendable {
        public var rule: String
        public var score: Double
        public var tags: [String]
        public var evidence: [Evidence]
    }

    public struct Penalty: Sendable, Equatable {
        public var action: PenaltyAction
        /// What the penalty lands on, with the value; nil for review, challenge, reject.
        public var targetKey: TargetKind?
        public var targetValue: String?
        /// End of the penalty in seconds; nil when it does not last or lasts forever.
        public var until: Double?
        public var forever: Bool
        public var rule: String
        /// The ledger record's id and offense number, for penalties the ledger keeps.
        public var id: String?
        public var offense: Int?
        /// The label a `label(…)` penalty put on its target.
        public var label: String?
        /// What the stored record would survive, when a shared ledger said (Redis).
        public var durability: PenaltyDurability?
    }

    public var id: String
    public var type: Event.Kind
    public var verdict: Verdict
    public var score: Double
    public var fired: [FiredRule]
    public var penalties: [Penalty]
    public var shadow: [FiredRule]
    public var ruleset: CompiledRuleSet.Info
    /// Problems met while evaluating (a regex that hit its match limit); the decision stands.
    public var warnings: [String]
    /// The shared counter state could not be reached; `on_state_error` decided (a warning says so).
    public var stateUnavailable = false
    /// A penalty of this event was not stored (the ledger's write failed) and is not in the
    /// answer; `on_state_error` decided the verdict (a warning says so).
    public var ledgerFailed = false
    /// Penalties a rule read through `active(…)` (not part of the answer's JSON): what the
    /// decision relied on besides its evidence, should a deferred write of them fail.
    public var penaltiesRead: [String] = []
    /// The review case this decision opened (its penalties include `review` and the state
    /// keeps a review queue).
    public var caseID: String?

    public func fired(_ rule: String) -> Bool { fired.contains { $0.rule == rule } }
}
