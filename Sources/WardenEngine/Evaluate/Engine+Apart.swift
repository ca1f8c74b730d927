/// Deciding the events of different accounts side by side (an audit on every core), with the
/// decisions, the ledger and the invite graph that one event at a time in order gives.
///
/// It is exact when all the state an event reads or writes is its own account's: every
/// counter keyed by the account first, every penalty on the event's account or message, the
/// invite graph unread (`CompiledRuleSet.StateKeys.exactByAccount`), and that state in this
/// process. Then two accounts' events touch nothing in common but three things, which the
/// caller puts in order after each batch: the ledger's ids (`renumberPenalties`), the invite
/// graph (`applyInvite`), and the counters' sweep, which drops keys no event within
/// `lateness` of the newest can reach: held while a batch is decided (`holdSweeps`), it runs
/// after it, so no event sees a key dropped by one ahead of it in time. An event later than
/// `lateness` may find dropped a key the one-at-a-time order had not yet dropped (or the
/// reverse); every other is exact.
extension Engine {
    /// Why events of different accounts can not be decided side by side with the decisions of
    /// one at a time in order, in words; nil when they can.
    package var apartObstacle: String? {
        let keys = ruleSet.stateKeys.approximateByAccount
        if !keys.isEmpty { return keys.joined(separator: ", ") }
        if !(state.ledger is MemoryLedger) { return "a shared or durable ledger" }
        if !(state.backend is CounterStore) { return "shared counters" }
        if state.invites.log != nil { return "a shared invite graph" }
        if state.review != nil { return "a review store" }
        return nil
    }

    /// How far (seconds) an event may trail the newest one and still land in its own counter
    /// step.
    package var lateness: Double { state.counters.lateness }

    /// `check`, leaving the event's invite change to `applyInvite` (only for an engine whose
    /// `apartObstacle` is nil: its rules do not read the graph).
    package func checkApart(_ prepared: PreparedEvent, now: Double) -> Decision {
        state.evaluate(prepared.event, ruleSet: ruleSet, now: now, commit: true, prepared: prepared, invitesLater: true)
    }

    /// Holds the counters' sweeps (before a batch decided apart), or runs the ones held (after).
    package func holdSweeps(_ held: Bool) {
        state.counters.sweepsHeld.store(held, ordering: .relaxed)
        if !held { state.counters.sweepHeld() }
    }

    /// The invite change of an event `checkApart` decided, in the events' order.
    package func applyInvite(of event: Event, verdict: Verdict, now: Double) {
        state.applyInvite(of: event, verdict: verdict, ruleSet: ruleSet, now: now)
    }

    /// The number of the ledger's next penalty id, before a batch decided apart.
    package var penaltyMark: Int { (state.ledger as? MemoryLedger)?.nextNumber ?? 0 }

    /// After a batch decided apart, in the events' order: the penalties recorded since `mark`
    /// numbered in the order their events come, in the ledger and in `decisions`.
    package func renumberPenalties(from mark: Int, in decisions: inout [Decision]) {
        guard let ledger = state.ledger as? MemoryLedger else { return }
        let end = ledger.nextNumber
        guard end > mark else { return }
        func number(_ id: String) -> Int? {
            guard id.hasPrefix("p-"), let n = Int(id.dropFirst(2)), n >= mark, n < end else { return nil }
            return n
        }
        var renumbered: [Int: Int] = [:]
        var next = mark
        for d in decisions {
            for p in d.penalties {
                if let id = p.id, let n = number(id), renumbered[n] == nil {
                    renumbered[n] = next
                    next += 1
                }
            }
        }
        // Every record is in its event's answer; should one not be, it still gets a number.
        for n in mark..<end where renumbered[n] == nil {
            renumbered[n] = next
            next += 1
        }
        if renumbered.allSatisfy({ $0.key == $0.value }) { return }
        func rewrite(_ id: String) -> String { number(id).flatMap { renumbered[$0] }.map { "p-\($0)" } ?? id }
        func rewrite(_ rules: inout [Decision.FiredRule]) {
            for r in rules.indices {
                for e in rules[r].evidence.indices {
                    if let p = rules[r].evidence[e].penalty, number(p.id) != nil {
                        var moved = p
                        moved.id = rewrite(p.id)
                        rules[r].evidence[e].penalty = moved
                    }
                }
            }
        }
        for k in decisions.indices {
            for p in decisions[k].penalties.indices {
                if let id = decisions[k].penalties[p].id { decisions[k].penalties[p].id = rewrite(id) }
            }
            if !decisions[k].penaltiesRead.isEmpty { decisions[k].penaltiesRead = decisions[k].penaltiesRead.map(rewrite) }
            rewrite(&decisions[k].fired)
            rewrite(&decisions[k].shadow)
        }
        ledger.renumber(from: mark, renumbered)
    }
}
