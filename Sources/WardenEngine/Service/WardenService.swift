import Glibc
import Synchronization
import WardenLanguage

/// The engine a Swift service embeds: load a rule set, check events, reload rules without
/// stopping, lift penalties, read penalties in force. Safe to share across threads.
///
/// ```swift
/// let warden = try WardenService(rulesAt: "rules")
/// var event = Event(id: "m1", type: .send, account: "u1")
/// event.text = "兼职刷单, 加V领码"
/// event.to = ["u2"]
/// let decision = warden.check(event)              // counters and penalties update
/// let preview = warden.check(event, dryRun: true) // nothing changes
/// if decision.verdict == .block { /* do not send */ }
/// ```
public final class WardenService: Sendable {
    /// What a reload did.
    public struct Reload: Sendable {
        public var accepted: Bool
        public var digest: String
        /// Counters whose definition changed (or that are new) and start empty.
        public var countersReset: [String]
        public var countersKept: Int
        /// Lint errors of a refused rule set; warnings of an accepted one.
        public var diagnostics: [Diagnostic]
        /// The digest served before an accepted reload.
        public var previousDigest: String?
    }

    private let current: Mutex<Engine>
    public let path: String
    let lateness: Double
    let maxCounterKeys: Int
    let maxCounterBytes: Int
    let counterBackend: (any CounterBackend)?
    let inviteLog: (any InviteLog)?
    /// The review loop's store: cases, labels, live lists, the change log, the rule sets served.
    public let review: (any ReviewStore)?
    /// A durable ledger shared across reloads; nil for a fresh in-memory one per engine.
    let durableLedger: (any PenaltyLedger)?
    /// The ledger when it commits behind the engine's calls: an answer then waits for
    /// `settle` (`DeferredDurability`). Found once here, not cast per request.
    public let deferredLedger: (any DeferredDurability)?
    /// The clock for events without `ts` (seconds since 1970); the wall clock by default.
    let clock: @Sendable () -> Double
    /// Seconds one check may wait on shared state in all (`StateDeadline`); nil: no bound.
    public let checkBudget: Double?

    public init(
        rulesAt path: String, lateness: Double = 600, ledger: (any PenaltyLedger)? = nil, maxCounterKeys: Int = 10_000_000,
        maxCounterBytes: Int = .max,
        counterBackend: (any CounterBackend)? = nil, inviteLog: (any InviteLog)? = nil, review: (any ReviewStore)? = nil,
        checkBudget: Double? = nil, clock: @escaping @Sendable () -> Double = WardenService.wallClock
    ) throws(RuleSetError) {
        let (ruleSet, diagnostics) = Compiler.compile(path: path)
        guard let ruleSet else { throw RuleSetError(diagnostics: diagnostics) }
        self.path = path
        self.lateness = lateness
        self.maxCounterKeys = maxCounterKeys
        self.maxCounterBytes = maxCounterBytes
        self.counterBackend = counterBackend
        self.inviteLog = inviteLog
        self.review = review
        self.clock = clock
        self.checkBudget = checkBudget
        self.durableLedger = ledger
        self.deferredLedger = (ledger as? any DeferredDurability).flatMap { $0.defersCommits ? $0 : nil }
        current = Mutex(
            Engine(
                ruleSet: ruleSet, lateness: lateness, ledger: ledger, maxCounterKeys: maxCounterKeys, maxCounterBytes: maxCounterBytes,
                counterBackend: counterBackend,
                inviteLog: inviteLog, review: review, clock: clock))
        remember(ruleSet, by: "start", reason: "served at start", kind: nil)
    }

    /// A service on a `StateStore` (what `--state` opened). Snapshots are not restored here:
    /// the caller restores `state.snapshots` when it wants to (`restoreSnapshot()`).
    public convenience init(
        rulesAt path: String, state: StateStore, lateness: Double = 600, maxCounterKeys: Int = 10_000_000,
        maxCounterBytes: Int = .max, clock: @escaping @Sendable () -> Double = WardenService.wallClock
    ) throws(RuleSetError) {
        try self.init(
            rulesAt: path, lateness: lateness, ledger: state.ledger, maxCounterKeys: maxCounterKeys, maxCounterBytes: maxCounterBytes,
            counterBackend: state.counters, inviteLog: state.invites, review: state.review, checkBudget: state.checkBudget,
            clock: clock)
    }

