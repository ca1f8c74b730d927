/// One invite tree for reports: its accounts in breadth-first order from the root, each with
/// its parent's position.
public struct InviteTree: Sendable {
    public struct Member: Sendable {
        public var account: String
        /// Position of its inviter in `members`; -1 for the root.
        public var parent: Int
        public var depth: Int
        /// When it joined (the root: its first issue).
        public var joined: Double?
        public var device: String?
    }

    public var members: [Member]
    /// Accounts in the whole tree (`members` may stop short of it).
    public var size: Int
    /// The most accounts that joined the tree within one hour.
    public var peakPerHour: Int
}

extension InviteStore {
    /// The largest trees and the fastest-growing ones (most joins within an hour), at most
    /// `limit` of each and `maxMembers` accounts drawn per tree.
    func trees(limit: Int, maxMembers: Int) -> (largest: [InviteTree], fastest: [InviteTree]) {
        var summaries: [(root: Int32, size: Int, peak: Int)] = []
        for (i, n) in nodes.enumerated() where n.parent < 0 && !n.children.isEmpty {
            var times: [Double] = []
            var queue = [Int32(i)]
            var k = 0
            while k < queue.count {
                for c in nodes[Int(queue[k])].children {
                    queue.append(c)
                    times.append(nodes[Int(c)].joined)
                }
                k += 1
            }
            times.sort()
            var peak = 0
            var start = 0
            for end in times.indices {
                while times[end] - times[start] >= 3600 { start += 1 }
                peak = max(peak, end - start + 1)
            }
            summaries.append((Int32(i), queue.count, peak))
        }
        func tree(_ s: (root: Int32, size: Int, peak: Int)) -> InviteTree {
            var members: [InviteTree.Member] = []
            var queue: [(Int32, Int, Int)] = [(s.root, -1, 0)]
            var k = 0
            while k < queue.count, members.count < maxMembers {
                let (i, parent, depth) = queue[k]
                let n = nodes[Int(i)]
                members.append(InviteTree.Member(
                    account: n.name, parent: parent, depth: depth, joined: parent < 0 ? n.firstIssue : n.joined, device: n.device))
                let me = members.count - 1
                for c in n.children { queue.append((c, me, depth + 1)) }
                k += 1
            }
            return InviteTree(members: members, size: s.size, peakPerHour: s.peak)
        }
        let largest = summaries.sorted { ($0.size, $0.peak, nodes[Int($1.root)].name) > ($1.size, $1.peak, nodes[Int($0.root)].name) }
        let fastest = summaries.sorted { ($0.peak, $0.size, nodes[Int($1.root)].name) > ($1.peak, $1.size, nodes[Int($0.root)].name) }
        return (largest.prefix(limit).map(tree), fastest.prefix(limit).map(tree))
    }
}

extension Engine {
    /// The invite graph's largest and fastest-growing trees, for the audit report.
    public func inviteTrees(limit: Int = 3, maxMembers: Int = 120) -> (largest: [InviteTree], fastest: [InviteTree]) {
        state.invites.store.withLock { $0.trees(limit: limit, maxMembers: maxMembers) }
    }
}
