/// The invite graph's data, behind `InviteGraph`'s lock.
struct InviteStore {
    struct Node {
        var name: String
        var parent: Int32 = -1
        /// When the edge to the parent was made.
        var joined = 0.0
        var code: String?
        /// The redeemer's device and network at redemption, and the owner's at issue.
        var device: String?
        var network: String?
        var ownerDevice: String?
        var ownerNetwork: String?
        /// The account's first `issue` event.
        var firstIssue: Double?
        var children: [Int32] = []
        /// Join times (`InviteGraph.second`) of every descendant within
        /// `InviteGraph.descendantLevels` levels, sorted.
        var descendantJoins: [Int32] = []
        var lastSeen = -Double.infinity
        /// Its redemption was not allowed (reward tiers do not count it).
        var flagged = false
        /// Its latest send or issue Warden was told of (`InviteChange.active`, issues).
        var lastActive = -Double.infinity
        /// Accounts below it, all levels (kept as edges are made: the account view reads it
        /// without walking a 团长's hundred thousand descendants).
        var below: Int32 = 0
        /// Its direct invitees by device and by network (`siblings_on_device` reads one entry
        /// instead of walking every invitee of a star).
        var childDevices: [String: Int32] = [:]
        var childNetworks: [String: Int32] = [:]
    }

    struct Code {
        var owner: Int32
        var issued: Double
        var device: String?
        var network: String?
        var maxUses: Int?
    }

    var ids: [String: Int32] = [:]
    var nodes: [Node] = []
    var codes: [String: Code] = [:]
    /// Redemptions of codes whose issue event has not come yet, by code.
    var waiting: [String: [InviteChange.Redemption]] = [:]
    /// Redemptions not kept because their code had `InviteGraph.maxWaitingPerCode` waiting.
    var waitingDropped = 0
    var newest = -Double.infinity
    var lastSweep = -Double.infinity

    func index(_ name: String) -> Int32? { ids[name] }

    mutating func node(_ name: String) -> Int32 {
        if let i = ids[name] { return i }
        let i = Int32(nodes.count)
        nodes.append(Node(name: name))
        ids[name] = i
        return i
    }

    /// Whether `ancestor` is `i` or above it, however deep the chain (a walk stopped at
    /// `maxDepth` let a cycle of 65 accounts bind).
    func isAncestor(_ ancestor: Int32, of i: Int32) -> Bool {
        var x = i
        for _ in 0...nodes.count {
            if x == ancestor { return true }
            x = nodes[Int(x)].parent
            if x < 0 { return false }
        }
        return true  // a cycle already (never made): refuse to add to it
    }

    /// Fills in a redemption's owner (from `inviter` or the code's issue) and whether it binds.
    func resolve(_ redemption: InviteChange.Redemption, inviter: String?) -> InviteChange.Redemption {
        var r = redemption
        let code = codes[r.code]
        r.owner = inviter ?? code.map { nodes[Int($0.owner)].name }
        guard let owner = r.owner, owner != r.redeemer else { return r }
        if let code, nodes[Int(code.owner)].name == owner {
            r.ownerDevice = code.device
            r.ownerNetwork = code.network
        } else if let o = ids[owner] {
            r.ownerDevice = nodes[Int(o)].device
            r.ownerNetwork = nodes[Int(o)].network
        }
        if let me = ids[r.redeemer] {
            if nodes[Int(me)].parent >= 0 { return r }
            if let o = ids[owner], isAncestor(me, of: o) { return r }
        }
        r.binds = true
        return r
    }

    mutating func apply(_ change: InviteChange) {
        switch change {
        case .issue(let issue):
            newest = max(newest, issue.at)
            let me = node(issue.account)
            nodes[Int(me)].lastSeen = max(nodes[Int(me)].lastSeen, issue.at)
            nodes[Int(me)].firstIssue = min(nodes[Int(me)].firstIssue ?? .infinity, issue.at)
            nodes[Int(me)].lastActive = max(nodes[Int(me)].lastActive, issue.at)
            if nodes[Int(me)].device == nil, let device = issue.device {
                nodes[Int(me)].device = device
                if nodes[Int(me)].parent >= 0 { nodes[Int(nodes[Int(me)].parent)].childDevices[device, default: 0] += 1 }
            }
            if nodes[Int(me)].network == nil, let network = issue.network {
                nodes[Int(me)].network = network
                if nodes[Int(me)].parent >= 0 { nodes[Int(nodes[Int(me)].parent)].childNetworks[network, default: 0] += 1 }
            }
            guard codes[issue.code] == nil else { return }
            codes[issue.code] = Code(owner: me, issued: issue.at, device: issue.device, network: issue.network, maxUses: issue.maxUses)
            // Redemptions that came before this issue event bind now.
            for r in waiting.removeValue(forKey: issue.code) ?? [] {
                apply(.redeem(resolve(r, inviter: nil)))
            }
        case .redeem(let r):
            newest = max(newest, r.at)
            let me = node(r.redeemer)
            nodes[Int(me)].lastSeen = max(nodes[Int(me)].lastSeen, r.at)
            guard let owner = r.owner else {
                // A code nobody issued yet: kept to bind when its issue comes, up to a cap (a
                // hundred thousand waiting, bound by one issue, made a star that slowed every
                // redeem under the graph's lock).
                if waiting[r.code, default: []].count < InviteGraph.maxWaitingPerCode {
                    waiting[r.code, default: []].append(r)
                } else {
                    waitingDropped += 1
                }
                return
            }
            // Re-checked under the lock: another event may have bound the account meanwhile.
            let checked = resolve(r, inviter: owner)
            guard checked.binds else { return }
            let o = node(owner)
            nodes[Int(o)].lastSeen = max(nodes[Int(o)].lastSeen, r.at)
            nodes[Int(me)].parent = o
            nodes[Int(me)].joined = r.at
            nodes[Int(me)].code = r.code
            nodes[Int(me)].device = r.device ?? nodes[Int(me)].device
            nodes[Int(me)].network = r.network ?? nodes[Int(me)].network
            nodes[Int(me)].ownerDevice = checked.ownerDevice
            nodes[Int(me)].ownerNetwork = checked.ownerNetwork
            nodes[Int(me)].flagged = r.flagged
            addChild(me, to: o)
            addBelow(from: o, count: 1 + nodes[Int(me)].below)
            var x = o
            let second = InviteGraph.second(r.at)
            for _ in 0..<InviteGraph.descendantLevels where x >= 0 {
                Self.insertSorted(second, into: &nodes[Int(x)].descendantJoins)
                x = nodes[Int(x)].parent
            }
        case .active(let a):
            guard let me = ids[a.account] else { return }
            nodes[Int(me)].lastActive = max(nodes[Int(me)].lastActive, a.at)
            nodes[Int(me)].lastSeen = max(nodes[Int(me)].lastSeen, a.at)
        }
    }

