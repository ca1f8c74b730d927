extension CompiledRuleSet {
    /// What the rule set's state is keyed by: whether a log split by account (`audit
    /// --partition`, or an audit's evaluation on every core) decides exactly as the whole log
    /// does.
    package struct StateKeys: Sendable, Equatable {
        /// Per key of the counters (`account`, `ip`, `account, device` …), how many counters.
        package var counters: [String: Int]
        /// The kinds of target the rules' penalties land on.
        package var penalties: Set<TargetKind>
        /// Whether the rules read the invite graph, whose edges join accounts.
        package var inviteGraph = false
        /// The fields other than the event's own `account` that penalties and labels on an
        /// account land on (`inviter`): another account's state, written by this event.
        package var otherAccounts: Set<String> = []
        /// The same for the penalties rules read (`active(…, inviter)`).
        package var penaltiesReadOn: Set<String> = []

        /// Every counter key starts with the account and every penalty lands on the event's
        /// account: all of an account's state is in its own partition.
        package var exactByAccount: Bool { approximateByAccount.isEmpty }

        /// What a partition by account does not keep exact, in words (empty when exact).
        package var approximateByAccount: [String] {
            var out = counters.keys.filter { !($0 == "account" || $0.hasPrefix("account, ")) }.sorted().map { "counters by \($0)" }
            // A message is one event, in one partition.
            let elsewhere = Set(penalties.filter { $0 != .account && $0 != .message }.map(\.rawValue)).union(otherAccounts)
            out += elsewhere.sorted().map { "penalties on \($0)" }
            out += penaltiesReadOn.sorted().map { "penalties read on \($0)" }
            // An inviter's downline is redeemed by other accounts, in other parts.
            if inviteGraph { out.append("the invite graph") }
            return out
        }
    }

    package var stateKeys: StateKeys {
        var keys: [String: Int] = [:]
        for spec in counters { keys[spec.keyNames.joined(separator: ", "), default: 0] += 1 }
        let targets = Set(rules.flatMap { $0.penalties.compactMap { $0.target == nil ? nil : $0.action.targetKind } })
        let others = Set(
            rules.flatMap { rule in
                rule.penalties.compactMap { p in
                    p.action.targetKind == .account && p.target != nil && p.target != .account ? p.target?.name : nil
                }
            })
        return StateKeys(
            counters: keys, penalties: targets, inviteGraph: readsInviteGraph, otherAccounts: others, penaltiesReadOn: penaltiesReadOn)
    }
}
