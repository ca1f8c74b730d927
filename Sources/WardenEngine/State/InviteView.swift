/// The invite graph as one event sees it: the stored edges plus the event's own change (its
/// redemption's edge, its first issue), whether or not the evaluation commits.
struct InviteView {
    let store: InviteStore
    let change: InviteChange?

    /// The event's edge, when it binds.
    private var edge: InviteChange.Redemption? {
        guard let r = change?.redemption, r.binds, r.owner != nil else { return nil }
        return r
    }

    func inviter(of account: String) -> String? {
        if let e = edge, e.redeemer == account { return e.owner }
        guard let i = store.index(account), store.nodes[Int(i)].parent >= 0 else { return nil }
        return store.nodes[Int(store.nodes[Int(i)].parent)].name
    }

    /// Root first, `account` last, with each account's join time and device (the root's is its
    /// first issue); at most `InviteGraph.maxDepth` levels above the account.
    func path(to account: String) -> [InviteStep] {
        var steps: [InviteStep] = []
        var name: String? = account
        var seen: Set<String> = []
        while let n = name, steps.count <= InviteGraph.maxDepth, seen.insert(n).inserted {
            if let e = edge, e.redeemer == n {
                steps.append(InviteStep(account: n, joined: e.at, device: e.device, network: e.network, code: e.code))
            } else if let i = store.index(n) {
                let node = store.nodes[Int(i)]
                steps.append(
                    InviteStep(
                        account: n, joined: node.parent >= 0 ? node.joined : node.firstIssue, device: node.device, network: node.network,
                        code: node.parent >= 0 ? node.code : nil))
            } else {
                steps.append(InviteStep(account: n, joined: nil, device: nil, network: nil, code: nil))
            }
            name = inviter(of: n)
        }
        return steps.reversed()
    }

    /// Levels above the account in its tree (0 for a root or an unknown account), followed up to
    /// `InviteGraph.maxDepth` as `path` does, without building the path.
    func depth(of account: String) -> Int {
        var depth = 0
        var name = account
        while depth < InviteGraph.maxDepth, let up = inviter(of: name), up != account {
            depth += 1
            name = up
        }
        return depth
    }

    /// Accounts below `account` (at most `InviteGraph.descendantLevels` levels down) that joined
    /// in `(now - window, now]`, to the second; every one held when `window` is nil.
    func descendants(of account: String, within window: Double?, now: Double) -> Int {
        var n = 0
        if let i = store.index(account) {
            let times = store.nodes[Int(i)].descendantJoins
            if let window {
                let end = InviteGraph.second(now)
                let start = InviteGraph.second(now - window)
                n = InviteStore.lowerBound(times, end &+ 1) - InviteStore.lowerBound(times, start &+ 1)
            } else {
                n = times.count
            }
        }
        if let e = edge, inWindow(e.at, window, now), let owner = e.owner, isAtOrAbove(account, owner, levels: InviteGraph.descendantLevels)
        {
            n += 1
        }
        return n
    }

    /// Whether `ancestor` is `account` or one of its first `levels - 1` inviters (the event's
    /// edge included).
    private func isAtOrAbove(_ ancestor: String, _ account: String, levels: Int) -> Bool {
        var name: String? = account
        for _ in 0..<levels {
            guard let n = name else { return false }
            if n == ancestor { return true }
            name = inviter(of: n)
        }
        return false
    }

    /// Whether `t` falls in `(now - window, now]`, to the second (as `descendants` counts).
    private func inWindow(_ t: Double, _ window: Double?, _ now: Double) -> Bool {
        guard let window else { return true }
        let s = InviteGraph.second(t)
        return s <= InviteGraph.second(now) && s > InviteGraph.second(now - window)
    }

