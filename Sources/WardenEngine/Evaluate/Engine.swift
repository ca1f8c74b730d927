import Glibc
import Synchronization
import WardenMatching

/// Scores events with a compiled rule set, keeping counters and the penalty ledger.
///
/// Evaluation order for one event:
/// 1. penalties in force on its account or code are enforced (reported as `penalty_in_force`);
/// 2. every counter of the rules that read this event type counts it (if its `where:` holds),
///    whatever the rules' conditions later say;
/// 3. rules run in dependency order (a rule read through `fired()` runs first); scores of
///    firing enforced rules add up;
/// 4. the first `decide` line that holds picks the verdict (otherwise `allow`); `review`,
///    `challenge`, `reject` and a penalty in force can only raise it;
/// 5. penalties of firing enforced rules go to the ledger (escalating by offense).
///
/// Shadow rules (and accounts outside a rule's rollout) are evaluated and reported under
/// `shadow`, and change nothing else.
///
/// `check` is safe to call from many threads, and events of different accounts do not wait for
/// each other: counters lock only the shard of the key they update, and the ledger is read
/// without a lock of the engine's. What must be atomic is: one key's update and the value it
/// returns (so 1,001 concurrent sends of one account count to 1,001 and exactly one sees it),
/// and one target's "in force? then extend, else record offense n+1" (a lock stripe per target).
public final class Engine: Sendable {
    public let ruleSet: CompiledRuleSet
    let state: EngineState
    /// The kinds of event (`Event.Kind.bit`) `prepare` judges stateless rules of: those some
    /// stateless rule is `on`, unless a live list can gain entries while events are evaluated
    /// (a live list is read at evaluation time).
    let judgedAhead: UInt8

    /// - Parameter lateness: how far (seconds) an event may trail the newest one and still land
    ///   in its own counter step.
    /// - Parameter ledger: where penalties are kept; a fresh in-memory ledger by default. A
    ///   durable ledger may be shared by the engines of successive rule set versions.
    /// - Parameter maxCounterBytes: a bound on the in-memory counters' size (estimated from the
    ///   keys held); past it, as past `maxCounterKeys`, new keys are not kept.
    /// - Parameter maxCounterKeys: keys one counter may hold; past it, new keys are not kept
    ///   (their events count as the first of their key) and `counterKeysRefused` goes up.
    /// - Parameter counterBackend: where counters live when not in this process (Redis); the
    ///   in-memory store is used when nil.
    /// - Parameter inviteRetention: how long the invite graph keeps an account it has not
    ///   seen since (and its edges), in seconds of event time; by default the rule set's
    ///   `invite_retention`, or `defaultInviteRetention`.
    /// - Parameter inviteLog: a log of invite-graph changes shared with other engines (Redis);
    ///   nil keeps the graph in this engine only.
    /// - Parameter clock: the wall clock (seconds since 1970), which bounds event time.
    /// - Parameter previous: the engine this one replaces (a reload): its state is shared, not
    ///   copied — the counter tables of counters whose definition is unchanged, the invite graph
    ///   and the ledger (unless `ledger` is given) — so both engines count into the same state
    ///   while requests move from one to the other, and building this one costs no more memory
    ///   than the new rule set's tables.
    public init(
        ruleSet: CompiledRuleSet, lateness: Double = 600, ledger: (any PenaltyLedger)? = nil, maxCounterKeys: Int = 10_000_000,
        maxCounterBytes: Int = .max, counterBackend: (any CounterBackend)? = nil, inviteRetention: Double? = nil,
        inviteLog: (any InviteLog)? = nil, review: (any ReviewStore)? = nil, clock: @escaping @Sendable () -> Double = Engine.wallClock,
        replacing previous: Engine? = nil
    ) {
        self.ruleSet = ruleSet
        let calendar = CalendarClock(identifier: ruleSet.info.timezone)
        let retention = inviteRetention ?? ruleSet.info.inviteRetention ?? Engine.defaultInviteRetention
        var invites = InviteGraph(retention: retention, lateness: lateness, log: inviteLog)
        if let old = previous?.state.invites {
            if old.retention == retention, old.lateness == lateness, (old.log == nil) == (inviteLog == nil) {
                invites = old
            } else if inviteLog == nil {
                // A changed retention: the graph is copied (updates to the old one during the
                // hand-over are not). With a shared log the new graph reads the log instead.
                invites.store.withLock { $0 = old.store.withLock { $0 } }
            }
        }
        state = EngineState(
            counters: CounterStore(
                specs: ruleSet.counters, clock: calendar, lateness: lateness, future: ruleSet.info.maxFuture, maxKeys: maxCounterKeys,
                maxBytes: maxCounterBytes, adopting: previous?.state.counters),
            ledger: ledger ?? previous?.state.ledger ?? MemoryLedger(), backend: counterBackend, invites: invites,
            review: review ?? previous?.state.review, liveLists: ruleSet.liveLists.isEmpty ? nil : LiveLists(specs: ruleSet.liveLists),
            recent: previous?.state.recent, clock: clock)
        judgedAhead =
            state.review != nil && state.liveLists != nil
            ? 0 : ruleSet.rules.reduce(0) { $0 | (ruleSet.statelessRules[$1.index] ? $1.onMask : 0) }
    }

