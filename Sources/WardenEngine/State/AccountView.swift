/// What Warden knows of one account, for people: its place in the invite graph, the
/// penalties in force on it, its labels. `Engine.account(_:at:)` builds it.
public struct AccountView: Sendable {
    public struct Invite: Sendable {
        public var inviter: String?
        /// Levels above it to its tree's root.
        public var depth: Int
        /// When it joined its inviter (a root: its first issue).
        public var joined: Double?
        public var code: String?
        /// Its direct invitees, and every account below it (all levels).
        public var direct: Int
        public var descendants: Int
        /// Its direct invitees under the rule set's reward tiers.
        public var reward: RewardStanding
    }

    public var account: String
    public var penalties: [PenaltyRecord]
    public var labels: [EntityLabel]
    /// Nil when the account is in no invite tree.
    public var invite: Invite?
    /// Its last decisions other than allow made by this process, newest first.
    public var recent: [Recent] = []

    /// One decision in `recent`.
    public struct Recent: Sendable {
        public var id: String
        public var type: String
        public var at: Double
        public var verdict: Verdict
        public var rules: [String]
        public var caseID: String?

        var jsonValue: JSONValue {
            .object([
                ("id", .string(id)), ("type", .string(type)), ("at", .string(Timestamp.format(at))),
                ("decision", .string(verdict.rawValue)),
                ("rules", .array(rules.map(JSONValue.string))), ("case", caseID.map(JSONValue.string) ?? .null),
            ])
        }
    }

    public func jsonValue(at t: Double) -> JSONValue {
        var invite: JSONValue = .null
        if let i = self.invite {
            invite = .object([
                ("inviter", i.inviter.map(JSONValue.string) ?? .null), ("depth", .int(i.depth)),
                ("joined", i.joined.map { .string(Timestamp.format($0)) } ?? .null), ("code", i.code.map(JSONValue.string) ?? .null),
                ("direct", .int(i.direct)), ("descendants", .int(i.descendants)), ("qualified", .int(i.reward.qualified)),
                ("pending", .int(i.reward.pending)), ("flagged", .int(i.reward.flagged)), ("tier", .int(i.reward.tier)),
            ])
        }
        return .object([
            ("account", .string(account)), ("penalties", .array(penalties.map(\.jsonValue))), ("labels", .array(labels.map(\.jsonValue))),
            ("recent", .array(recent.map(\.jsonValue))), ("invite", invite),
        ])
    }
}

/// One account below another in the invite graph (a 团长's 下级用户).
public struct DownlineEntry: Sendable {
    public enum Status: String, Sendable {
        /// Nothing against it.
        case ok
        /// Its redemption was not allowed.
        case flagged
        /// Its invite reward is held (`hold_reward`).
        case held
        /// A lasting penalty is in force on it.
        case penalized
    }

    public var account: String
    public var inviter: String
    /// 1 for a direct invitee.
    public var depth: Int
    public var joined: Double
    public var code: String?
    public var device: String?
    public var network: String?
    public var status: Status

    public var jsonValue: JSONValue {
        .object([
            ("account", .string(account)), ("inviter", .string(inviter)), ("depth", .int(depth)),
            ("joined", .string(Timestamp.format(joined))),
            ("code", code.map(JSONValue.string) ?? .null), ("device", device.map(JSONValue.string) ?? .null),
            ("network", network.map(JSONValue.string) ?? .null), ("status", .string(status.rawValue)),
        ])
    }
}
