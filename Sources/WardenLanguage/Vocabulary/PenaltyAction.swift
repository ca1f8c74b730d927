/// The penalty actions of SPEC §2, with what each takes and what it does to the verdict.
public enum PenaltyAction: String, Sendable, CaseIterable {
    case disableGeneration = "disable_generation"
    case restrictSend = "restrict_send"
    case revokeCode = "revoke_code"
    case deleteContent = "delete_content"
    /// Withhold the invite reward an account earned (pay it after review).
    case holdReward = "hold_reward"
    case warn, review, challenge, reject
    /// `label(account, "farm" [, 30d])`: puts a label on the target (the review loop's store),
    /// which rules read with `has_label`.
    case label

    /// The event fields a rule may aim it at (empty: it takes no target).
    public var targets: [String] {
        switch self {
        case .disableGeneration, .restrictSend, .warn, .holdReward: ["account", "inviter"]
        case .revokeCode: ["code"]
        case .deleteContent: ["message"]
        case .label: ["account", "inviter", "code"]
        case .review, .challenge, .reject: []
        }
    }

    /// The kind of target it lands on; nil for the verdict-only actions.
    public var targetKind: TargetKind? {
        switch self {
        case .disableGeneration, .restrictSend, .warn, .holdReward, .label: .account
        case .revokeCode: .code
        case .deleteContent: .message
        case .review, .challenge, .reject: nil
        }
    }

    /// Whether `for DURATION` (or `escalate`) applies.
    public var takesDuration: Bool {
        switch self {
        case .disableGeneration, .restrictSend: true
        default: false
        }
    }

    /// Whether it stays in force over time (and so blocks later events); the others are
    /// one-off instructions.
    public var isLasting: Bool {
        switch self {
        case .disableGeneration, .restrictSend, .revokeCode: true
        default: false
        }
    }

    /// The verdict the action itself raises the decision to (beside the decide block's).
    public var verdict: Verdict? {
        switch self {
        case .review: .review
        case .challenge: .challenge
        case .reject: .block
        default: nil
        }
    }
}