    /// Seconds since 1970 (`CLOCK_REALTIME`).
    public static let wallClock: @Sendable () -> Double = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// 90 days: a farm's trees grow over days, and enterprise codes live 180 days.
    public static let defaultInviteRetention = 90.0 * 86_400

    /// Edges the invite graph holds.
    public var inviteEdges: Int { state.invites.edgeCount }

    /// The ledger this engine records penalties in.
    public var ledger: any PenaltyLedger { state.ledger }

    /// Why an event is refused for its time: its `ts` is further ahead of `now` (the clock)
    /// than the rule set's `max_future`; nil when it is not. Front ends (check, audit, serve)
    /// refuse such an event with this error before checking it: one event from the future
    /// must not move the counters', the invite graph's or the ledger's notion of time.
    public func futureError(_ event: Event, now: Double) -> EventError? {
        guard let ts = event.ts, ts > now + ruleSet.info.maxFuture else { return nil }
        let ahead = ts - now
        let amount = ahead >= 86_400 ? "\(Int(ahead / 86_400)) days" : ahead >= 3600 ? "\(Int(ahead / 3600)) h" : "\(Int(ahead)) s"
        return EventError(
            key: "ts",
            message: "\(Timestamp.format(ts)) is \(amount) ahead of the clock (\(Timestamp.format(now))); the limit is "
                + "\(Timestamp.formatDuration(Int(ruleSet.info.maxFuture))) (the rule set's max_future)")
    }

    /// Decides one event. `now` is the time of an event without `ts` (a replay passes the
    /// event's own time). Whatever the caller passes, no event is evaluated later than the wall
    /// clock plus `max_future` (it is evaluated at that bound, with a warning; front ends refuse
    /// it first, see `futureError`), and its penalties start no later than the wall clock, so
    /// the penalty in an answer is the one in force and listed. With `commit` false (a dry
    /// run) counters and the ledger are left as they were.
    public func check(_ event: Event, now: Double, commit: Bool = true) -> Decision {
        state.evaluate(event, ruleSet: ruleSet, now: now, commit: commit)
    }

    /// Decides one event like `check` and explains how: every rule, every part of its condition
    /// with the value it saw, the counters, the score and the decide line that chose the verdict.
    public func explain(_ event: Event, now: Double, commit: Bool = true) -> (Decision, ExplainTrace) {
        let recording = ExplainRecording()
        let decision = state.evaluate(event, ruleSet: ruleSet, now: now, commit: commit, observer: recording)
        recording.trace.decision = decision
        return (decision, recording.trace)
    }

