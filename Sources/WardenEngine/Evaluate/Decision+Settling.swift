import WardenLanguage

extension StateErrorPolicy {
    /// The verdict floor a decision taken without its state gets (SPEC: `on_state_error`).
    func raising(_ verdict: Verdict) -> Verdict {
        switch self {
        case .block: .block
        case .closed: max(verdict, .review)
        case .open: verdict
        }
    }
}

extension Decision {
    /// The decision once the deferred writes it made or read have settled (`DeferredDurability`):
    /// a penalty whose record failed is left out; an extension that failed reports the end that
    /// is stored; a penalty in force that failed leaves the evidence; and the decision is marked
    /// `ledgerFailed` with the warning and the `on_state_error` floor of a write that failed in
    /// place. The verdict is never lowered (the rules' own reasons for it may still hold).
    package func settling(_ failed: [FailedWrite]) -> Decision {
        // Undone newest first, a record ends as its earliest failed write restored it.
        var byID: [String: FailedWrite] = [:]
        for f in failed where byID[f.id] == nil { byID[f.id] = f }
        var first: FailedWrite?
        var own = false
        func note(_ id: String?) -> FailedWrite? {
            guard let id, let f = byID[id] else { return nil }
            if first == nil { first = f }
            return f
        }
        var d = self
        d.penalties = penalties.compactMap { p in
            guard let f = note(p.id) else { return p }
            own = true
            guard let stored = f.restored else { return nil }
            var kept = p
            (kept.until, kept.forever) = (stored.until, stored.forever)
            return kept
        }
        d.fired = fired.compactMap { rule in
            guard rule.rule == "penalty_in_force" else { return rule }
            var kept = rule
            kept.evidence = rule.evidence.compactMap { e in
                guard let f = note(e.penalty?.id) else { return e }
                guard let stored = f.restored else { return nil }
                var restored = e
                restored.penalty = stored
                return restored
            }
            return kept.evidence.isEmpty ? nil : kept
        }
        for id in penaltiesRead { _ = note(id) }
        guard let failure = first else { return self }
        let policy = ruleset.onStateError
        d.verdict = policy.raising(verdict)
        d.ledgerFailed = true
        d.warnings.insert(Self.ledgerFailureWarning(failure.message, policy: policy, own: own), at: 0)
        return d
    }

    /// The warning of a decision whose penalty write failed (`own`: a penalty of its own, left
    /// out; otherwise one it relied on). The evaluator and `settling` both write it.
    static func ledgerFailureWarning(_ message: String, policy: StateErrorPolicy, own: Bool = true) -> String {
        "penalty ledger write failed: \(message); "
            + (own ? "the penalty is not in this answer" : "a penalty this answer relied on was not stored")
            + " (on_state_error \(policy.rawValue))"
    }
}
