/// A unified diff of two texts by lines (`diff -u` style, three lines of context), for
/// `warden fmt --check`. Rules files are small: a longest-common-subsequence table is enough.
enum UnifiedDiff {
    static func render(old: String, new: String, path: String, context: Int = 3) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // lcs[i][j]: the longest common subsequence of a[i...] and b[j...].
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Op { case same(Int, Int), delete(Int), insert(Int) }
        var ops: [Op] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                ops.append(.same(i, j))
                (i, j) = (i + 1, j + 1)
            } else if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] {
                ops.append(.insert(j))
                j += 1
            } else {
                ops.append(.delete(i))
                i += 1
            }
        }
        var out = ["--- \(path)", "+++ \(path) (formatted)"]
        let changed = ops.indices.filter { if case .same = ops[$0] { false } else { true } }
        var k = 0
        while k < changed.count {
            // A hunk: changes closer than two contexts apart, with context around.
            var end = k
            while end + 1 < changed.count, changed[end + 1] - changed[end] <= 2 * context { end += 1 }
            let lower = max(0, changed[k] - context)
            let upper = min(ops.count, changed[end] + context + 1)
            var (oldStart, newStart, oldCount, newCount) = (0, 0, 0, 0)
            var body: [String] = []
            var first = true
            for op in ops[lower..<upper] {
                switch op {
                case .same(let x, let y):
                    if first { (oldStart, newStart, first) = (x, y, false) }
                    body.append(" " + a[x])
                    (oldCount, newCount) = (oldCount + 1, newCount + 1)
                case .delete(let x):
                    if first { (oldStart, newStart, first) = (x, position(in: ops, before: lower, new: true), false) }
                    body.append("-" + a[x])
                    oldCount += 1
                case .insert(let y):
                    if first { (oldStart, newStart, first) = (position(in: ops, before: lower, new: false), y, false) }
                    body.append("+" + b[y])
                    newCount += 1
                }
            }
            out.append("@@ -\(oldStart + 1),\(oldCount) +\(newStart + 1),\(newCount) @@")
            out += body
            k = end + 1
        }
        return out.joined(separator: "\n")

        /// Where the other side stands at `index`: how many of its lines come before.
        func position(in ops: [Op], before index: Int, new: Bool) -> Int {
            ops[..<index].reduce(0) { n, op in
                switch op {
                case .same: n + 1
                case .delete: new ? n : n + 1
                case .insert: new ? n + 1 : n
                }
            }
        }
    }
}
