/// The review loop on a service: cases resolved (an overturn lifts what the decision recorded),
/// labels, live list entries, rollbacks; every change written to the change log with its actor
/// and reason. Without a review store these throw `unavailable`.
extension WardenService {
    /// How long a claim holds a case by default (10 minutes).
    public static let defaultLease = 600.0

    func store() throws(ReviewError) -> any ReviewStore {
        guard let review else { throw ReviewError(.unavailable, "this state keeps no review loop") }
        return review
    }

    /// Keeps the rule set served in the history, and logs how it came to be served. A store
    /// that fails here costs the change log a line, never the reload.
    func remember(_ ruleSet: CompiledRuleSet, by actor: String, reason: String, kind: ChangeRecord.Kind?, from previous: String? = nil) {
        guard let review else { return }
        let t = clock()
        try? review.storeRuleSet(
            RuleSetVersion(
                digest: ruleSet.info.digest, name: ruleSet.info.name, version: ruleSet.info.version, loadedAt: t, by: actor, reason: reason,
                files: ruleSet.sources))
        guard let kind else { return }
        var detail: [(String, JSONValue)] = [("digest", .string(ruleSet.info.digest))]
        if let previous { detail.append(("previous", .string(previous))) }
        _ = try? review.append(
            ChangeRecord(at: t, kind: kind, by: actor, reason: reason, subject: ruleSet.info.digest, detail: .object(detail)))
    }

    /// Lifts a penalty and logs who did and why.
    public func lift(id: String, reason: String, by actor: String) throws(LedgerError) -> PenaltyRecord? {
        let lifted = try lift(id: id, reason: reason)
        if let lifted, let review {
            _ = try? review.append(
                ChangeRecord(
                    at: clock(), kind: .lift, by: actor, reason: reason, subject: id,
                    detail: .object([("target", .object([(lifted.targetKind.rawValue, .string(lifted.target))]))])))
        }
        return lifted
    }

    // MARK: cases

    public func claim(case id: String, by actor: String, lease: Double = WardenService.defaultLease) throws(ReviewError) -> ReviewCase {
        let review = try store()
        let t = clock()
        let claimed = try review.claim(id: id, by: actor, lease: lease, at: t)
        try review.append(
            ChangeRecord(
                at: t, kind: .caseClaim, by: actor, reason: "claimed until \(Timestamp.format(t + lease))", subject: id,
                detail: .object([("until", .string(Timestamp.format(t + lease)))])))
        return claimed
    }

    /// Resolves a case. An overturn first lifts every penalty the decision recorded (a lift
    /// that fails leaves the case unresolved, so it can be tried again: lifts are idempotent),
    /// then marks the case resolved.
    public func resolve(case id: String, outcome: ReviewCase.Outcome, label: String, note: String, by actor: String) throws(ReviewError)
        -> ReviewCase
    {
        let review = try store()
        guard let current = try review.reviewCase(id: id) else { throw ReviewError(.notFound, "no case \(id)") }
        let t = clock()
        // Refused now, before any penalty is lifted, if it would be refused at the end.
        var resolution = ReviewCase.Resolution(outcome: outcome, label: label, note: note, by: actor, at: t)
        _ = try current.resolved(with: resolution)
        if outcome == .overturn {
            for penalty in current.penalties {
                do throws(LedgerError) {
                    if try lift(id: penalty, reason: note.isEmpty ? "case \(id) overturned" : note, by: actor) != nil {
                        resolution.lifted.append(penalty)
                    }
                } catch {
                    throw ReviewError(
                        .unavailable, "penalty \(penalty) of case \(id) was not lifted: \(error.message); the case stays open")
                }
            }
        }
        let resolved = try review.resolve(id: id, resolution)
        try review.append(
            ChangeRecord(
                at: t, kind: .caseResolve, by: actor, reason: note, subject: id,
                detail: .object([
                    ("outcome", .string(outcome.rawValue)), ("label", .string(label)),
                    ("lifted", .array(resolution.lifted.map(JSONValue.string))),
                ])))
        return resolved
    }

    // MARK: labels

    public func addLabel(_ label: EntityLabel) throws(ReviewError) {
        let review = try store()
        try review.addLabel(label)
        var detail: [(String, JSONValue)] = [("label", .string(label.label))]
        if let expires = label.expires { detail.append(("expires", .string(Timestamp.format(expires)))) }
        try review.append(
            ChangeRecord(
                at: label.at, kind: .labelAdd, by: label.by, reason: label.reason, subject: "\(label.kind.rawValue):\(label.target)",
                detail: .object(detail)))
    }

    public func removeLabel(kind: EntityLabel.Kind, target: String, label: String, reason: String, by actor: String) throws(ReviewError) {
        let review = try store()
        guard try review.removeLabel(kind: kind, target: target, label: label) else {
            throw ReviewError(.notFound, "\(kind.rawValue) \(target) has no label '\(label)'")
        }
        try review.append(
            ChangeRecord(
                at: clock(), kind: .labelRemove, by: actor, reason: reason, subject: "\(kind.rawValue):\(target)",
                detail: .object([("label", .string(label))])))
    }

    // MARK: live lists

    /// Adds (or replaces) an entry of a live list; the next check matches it.
    public func addEntry(_ entry: ListEntry, cap: Int) throws(ReviewError) {
        let review = try store()
        try review.addEntry(entry, cap: cap)
        var detail: [(String, JSONValue)] = [("entry", .string(entry.entry))]
        if let expires = entry.expires { detail.append(("expires", .string(Timestamp.format(expires)))) }
        try review.append(
            ChangeRecord(at: entry.at, kind: .listAdd, by: entry.by, reason: entry.reason, subject: entry.list, detail: .object(detail)))
    }

    public func removeEntry(list: String, entry: String, reason: String, by actor: String) throws(ReviewError) {
        let review = try store()
        guard try review.removeEntry(list: list, entry: entry) else {
            throw ReviewError(.notFound, "list \(list) has no live entry '\(entry)'")
        }
        try review.append(
            ChangeRecord(
                at: clock(), kind: .listRemove, by: actor, reason: reason, subject: list, detail: .object([("entry", .string(entry))])))
    }

    // MARK: rule-set history

    /// Serves a stored rule set again: compiled from its stored files and refused like a bad
    /// reload when it no longer compiles. It serves until the next reload, which reads the
    /// rules directory again.
    public func rollback(to digest: String, by actor: String, reason: String) throws(ReviewError) -> Reload {
        let review = try store()
        guard let stored = review.ruleSet(digest: digest) else { throw ReviewError(.notFound, "no stored rule set \(digest)") }
        return reloading.withLock { _ in
            let result = swapIn(Compiler.compile(files: stored.files))
            if result.accepted {
                remember(engine.ruleSet, by: actor, reason: reason, kind: .rollback, from: result.previousDigest)
            }
            return result
        }
    }
}