    /// The indices of `owner`'s stored invitees that joined in `(now - window, now]`, to the
    /// second: a range, since invitees are kept in order of joining.
    private func windowRange(_ o: Int32, within window: Double, now: Double) -> Range<Int> {
        // Seconds are whole: a join at t counts when second(t) is in (second(now - window), second(now)].
        let start = Double(InviteGraph.second(now - window)) + InviteGraph.epoch + 1
        let end = Double(InviteGraph.second(now)) + InviteGraph.epoch + 1
        let lo = store.childIndex(of: o, after: start.nextDown)
        let hi = store.childIndex(of: o, after: end.nextDown)
        return lo..<max(lo, hi)
    }

    /// The latest `limit` (or fewer) of `o`'s stored invitees that joined in the window.
    private func latest(_ o: Int32, within window: Double, now: Double, _ limit: Int) -> ArraySlice<Int32> {
        let range = windowRange(o, within: window, now: now)
        return store.nodes[Int(o)].children[(range.upperBound - max(0, min(range.count, limit)))..<range.upperBound]
    }

    /// How many accounts `owner` invited in the window (the event's redemption included).
    func redeemerCount(of owner: String, within window: Double, now: Double) -> Int {
        var n = store.index(owner).map { windowRange($0, within: window, now: now).count } ?? 0
        if let e = edge, e.owner == owner, inWindow(e.at, window, now) { n += 1 }
        return n
    }

    /// The latest `limit` accounts `owner` invited in the window, with their devices and
    /// networks, oldest first (the event's redemption last).
    func redeemers(of owner: String, within window: Double, now: Double, latest limit: Int = .max) -> [InviteStep] {
        var out: [InviteStep] = []
        let ownEdge = edge.flatMap { e in e.owner == owner && inWindow(e.at, window, now) ? e : nil }
        if let o = store.index(owner) {
            for c in latest(o, within: window, now: now, limit - (ownEdge == nil ? 0 : 1)) {
                let child = store.nodes[Int(c)]
                out.append(
                    InviteStep(account: child.name, joined: child.joined, device: child.device, network: child.network, code: child.code))
            }
        }
        if let e = ownEdge, limit > 0 {
            out.append(InviteStep(account: e.redeemer, joined: e.at, device: e.device, network: e.network, code: e.code))
        }
        return out
    }

    /// The accounts `owner` invited (the event's redemption included), as reward tiers see them:
    /// the latest `InviteGraph.maxInviteesRead` in full, for the ledger and labels to be read,
    /// and the older ones sorted already by what the graph knows (`older`).
    func invitees(of owner: String, returnWithin: Double?) -> (latest: [RewardStanding.Invitee], older: RewardStanding) {
        var out: [RewardStanding.Invitee] = []
        var older = RewardStanding()
        // The event's own activity, if it is a send or an issue: it may be one of the invitees.
        var active: (account: String, at: Double)?
        if case .active(let a)? = change { active = (a.account, a.at) }
        if let o = store.index(owner) {
            let children = store.nodes[Int(o)].children
            let split = max(0, children.count + (edge?.owner == owner ? 1 : 0) - InviteGraph.maxInviteesRead)
            out.reserveCapacity(min(children.count, InviteGraph.maxInviteesRead) + 1)
            // Older invitees: three fields each, read in place (no copy of the node, no name).
            for c in children[..<split] {
                if store.nodes[Int(c)].flagged {
                    older.flagged += 1
                    continue
                }
                var last = store.nodes[Int(c)].lastActive
                if let active, active.account == store.nodes[Int(c)].name { last = max(last, active.at) }
                if let wait = returnWithin, last < store.nodes[Int(c)].joined + wait {
                    older.pending += 1
                } else {
                    older.qualified += 1
                }
            }
            for c in children[split...] {
                let n = store.nodes[Int(c)]
                var last = n.lastActive
                if let active, active.account == n.name { last = max(last, active.at) }
                out.append(RewardStanding.Invitee(account: n.name, joined: n.joined, flagged: n.flagged, lastActive: last))
            }
        }
        if let e = edge, e.owner == owner {
            out.append(RewardStanding.Invitee(account: e.redeemer, joined: e.at, flagged: false, lastActive: -.infinity))
        }
        return (out, older)
    }

