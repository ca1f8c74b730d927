/// One penalty in the ledger. Lifting is recorded here; records are never erased.
public struct PenaltyRecord: Sendable, Equatable {
    public var id: String
    public var action: PenaltyAction
    public var targetKind: TargetKind
    public var target: String
    public var start: Double
    /// When it ends; nil for `forever` and for actions that do not last (delete_content, warn).
    public var until: Double?
    public var forever: Bool
    /// 1 for the first penalty of this action on this target, 2 for the second, …
    public var offense: Int
    public var rule: String
    public var event: String
    public var lifted: Lift?

    public struct Lift: Sendable, Equatable {
        public var at: Double
        public var reason: String
        public init(at: Double, reason: String) {
            self.at = at
            self.reason = reason
        }
    }

    public init(
        id: String, action: PenaltyAction, targetKind: TargetKind, target: String, start: Double, until: Double?, forever: Bool,
        offense: Int, rule: String, event: String, lifted: Lift?
    ) {
        self.id = id
        self.action = action
        self.targetKind = targetKind
        self.target = target
        self.start = start
        self.until = until
        self.forever = forever
        self.offense = offense
        self.rule = rule
        self.event = event
        self.lifted = lifted
    }

    /// True while it blocks: a lasting action, not lifted, not yet ended at `t`.
    public func inForce(at t: Double) -> Bool {
        guard lifted == nil, action.isLasting, t >= start else { return false }
        if forever { return true }
        return until.map { t < $0 } ?? false
    }
}