    /// The review loop's store this engine opens cases in; nil when it keeps no queue.
    public var review: (any ReviewStore)? { state.review }

    /// Every penalty record, oldest first (lifted ones included).
    public var penalties: [PenaltyRecord] { state.ledger.all }

    /// Penalties on a target (`account` or `code`) in force at `t`.
    public func penalties(targetKind: TargetKind, target: String, inForceAt t: Double) -> [PenaltyRecord] {
        state.ledger.records(targetKind: targetKind, target: target).filter { $0.inForce(at: t) }
    }

    /// Lifts a penalty (an appeal); the record stays, marked lifted. Throws when the ledger
    /// could not store the lift (the penalty is then still in force).
    public func lift(id: String, reason: String, at t: Double) throws(LedgerError) -> PenaltyRecord? {
        try state.ledger.lift(id: id, reason: reason, at: t)
    }

    /// Counter keys held right now, all counters together.
    public var counterKeyCount: Int { state.counters.keyCount }

    /// New counter keys not kept because their counter held `maxCounterKeys` already.
    public var counterKeysRefused: Int { state.counters.refusedKeys.value.load(ordering: .relaxed) }

    /// 0..<100, stable for a rule and an account across runs and machines.
    public static func rolloutBucket(rule: String, account: String) -> Int {
        Int(FNV1a.hash(Array(rule.utf8) + [0] + Array(account.utf8)) % 100)
    }
}

/// The mutable state behind an engine. Thread-safe: the counter store locks per shard, the
/// ledger guards itself, and `gates` serialize the read-then-write of penalties per target.
final class EngineState: Sendable {
    static let gateCount = 64

    let counters: CounterStore
    let ledger: any PenaltyLedger
    /// Where counters are counted: `counters`, or a shared store.
    let backend: any CounterBackend
    /// Per counter: the identity's hash, naming its state in a backend.
    let backendNames: [String]
    let invites: InviteGraph
    /// Where a decision with `review` opens its case, and labels are read and set; nil: no
    /// queue (an audit, a one-off check).
    let review: (any ReviewStore)?
    /// The rule set's live lists' added entries, compiled; nil when it declares none.
    let liveLists: LiveLists?
    /// Decisions other than allow, per account, for the account view.
    let recent: RecentDecisions
    private let gates: [Gate]
    /// Evaluation contexts to reuse from event to event.
    let contexts = ContextPool()
    /// The readers' own, for judging ahead (`judgeAhead`): sharing one pool with the evaluation
    /// in order would make it wait on the readers' lock for every event.
    let aheadContexts = ContextPool()
    /// The wall clock, which bounds event time (see `Engine.check`).
    let clock: @Sendable () -> Double

    init(
        counters: CounterStore, ledger: any PenaltyLedger, backend: (any CounterBackend)? = nil, invites: InviteGraph,
        review: (any ReviewStore)? = nil, liveLists: LiveLists? = nil, recent: RecentDecisions? = nil,
        clock: @escaping @Sendable () -> Double
    ) {
        self.review = review
        self.recent = recent ?? RecentDecisions()
        self.liveLists = liveLists
        self.clock = clock
        self.counters = counters
        self.ledger = ledger
        self.backend = backend ?? counters
        self.invites = invites
        backendNames = counters.specs.map { String(FNV1a.hash($0.identity.utf8), radix: 16) }
        gates = (0..<Self.gateCount).map { _ in Gate() }
    }

    /// Runs `body` holding the lock stripe of one penalty target.
    func withGate<R>(action: PenaltyAction, kind: TargetKind, target: String, _ body: () -> R) -> R {
        let h = FNV1a.mixed(target.utf8) &+ UInt64(action.hashValue & 0xFFFF) &* 31 &+ UInt64(kind.hashValue & 0xFF)
        return gates[Int(h % UInt64(Self.gateCount))].lock.withLock { _ in body() }
    }

    final class Gate: Sendable {
        let lock = Mutex(())
    }
}
