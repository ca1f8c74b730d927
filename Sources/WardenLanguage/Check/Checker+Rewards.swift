/// The reward header (`reward_tiers`, `reward_excludes`, `reward_requires_return`): tiers are
/// whole invitee counts that rise, exclusions are label names, the return is at least a minute.
extension Checker {
    mutating func checkRewardHeader() {
        guard let header = syntax.header else { return }
        if let tiers = header.rewardTiers {
            var last = 0
            for e in tiers.value {
                guard case .integer(let n) = e.kind, n > last, n <= 1_000_000 else {
                    diagnostics.append(
                        .error(
                            .typeMismatch, "reward_tiers are whole invitee counts, each larger than the one before (at most 1000000)",
                            at: e.range, hint: "for example reward_tiers [1, 3, 5]"))
                    return
                }
                last = n
            }
            if tiers.value.isEmpty || tiers.value.count > 16 {
                diagnostics.append(.error(.typeMismatch, "reward_tiers has 1 to 16 tiers", at: tiers.range))
            }
        }
        for e in header.rewardExcludes?.value ?? [] {
            guard case .string(let label) = e.kind, !label.isEmpty else {
                diagnostics.append(.error(.typeMismatch, "reward_excludes lists label names in quotes", at: e.range))
                continue
            }
        }
        if let wait = header.rewardReturn, wait.value < 60 {
            diagnostics.append(.error(.typeMismatch, "reward_requires_return is at least 1m", at: wait.range))
        }
        let asksForTiers = header.rewardExcludes != nil || header.rewardReturn != nil
        if asksForTiers, header.rewardTiers == nil {
            let at = header.rewardExcludes?.range ?? header.rewardReturn!.range
            diagnostics.append(
                .warning(.unused, "reward_excludes and reward_requires_return do nothing without reward_tiers", at: at))
        }
    }
}