    public static let wallClock: @Sendable () -> Double = Engine.wallClock

    /// The service's clock now (seconds since 1970).
    public func now() -> Double { clock() }

    /// Stored penalty records skipped because they did not read (a shared store's), since start.
    public var skippedLedgerRecords: Int { engine.ledger.skippedRecords }

    /// The engine serving now. Requests take it once, so a reload never changes it under them.
    public var engine: Engine { current.withLock { $0 } }

    /// Why the event is refused for its time (its `ts` too far ahead of the clock), or nil.
    public func futureError(_ event: Event) -> EventError? {
        engine.futureError(event, now: clock())
    }

    /// One event; its work on shared state bounded by `checkBudget` in all.
    public func check(_ event: Event, dryRun: Bool = false) -> Decision {
        StateDeadline.within(seconds: checkBudget) { engine.check(event, now: clock(), commit: !dryRun) }
    }

    /// Several events in order, on one engine, each with its own `checkBudget`.
    public func check(_ events: [Event], dryRun: Bool = false) -> [Decision] {
        let engine = self.engine
        return events.map { event in StateDeadline.within(seconds: checkBudget) { engine.check(event, now: clock(), commit: !dryRun) } }
    }

    public func penalties(targetKind: TargetKind, target: String) -> [PenaltyRecord] {
        engine.penalties(targetKind: targetKind, target: target, inForceAt: clock())
    }

    public func lift(id: String, reason: String) throws(LedgerError) -> PenaltyRecord? {
        try engine.lift(id: id, reason: reason, at: clock())
    }

    /// Compiles the rule set again and swaps it in if it has no errors, all off the request
    /// path: the new engine shares the old one's state (the tables of counters whose definition
    /// did not change, the invite graph, the ledger) instead of copying it, so requests that
    /// took the old engine and those on the new one count into the same state, nothing is lost
    /// during the hand-over, and the lock is held only for the swap.
    /// Reloads are serialized: two at once would each replace the engine they started from.
    ///
    /// `by` and `reason` go to the change log (with the old and new digest) when the service
    /// keeps one.
    public func reload(by actor: String = "operator", reason: String = "reload") -> Reload {
        reloading.withLock { _ in
            let result = swapIn(Compiler.compile(path: path))
            if result.accepted { remember(engine.ruleSet, by: actor, reason: reason, kind: .reload, from: result.previousDigest) }
            return result
        }
    }

    let reloading = Mutex(())

    /// Swaps in a compiled rule set as a reload does (refused with its errors, or when it loses
    /// the decide block).
    func swapIn(_ compiled: (ruleSet: CompiledRuleSet?, diagnostics: [Diagnostic])) -> Reload {
        let (ruleSet, diagnostics) = compiled
        guard let ruleSet else {
            return Reload(accepted: false, digest: engine.ruleSet.info.digest, countersReset: [], countersKept: 0, diagnostics: diagnostics)
        }
        let previous = engine
        // A rule set that loses its decide block decides allow for every score: most likely a
        // file deleted or renamed by mistake, which a running server must not take.
        if !previous.ruleSet.decide.isEmpty, ruleSet.decide.isEmpty {
            let refusal = Diagnostic.error(
                .noDecide, "the new rule set has no decide block (the running one has): every score would decide allow; reload refused",
                at: nil, hint: "restore the decide block, or restart the server to take a rule set without one")
            return Reload(
                accepted: false, digest: previous.ruleSet.info.digest, countersReset: [], countersKept: 0,
                diagnostics: [refusal] + diagnostics)
        }
        let next = Engine(
            ruleSet: ruleSet, lateness: lateness, ledger: durableLedger, maxCounterKeys: maxCounterKeys, maxCounterBytes: maxCounterBytes,
            counterBackend: counterBackend,
            inviteLog: inviteLog, review: review, clock: clock, replacing: previous)
        let reset = next.countersReset(comparedTo: previous)
        current.withLock { $0 = next }
        var reload = Reload(
            accepted: true, digest: ruleSet.info.digest, countersReset: reset,
            countersKept: ruleSet.counters.count - reset.count, diagnostics: diagnostics)
        reload.previousDigest = previous.ruleSet.info.digest
        return reload
    }
}

/// A rule set that does not compile.
public struct RuleSetError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { DiagnosticRenderer(color: false).render(diagnostics.filter { $0.severity == .error }) }
}
