extension InviteStore {
    /// The accounts below `account`, level by level (direct invitees first, each level in the
    /// order they joined), down to `depth` levels: `limit` of them after the first `skip`. Also
    /// says whether more follow. Visits `skip + limit + 1` accounts at most.
    func downline(of account: String, depth: Int, skip: Int, limit: Int) -> (steps: [(Int32, Int)], more: Bool) {
        guard let root = index(account) else { return ([], false) }
        var level: [Int32] = [root]
        var seen = 0
        var out: [(Int32, Int)] = []
        var d = 0
        while !level.isEmpty, d < depth {
            d += 1
            var next: [Int32] = []
            for parent in level {
                // Children are appended as they join, so sorting is rarely needed.
                var children = nodes[Int(parent)].children
                if zip(children, children.dropFirst()).contains(where: { nodes[Int($0)].joined > nodes[Int($1)].joined }) {
                    children.sort { nodes[Int($0)].joined < nodes[Int($1)].joined }
                }
                for child in children {
                    if seen >= skip {
                        if out.count == limit { return (out, true) }
                        out.append((child, d))
                    }
                    seen += 1
                    next.append(child)
                }
            }
            level = next
        }
        return (out, false)
    }

    /// Every account below `account` (all levels), counted.
    func descendantCount(of account: String) -> Int {
        guard let root = index(account) else { return 0 }
        return Int(nodes[Int(root)].below)
    }
}
