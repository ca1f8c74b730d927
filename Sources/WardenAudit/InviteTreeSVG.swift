import Foundation
import WardenEngine

/// An invite tree drawn as SVG: the root on top, each level a row, leaves spread left to right
/// and each inviter centred over its invitees. Edges into a redemption the audit flagged are
/// red; hovering a node shows the account, when it joined and its device.
enum InviteTreeSVG {
    static let column = 16.0
    static let row = 36.0
    static let pack = 40

    static func draw(_ tree: InviteTree, flagged: Set<String>, zone: TimeZone? = nil, language: ReportLanguage = .en) -> String {
        let members = tree.members
        guard !members.isEmpty else { return "" }
        var children = [[Int]](repeating: [], count: members.count)
        for (i, m) in members.enumerated() where m.parent >= 0 { children[m.parent].append(i) }
        // Leaves take the next column; an inviter sits over the middle of its invitees. A crowd
        // of leaves under one inviter (a star) is packed in rows of `pack`, so the drawing stays
        // about as wide as the page.
        var x = [Double](repeating: 0, count: members.count)
        var drop = [Double](repeating: 0, count: members.count)
        var next = 0.0
        var extraRows = [Int: Int]()  // depth -> packed rows below it
        func place(_ i: Int) {
            if children[i].isEmpty {
                x[i] = next
                next += 1
                return
            }
            let leaves = children[i].filter { children[$0].isEmpty }
            let inner = children[i].filter { !children[$0].isEmpty }
            let first = next
            for c in inner { place(c) }
            if leaves.count > pack {
                let start = next
                for (k, c) in leaves.enumerated() {
                    x[c] = start + Double(k % pack)
                    drop[c] = Double(k / pack) * 14
                }
                next = start + Double(pack)
                let d = members[i].depth + 1
                extraRows[d] = max(extraRows[d] ?? 0, (leaves.count - 1) / pack)
            } else {
                for c in leaves { place(c) }
            }
            x[i] = (first + next - 1) / 2
        }
        place(0)
        let depth = members.map(\.depth).max() ?? 0
        // Each level starts below the packed rows of the levels above it.
        var top = [Double](repeating: 20, count: depth + 1)
        for d in stride(from: 1, through: depth, by: 1) { top[d] = top[d - 1] + row + Double(extraRows[d - 1] ?? 0) * 14 }
        let width = max(320, (next + 1) * column + 40)
        let height = top[depth] + Double(extraRows[depth] ?? 0) * 14 + 30
        func px(_ i: Int) -> Double { 20 + x[i] * column + column / 2 }
        func py(_ i: Int) -> Double { top[members[i].depth] + drop[i] }
        var edges = ""
        var nodes = ""
        for (i, m) in members.enumerated() {
            let red = flagged.contains(m.account)
            if m.parent >= 0 {
                edges +=
                    "<line x1='\(f(px(m.parent)))' y1='\(f(py(m.parent)))' x2='\(f(px(i)))' y2='\(f(py(i)))' stroke='\(red ? "#c8553d" : "#9aa5b1")' stroke-width='\(red ? 2.5 : 1)'/>"
            }
            let when = m.joined.map { Timestamp.format($0, zone: zone) } ?? "?"
            let joined = m.parent < 0 ? language.t("根账户，首次发码", "root, first issue") : language.t("加入", "joined")
            let title =
                "\(m.account) · \(joined) \(when)" + (m.device.map { " · \($0)" } ?? "")
                + (red ? " · " + language.t("兑换被拦", "flagged") : "")
            let search = ([m.account] + (m.device.map { [$0] } ?? [])).joined(separator: " ")
            nodes +=
                "<circle data-account='\(HTMLReport.escape(search))' cx='\(f(px(i)))' cy='\(f(py(i)))' r='\(i == 0 ? 7 : 5)' fill='\(red ? "#c8553d" : i == 0 ? "#2f4858" : "#5b8db8")'><title>\(HTMLReport.escape(title))</title></circle>"
        }
        let label = "<text x='\(f(px(0) + 10))' y='\(f(py(0) + 4))'>\(HTMLReport.escape(members[0].account))</text>"
        return "<svg class=tree width='\(f(width))' height='\(f(height))' viewBox='0 0 \(f(width)) \(f(height))' role=img>" + edges + nodes
            + label + "</svg>"
    }

    /// The report section: the largest trees, the fastest-growing ones and those with the most
    /// flagged redemptions, with a search over every node drawn (account or device).
    static func section(
        largest: [InviteTree], fastest: [InviteTree], flagged: Set<String>, mostFlagged: [InviteTree] = [], zone: TimeZone? = nil,
        language l: ReportLanguage = .en
    ) -> String {
        guard !largest.isEmpty else { return "" }
        func caption(_ t: InviteTree) -> String {
            let marked = t.members.filter { flagged.contains($0.account) }.count
            let root = HTMLReport.escape(t.members[0].account)
            let depth = t.members.map(\.depth).max() ?? 0
            if l == .zh {
                let shown = t.members.count < t.size ? "（画出前 \(t.members.count) 个）" : ""
                let rate = t.perHour.map { String(format: "，平均每小时加入 %.1f 个", $0) } ?? ""
                return
                    "<p class=meta>根账户 <b>\(root)</b>：\(t.size) 个账号\(shown)，深度 \(depth)\(rate)，一小时内最多加入 \(t.peakPerHour) 个，\(marked) 次兑换被拦（红色）</p>"
            }
            let shown = t.members.count < t.size ? ", first \(t.members.count) drawn" : ""
            let rate = t.perHour.map { String(format: ", %.1f joined per hour over its life", $0) } ?? ""
            return
                "<p class=meta>root <b>\(root)</b>: \(t.size) accounts\(shown), depth \(depth)\(rate), up to \(t.peakPerHour) within one hour, \(marked) flagged redemptions (red)</p>"
        }
        func drawn(_ trees: [InviteTree]) -> String {
            trees.map { caption($0) + "<div class=scroll>" + draw($0, flagged: flagged, zone: zone, language: l) + "</div>" }.joined()
        }
        var html =
            "<h2 id=invite-trees>\(l.t("邀请关系树", "Invite trees"))</h2><p class=meta>"
            + l.t(
                "谁邀请了谁（根账户在上），来自兑换记录。红色连线指向被规则拦下的兑换。悬停节点可见账号、加入时间（规则集时区）和设备。",
                "Who invited whom, from the redemptions (root on top). Red edges lead to redemptions the rules flagged. Hover a node for its account, join time (the rule set's zone) and device."
            ) + "</p>"
        html +=
            "<p><input type=search size=30 placeholder='\(l.t("在树中查找账号或设备", "find an account or device in the trees"))' oninput='searchTrees(this.value)'> <span class=meta id=treeHits data-unit='\(l.t("个匹配", "found"))'></span></p>"
        html += "<h3>\(l.t("最大的树", "Largest"))</h3>" + drawn(largest)
        html += "<h3>\(l.t("增长最快的树（10 个账号以上）", "Fastest-growing (10 accounts or more)"))</h3>" + drawn(fastest)
        if !mostFlagged.isEmpty { html += "<h3>\(l.t("被拦兑换最多的树", "Most flagged redemptions"))</h3>" + drawn(mostFlagged) }
        return html
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
