import Synchronization

/// Who invited whom: one edge per redemption, from the code's owner to the redeemer.
///
/// The owner is the redeem event's `inviter`, or else the account whose `issue` event carried
/// the code; a redemption whose code has not been issued yet waits for that issue event. An
/// account is bound to its first inviter (later redemptions do not move it), never to itself,
/// and never below one of its own descendants (no cycles).
///
/// Each edge keeps its time and both ends' device and network (the redeemer's at redemption,
/// the owner's at issue). Every ancestor up to `descendantLevels` levels above an account keeps
/// its join time (whole seconds), sorted, so a subtree's size and speed in a window is a binary
/// search, and an edge costs at most that many four-byte entries however deep the tree.
///
/// Memory is bounded by `retention`: about every eighth of it in event time, accounts not seen
/// since `retention` (plus lateness) ago are forgotten with their edges, and join times that old
/// are dropped.
///
/// Evaluation never changes the graph: an event's own edge is an `InviteChange` the queries
/// take into account, applied after the decision when the evaluation commits. So a dry run and
/// a committed run read the same values.
final class InviteGraph: Sendable {
    /// How far up paths and depths are followed.
    static let maxDepth = 64
    /// How many levels below an account `descendants` counts.
    static let descendantLevels = 8
    /// Redemptions kept per code whose issue event has not come (more are not bound later).
    static let maxWaitingPerCode = 1_000
    /// Redeemers of a window whose devices or networks `redeemer_devices` and
    /// `redeemer_networks` tell apart: the latest ones; an inviter with more is far past any
    /// threshold, and the count stays bounded per event.
    static let maxRedeemersScanned = 1_000
    /// Direct invitees whose penalties and labels the reward standing reads: the latest ones;
    /// older invitees count by what the graph knows (a flagged redemption, a return).
    static let maxInviteesRead = 1_000
    static let epoch = 1_577_836_800.0  // 2020-01-01T00:00:00Z, as the counters'

    /// An instant as whole seconds from `epoch`.
    static func second(_ t: Double) -> Int32 { Int32(clamping: Int((t - epoch).rounded(.down))) }

    let retention: Double
    let lateness: Double
    let store = Mutex(InviteStore())
    /// The shared log, when engines share the graph (Redis), and how far this one has read it.
    let log: (any InviteLog)?
    private let cursor = Mutex<String?>(nil)

    init(retention: Double, lateness: Double, log: (any InviteLog)? = nil) {
        self.retention = retention
        self.lateness = lateness
        self.log = log
    }

    /// Applies what the shared log gained since the last read; a message when it cannot be read
    /// (the graph then answers from what this engine already has).
    func sync() -> String? {
        guard let log else { return nil }
        return cursor.withLock { (cursor: inout String?) -> String? in
            do throws(CounterStateError) {
                let (entries, next) = try log.read(after: cursor)
                if !entries.isEmpty {
                    store.withLock { s in
                        for entry in entries {
                            if let change = InviteChange(encoded: entry) { record(change, in: &s) }
                        }
                    }
                }
                cursor = next ?? cursor
                return nil
            } catch {
                return error.message
            }
        }
    }

    /// After a restore: read the shared log from its start again (applying twice changes nothing).
    func rewind() { cursor.withLock { $0 = nil } }

    /// Makes a committed evaluation's change part of the graph: appended to the shared log (every
    /// engine, this one included, applies it from there), or applied here without one. A
    /// message when the append fails (the change is then applied here only).
    func commit(_ change: InviteChange) -> String? {
        guard let log else {
            apply(change)
            return nil
        }
        do throws(CounterStateError) {
            try log.append(change.encoded)
            return nil
        } catch {
            apply(change)
            return error.message
        }
    }

    /// What `event` would change: a new edge (or a wait for the code's issue) for a redeem, a
    /// first issue and a code's owner for an issue; nil for a send.
    func change(for event: Event, at t: Double, network: String?) -> InviteChange? {
        switch event.type {
        case .send:
            return nil
        case .issue:
            guard let code = event.code else { return nil }
            var maxUses: Int?
            if case .number(let n)? = event.attrs["max_uses"], n >= 0, n < 1e9 { maxUses = Int(n) }
            return .issue(
                InviteChange.Issue(account: event.account, code: code, at: t, device: event.device, network: network, maxUses: maxUses))
        case .redeem:
            guard let code = event.code else { return nil }
            let redemption = InviteChange.Redemption(
                redeemer: event.account, owner: nil, code: code, at: t, device: event.device, network: network,
                ownerDevice: nil, ownerNetwork: nil)
            return store.withLock { s in .redeem(s.resolve(redemption, inviter: event.inviter)) }
        }
    }

    /// For a send: the activity that makes a bound invitee count as returned, when it was not
    /// known to have returned and `wait` has passed since it redeemed. Read from this engine's
    /// graph without a sync (a send never waits on the shared log); applying twice is harmless.
    func activity(of account: String, at t: Double, wait: Double) -> InviteChange? {
        store.withLock { s in
            guard let i = s.index(account) else { return nil }
            let n = s.nodes[Int(i)]
            guard n.parent >= 0, n.lastActive < n.joined + wait, t >= n.joined + wait else { return nil }
            return .active(InviteChange.Activity(account: account, at: t))
        }
    }

    /// Makes a change part of this engine's graph.
    func apply(_ change: InviteChange) {
        store.withLock { s in record(change, in: &s) }
    }

    private func record(_ change: InviteChange, in s: inout InviteStore) {
        s.apply(change)
        if s.newest - s.lastSweep >= retention / 8 {
            s.forget(before: s.newest - retention - lateness)
            s.lastSweep = s.newest
        }
    }

    /// Reads the graph with `change` taken into account.
    func read<R>(_ change: InviteChange?, _ body: (InviteView) -> R) -> R {
        store.withLock { s in body(InviteView(store: s, change: change)) }
    }

    /// Edges held (accounts with an inviter), for the figures of `bench` and tests.
    var edgeCount: Int {
        _ = sync()
        return store.withLock { s in s.nodes.reduce(0) { $0 + ($1.parent >= 0 ? 1 : 0) } }
    }
}

/// What one event does to the invite graph.
enum InviteChange: Sendable {
    struct Issue: Sendable {
        var account: String
        var code: String
        var at: Double
        var device: String?
        var network: String?
        var maxUses: Int?
    }

    struct Redemption: Sendable {
        var redeemer: String
        /// nil while the code's issue event has not been seen.
        var owner: String?
        var code: String
        var at: Double
        var device: String?
        var network: String?
        var ownerDevice: String?
        var ownerNetwork: String?
        /// False when the redeemer is already bound, is the owner, or is above the owner.
        var binds = false
        /// The redemption's decision was not `allow` (set when it commits).
        var flagged = false
    }

    /// A bound invitee active again (a send) after the rule set's `reward_requires_return`.
    struct Activity: Sendable {
        var account: String
        var at: Double
    }

    case issue(Issue)
    case redeem(Redemption)
    case active(Activity)

    var redemption: Redemption? {
        if case .redeem(let r) = self { r } else { nil }
    }
}