    /// Distinct devices (or networks) among the latest `limit` accounts `owner` invited in the
    /// window, the event's redemption included; read in place, without building steps.
    func redeemerDistinct(of owner: String, within window: Double, now: Double, device: Bool, latest limit: Int) -> Int {
        var seen = Set<String>(minimumCapacity: min(limit, 64))
        var room = limit
        if let e = edge, e.owner == owner, inWindow(e.at, window, now), room > 0 {
            room -= 1
            if let v = device ? e.device : e.network { seen.insert(v) }
        }
        if let o = store.index(owner) {
            let invitees = latest(o, within: window, now: now, room)
            seen.reserveCapacity(invitees.count + seen.count)
            for c in invitees {
                if let v = device ? store.nodes[Int(c)].device : store.nodes[Int(c)].network { seen.insert(v) }
            }
        }
        return seen.count
    }

    /// The redeemer's device and network at redemption, and its owner's at issue.
    private func ends(_ account: String) -> (device: String?, network: String?, ownerDevice: String?, ownerNetwork: String?)? {
        if let e = edge, e.redeemer == account { return (e.device, e.network, e.ownerDevice, e.ownerNetwork) }
        guard let i = store.index(account), store.nodes[Int(i)].parent >= 0 else { return nil }
        let n = store.nodes[Int(i)]
        return (n.device, n.network, n.ownerDevice, n.ownerNetwork)
    }

    /// Whether the account redeemed on its inviter's device (`device` true) or /24 network.
    func sharesWithInviter(_ account: String, device: Bool) -> Bool {
        guard let e = ends(account) else { return false }
        let (mine, theirs) = device ? (e.device, e.ownerDevice) : (e.network, e.ownerNetwork)
        return mine != nil && mine == theirs
    }

    /// The inviter's other invitees that redeemed on the account's device (or network): one
    /// entry of the inviter's counts, not a walk over its invitees.
    func siblingsSharing(_ account: String, device: Bool) -> Int {
        guard let e = ends(account), let mine = device ? e.device : e.network, let parent = inviter(of: account) else { return 0 }
        var n = 0
        if let p = store.index(parent) {
            let node = store.nodes[Int(p)]
            n = Int((device ? node.childDevices : node.childNetworks)[mine] ?? 0)
            // The account itself, when it is one of them.
            if let i = store.index(account), store.nodes[Int(i)].parent == p,
                (device ? store.nodes[Int(i)].device : store.nodes[Int(i)].network) == mine
            {
                n -= 1
            }
        }
        if let edge, edge.owner == parent, edge.redeemer != account, (device ? edge.device : edge.network) == mine { n += 1 }
        return n
    }

    /// Seconds from the account's redemption to its first issue of a code of its own; nil
    /// before it issues one (or when it issued before it was invited).
    func issueDelay(of account: String) -> Double? {
        var joined: Double?
        var issued: Double?
        if let e = edge, e.redeemer == account { joined = e.at }
        if let i = store.index(account) {
            let n = store.nodes[Int(i)]
            if n.parent >= 0 { joined = joined ?? n.joined }
            issued = n.firstIssue
        }
        if case .issue(let issue)? = change, issue.account == account { issued = min(issued ?? .infinity, issue.at) }
        guard let joined, let issued, issued >= joined else { return nil }
        return issued - joined
    }

    /// `attrs.max_uses` of the code's issue event; nil when it gave none (a code is multi-use).
    func maxUses(of code: String) -> Int? {
        if case .issue(let issue)? = change, issue.code == code, store.codes[code] == nil { return issue.maxUses }
        return store.codes[code]?.maxUses
    }
}

/// One account on an invite path, as evidence and `--explain` show it.
public struct InviteStep: Sendable, Equatable {
    public var account: String
    /// When it joined its inviter (a root: its first issue).
    public var joined: Double?
    public var device: String?
    public var network: String?
    /// The code it redeemed.
    public var code: String?
}
