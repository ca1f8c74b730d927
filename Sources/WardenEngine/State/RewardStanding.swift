import WardenLanguage

/// Where an account stands toward its invite reward (SPEC §9, reward tiers): its direct
/// invitees sorted into qualified, pending (clean, not yet back) and flagged, and the tier the
/// qualified ones reach.
public struct RewardStanding: Sendable, Equatable {
    public var qualified = 0
    public var pending = 0
    public var flagged = 0
    /// 0 below the first tier, 1 at the first, and so on.
    public var tier = 0

    public init(qualified: Int = 0, pending: Int = 0, flagged: Int = 0, tier: Int = 0) {
        (self.qualified, self.pending, self.flagged, self.tier) = (qualified, pending, flagged, tier)
    }

    /// One direct invitee as the graph knows it.
    struct Invitee {
        var account: String
        var joined: Double
        var flagged: Bool
        var lastActive: Double
    }

    /// The account actions whose penalty in force keeps an invitee from counting.
    static let disqualifying: [PenaltyAction] = PenaltyAction.allCases.filter { $0.isLasting && $0.targetKind == .account }

    /// Sorts `invitees` under `info`'s reward header: a redemption not allowed, a lasting
    /// penalty in force or a label of `reward_excludes` flags one; a clean one that has not
    /// been active `reward_requires_return` after redeeming is pending. One ledger read for all.
    /// `older`: the invitees already sorted without the ledger (`InviteView.invitees`).
    static func of(
        _ invitees: [Invitee], older: RewardStanding = RewardStanding(), info: CompiledRuleSet.Info, ledger: (any PenaltyLedger)?,
        review: (any ReviewStore)?, at t: Double
    ) -> RewardStanding {
        var s = older
        let candidates = invitees.filter { !$0.flagged }
        s.flagged += invitees.count - candidates.count
        var penalized = Set<String>()
        if let ledger, !candidates.isEmpty {
            let queries = candidates.flatMap { c in
                disqualifying.map { PenaltyQuery(action: $0, targetKind: .account, target: c.account) }
            }
            for (q, record) in zip(queries, ledger.inForce(queries, at: t)) where record != nil { penalized.insert(q.target) }
        }
        for c in candidates {
            let excluded =
                review.map { r in info.rewardExcludes.contains { r.hasLabel(kind: .account, target: c.account, label: $0, at: t) } }
                ?? false
            if penalized.contains(c.account) || excluded {
                s.flagged += 1
            } else if let wait = info.rewardReturn, c.lastActive < c.joined + wait {
                s.pending += 1
            } else {
                s.qualified += 1
            }
        }
        s.tier = info.rewardTiers.lastIndex { s.qualified >= $0 }.map { $0 + 1 } ?? 0
        return s
    }
}