    /// Adds `c` to `o`'s invitees, kept in order of joining (a window of redeemers is then a
    /// range found by binary search), with its device and network counted.
    mutating func addChild(_ c: Int32, to o: Int32) {
        let k = childIndex(of: o, after: nodes[Int(c)].joined)
        nodes[Int(o)].children.insert(c, at: k)
        if let d = nodes[Int(c)].device { nodes[Int(o)].childDevices[d, default: 0] += 1 }
        if let n = nodes[Int(c)].network { nodes[Int(o)].childNetworks[n, default: 0] += 1 }
    }

    /// The first index of `o`'s invitees that joined after `t` (all of them when none did).
    func childIndex(of o: Int32, after t: Double) -> Int {
        let children = nodes[Int(o)].children
        if let last = children.last, nodes[Int(last)].joined <= t { return children.count }
        var lo = 0
        var hi = children.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if nodes[Int(children[mid])].joined <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Every account's invitees in order of joining, and their device and network counts
    /// (after a restore or a sweep).
    mutating func reindexChildren() {
        for i in nodes.indices where !nodes[i].children.isEmpty {
            var children = nodes[i].children
            children.sort { (nodes[Int($0)].joined, $0) < (nodes[Int($1)].joined, $1) }
            var devices: [String: Int32] = [:]
            var networks: [String: Int32] = [:]
            for c in children {
                if let d = nodes[Int(c)].device { devices[d, default: 0] += 1 }
                if let n = nodes[Int(c)].network { networks[n, default: 0] += 1 }
            }
            nodes[i].children = children
            nodes[i].childDevices = devices
            nodes[i].childNetworks = networks
        }
    }

    /// Adds `count` to `below` of `i` and every account above it.
    mutating func addBelow(from i: Int32, count: Int32) {
        var x = i
        var steps = 0
        // Bounded by the node count: a cycle (which the graph never makes) could not spin.
        while x >= 0, steps < nodes.count {
            nodes[Int(x)].below &+= count
            x = nodes[Int(x)].parent
            steps += 1
        }
    }

    /// `below` of every account from the edges (after a restore or a sweep).
    mutating func recountBelow() {
        for i in nodes.indices { nodes[i].below = 0 }
        for i in nodes.indices where nodes[i].parent >= 0 { addBelow(from: nodes[i].parent, count: 1) }
    }

    static func insertSorted(_ t: Int32, into times: inout [Int32]) {
        if let last = times.last, t < last {
            times.insert(t, at: lowerBound(times, t))
        } else {
            times.append(t)
        }
    }

    /// The first index whose time is `>= t`.
    static func lowerBound(_ times: [Int32], _ t: Int32) -> Int {
        var lo = 0
        var hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Forgets accounts not seen since `horizon` (their edges go with them) and join times and
    /// codes older than it, then renumbers what is left.
    mutating func forget(before horizon: Double) {
        var keep = [Int32](repeating: -1, count: nodes.count)
        var kept: [Node] = []
        kept.reserveCapacity(nodes.count)
        for (i, n) in nodes.enumerated() where n.lastSeen >= horizon {
            keep[i] = Int32(kept.count)
            kept.append(n)
        }
        let cutoff = InviteGraph.second(horizon)
        guard kept.count < nodes.count || nodes.contains(where: { ($0.descendantJoins.first ?? .max) < cutoff }) else { return }
        for i in kept.indices {
            let p = kept[i].parent
            kept[i].parent = p >= 0 ? keep[Int(p)] : -1
            kept[i].children = kept[i].children.compactMap { c in keep[Int(c)] >= 0 ? keep[Int(c)] : nil }
            let cut = Self.lowerBound(kept[i].descendantJoins, cutoff)
            if cut > 0 { kept[i].descendantJoins.removeFirst(cut) }
        }
        nodes = kept
        recountBelow()
        reindexChildren()
        ids = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1.name, Int32($0)) })
        codes = codes.compactMapValues { c in
            guard c.issued >= horizon, keep[Int(c.owner)] >= 0 else { return nil }
            var c = c
            c.owner = keep[Int(c.owner)]
            return c
        }
        waiting = waiting.compactMapValues { list in
            let recent = list.filter { $0.at >= horizon }
            return recent.isEmpty ? nil : recent
        }
    }
}
