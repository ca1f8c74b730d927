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

    /// The accounts `owner` invited in the window, with their devices and networks.
    func redeemers(of owner: String, within window: Double, now: Double) -> [InviteStep] {
        var out: [InviteStep] = []
        if let o = store.index(owner) {
            for c in store.nodes[Int(o)].children {
                let child = store.nodes[Int(c)]
                if inWindow(child.joined, window, now) {
                    out.append(
                        InviteStep(
                            account: child.name, joined: child.joined, device: child.device, network: child.network, code: child.code))
                }
            }
        }
        if let e = edge, e.owner == owner, inWindow(e.at, window, now) {
            out.append(InviteStep(account: e.redeemer, joined: e.at, device: e.device, network: e.network, code: e.code))
        }
        return out
    }

    /// The accounts `owner` invited (the event's redemption included), as reward tiers see them.
    func invitees(of owner: String) -> [RewardStanding.Invitee] {
        var out: [RewardStanding.Invitee] = []
        if let o = store.index(owner) {
            out.reserveCapacity(store.nodes[Int(o)].children.count + 1)
            for c in store.nodes[Int(o)].children {
                let n = store.nodes[Int(c)]
                var last = n.lastActive
                if case .active(let a)? = change, a.account == n.name { last = max(last, a.at) }
                out.append(RewardStanding.Invitee(account: n.name, joined: n.joined, flagged: n.flagged, lastActive: last))
            }
        }
        if let e = edge, e.owner == owner {
            out.append(RewardStanding.Invitee(account: e.redeemer, joined: e.at, flagged: false, lastActive: -.infinity))
        }
        return out
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

    /// The inviter's other invitees that redeemed on the account's device (or network).
    func siblingsSharing(_ account: String, device: Bool) -> Int {
        guard let e = ends(account), let mine = device ? e.device : e.network, let parent = inviter(of: account) else { return 0 }
        var n = 0
        if let p = store.index(parent) {
            for c in store.nodes[Int(p)].children where store.nodes[Int(c)].name != account {
                if (device ? store.nodes[Int(c)].device : store.nodes[Int(c)].network) == mine { n += 1 }
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
