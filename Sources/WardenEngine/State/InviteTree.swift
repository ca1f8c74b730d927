/// One invite tree for reports: its accounts in breadth-first order from the root, each with
/// its parent's position.
package struct InviteTree: Sendable {
    package struct Member: Sendable {
        package var account: String
        /// Position of its inviter in `members`; -1 for the root.
        package var parent: Int
        package var depth: Int
        /// When it joined (the root: its first issue).
        package var joined: Double?
        package var device: String?
    }

    package var members: [Member]
    /// Accounts in the whole tree (`members` may stop short of it).
    package var size: Int
    /// The most accounts that joined the tree within one hour.
    package var peakPerHour: Int
    /// Accounts that joined per hour between its first and last join (trees of 10 or more).
    package var perHour: Double?
    /// Accounts of the whole tree in the `flagged` set it was drawn with.
    package var flagged: Int
}

/// The trees a report shows.
package struct InviteForest: Sendable {
    package var largest: [InviteTree]
    /// By `perHour`.
    package var fastest: [InviteTree]
    package var mostFlagged: [InviteTree]
}

extension InviteStore {
    /// The largest trees and the fastest-growing ones (most joins within an hour), at most
    /// `limit` of each and `maxMembers` accounts drawn per tree.
    func trees(limit: Int, maxMembers: Int, flagged: Set<String>) -> InviteForest {
        typealias Summary = (root: Int32, size: Int, peak: Int, rate: Double?, flagged: Int)
        var summaries: [Summary] = []
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
            let marked = queue.reduce(0) { $0 + (flagged.contains(nodes[Int($1)].name) ? 1 : 0) }
            var rate: Double?
            if queue.count >= 10, let first = times.first, let last = times.last {
                rate = Double(times.count - 1) / max((last - first) / 3600, 1.0 / 60)
            }
            var peak = 0
            var start = 0
            for end in times.indices {
                while times[end] - times[start] >= 3600 { start += 1 }
                peak = max(peak, end - start + 1)
            }
            summaries.append((Int32(i), queue.count, peak, rate, marked))
        }
        func tree(_ s: Summary) -> InviteTree {
            var members: [InviteTree.Member] = []
            var queue: [(Int32, Int, Int)] = [(s.root, -1, 0)]
            var k = 0
            while k < queue.count, members.count < maxMembers {
                let (i, parent, depth) = queue[k]
                let n = nodes[Int(i)]
                members.append(
                    InviteTree.Member(
                        account: n.name, parent: parent, depth: depth, joined: parent < 0 ? n.firstIssue : n.joined, device: n.device))
                let me = members.count - 1
                for c in n.children { queue.append((c, me, depth + 1)) }
                k += 1
            }
            return InviteTree(members: members, size: s.size, peakPerHour: s.peak, perHour: s.rate, flagged: s.flagged)
        }
        func name(_ s: Summary) -> String { nodes[Int(s.root)].name }
        let largest = summaries.sorted { ($0.size, name($1)) > ($1.size, name($0)) }
        let fastest = summaries.filter { $0.rate != nil }.sorted { ($0.rate!, name($1)) > ($1.rate!, name($0)) }
        let mostFlagged = summaries.filter { $0.flagged > 0 }.sorted { ($0.flagged, name($1)) > ($1.flagged, name($0)) }
        return InviteForest(
            largest: largest.prefix(limit).map(tree), fastest: fastest.prefix(limit).map(tree),
            mostFlagged: mostFlagged.prefix(limit).map(tree))
    }
}

extension Engine {
    /// The invite graph's largest, fastest-growing and most flagged trees (by the accounts in
    /// `flagged`), for the audit report.
    package func inviteTrees(limit: Int = 3, maxMembers: Int = 400, flagged: Set<String> = []) -> InviteForest {
        _ = state.invites.sync()
        return state.invites.store.withLock { $0.trees(limit: limit, maxMembers: maxMembers, flagged: flagged) }
    }
}
