import Foundation
import WardenEngine

/// One self-contained HTML page (no network): charts as inline SVG, tables sortable by a click
/// on their header (a few lines of inline script).
package enum HTMLReport {
    static let colors: [Verdict: String] = [.allow: "#9bb8d3", .challenge: "#e3c567", .review: "#e8945a", .block: "#c8553d"]

    /// - Parameter trees: the invite graph's trees to draw (`Engine.inviteTrees`).
    package static func audit(_ s: AuditSummary, _ data: ReportData, trees: InviteForest? = nil) -> String {
        let l = data.language
        let title = l.t("Warden 审计报告", "Warden audit")
        var body = "<h1>\(title)</h1>"
        body +=
            "<p class=meta>"
            + l.t(
                "\(s.events) 条事件，来自 \(s.files.map(escape).joined(separator: "、")) · 用时 \(String(format: "%.2f", s.seconds)) 秒 · 规则集 \(escape(s.ruleset))",
                "\(s.events) events from \(s.files.map(escape).joined(separator: ", ")) · \(String(format: "%.2f", s.seconds)) s · rule set \(escape(s.ruleset))"
            )
            + "</p>"
        body +=
            "<div class=cards>"
            + Verdict.allCases.map { v in
                "<div class=card style='border-color:\(colors[v]!)'><b>\(s.verdicts[v] ?? 0)</b><span>\(l.verdict(v))</span></div>"
            }.joined()
            + "<div class=card><b>\(s.badLines)</b><span>\(l.t("错误行", "bad lines"))</span></div><div class=card><b>\(s.late)</b><span>\(l.t("迟到事件", "late"))</span></div></div>"
        let firstHour = Double(s.timeline.keys.min() ?? 0) * 3600
        let zoneName = data.zone.map { "\($0.identifier), UTC" + Timestamp.offsetText(at: firstHour, zone: $0) } ?? "UTC"
        body += "<h2>\(l.t("判定时间分布（每小时，\(escape(zoneName))）", "Decisions over time (per hour, \(escape(zoneName)))"))</h2>"
        body += timeline(s.timeline, zone: data.zone, language: l)
        body += "<h2>\(l.t("各规则命中", "Hits per rule"))</h2>" + bars(AuditSummary.top(s.ruleHits, 40), color: "#c8553d")
        if !s.shadowHits.isEmpty {
            body += "<h2>\(l.t("影子规则（只记录不执行）", "Shadow rules"))</h2>" + bars(AuditSummary.top(s.shadowHits, 40), color: "#888")
        }
        // A top list says something only when its head stands out: an account with several findings.
        let topAccounts = AuditSummary.top(s.accounts, 15).filter { $0.1 >= 3 }
        if !topAccounts.isEmpty {
            body +=
                "<h2>\(l.t("被判定最多的账号（3 次及以上）", "Accounts with the most findings (3 or more)"))</h2>" + bars(topAccounts, color: "#e8945a")
        }
        let topCodes = AuditSummary.top(s.codes, 15).filter { $0.1 >= 3 }
        if !topCodes.isEmpty {
            body += "<h2>\(l.t("被判定最多的邀请码（3 次及以上）", "Codes with the most findings (3 or more)"))</h2>" + bars(topCodes, color: "#e8945a")
        }
        if !s.penalties.isEmpty {
            body +=
                "<h2>\(l.t("处罚", "Penalties"))</h2>"
                + table([l.t("处罚", "action"), l.t("次数", "count")], AuditSummary.top(s.penalties, 50).map { [$0.0, String($0.1)] })
        }
        body +=
            "<h2>\(l.t("规则", "Rules"))</h2>"
            + table(
                [l.t("规则", "rule"), l.t("说明", "description"), l.t("命中", "hits")],
                AuditSummary.top(s.ruleHits, 1000).map { [$0.0, data.descriptions[$0.0] ?? "", String($0.1)] }, cjk: [1])
        if let trees {
            body += InviteTreeSVG.section(
                largest: trees.largest, fastest: trees.fastest, flagged: data.flaggedRedeemers, mostFlagged: trees.mostFlagged,
                zone: data.zone, language: l)
        }
        if !s.badExamples.isEmpty {
            body += "<h2>\(l.t("错误行", "Bad lines"))</h2><pre>" + s.badExamples.map(escape).joined(separator: "\n") + "</pre>"
        }
        body += findings(data)
        return page(title: title, body: body, lang: l.htmlLang)
    }

    /// A time for the tables: `2026-11-01 08:15:00` in the report's zone (named in the heading).
    static func local(_ t: Double, _ zone: TimeZone?) -> String {
        var s = Timestamp.format(t, zone: zone)
        if s.hasSuffix("Z") {
            s.removeLast()
        } else if let plus = s.lastIndex(where: { $0 == "+" || $0 == "-" }), s.distance(from: plus, to: s.endIndex) == 6 {
            s = String(s[..<plus])
        }
        return s.replacingOccurrences(of: "T", with: " ")
    }

    /// Findings grouped by account and rule, the most severe and largest first, with a filter.
    static func findings(_ data: ReportData) -> String {
        let l = data.language
        let groups = data.sortedGroups
        let shown = groups.prefix(2_000)
        let zoneName = data.zone?.identifier ?? "UTC"
        var html =
            "<h2 id=findings>\(l.t("发现（按账号和规则分组）", "Findings by account and rule"))</h2><p class=meta>"
            + l.t(
                "\(data.total) 条判定不是放行，分为 \(groups.count) 组\(shown.count < groups.count ? "，显示最严重的 \(shown.count) 组" : "")\(data.ungrouped > 0 ? "；另有 \(data.ungrouped) 条超出分组上限" : "")。时间为 \(zoneName) 时间。全部判定见 --out 文件。",
                "\(data.total) decisions other than allow, in \(groups.count) groups\(shown.count < groups.count ? "; the \(shown.count) most severe shown" : "")\(data.ungrouped > 0 ? "; \(data.ungrouped) more past the group cap" : ""). Times in \(zoneName). Every decision is in the --out file."
            ) + "</p>"
        html +=
            "<p><input id=filter type=search size=40 placeholder='\(l.t("筛选：账号、规则或文本", "filter: account, rule or text"))' oninput='filterFindings(this.value)'></p>"
        let rows: [[String]] = shown.map { g in
            let examples = g.examples.map { e in
                "\(e.id) · \(local(e.ts, data.zone)) · \(e.text)" + (e.evidence.isEmpty ? "" : " 〔\(e.evidence.joined(separator: "; "))〕")
            }
            return [
                l.verdict(g.worst), g.account, g.rule, String(g.count), local(g.first, data.zone), local(g.last, data.zone),
                examples.joined(separator: "\n"),
            ]
        }
        html += table(
            [
                l.t("最严重", "worst"), l.t("账号", "account"), l.t("规则", "rule"), l.t("次数", "count"), l.t("首次", "first"),
                l.t("最近", "last"), l.t("示例（证据）", "examples (evidence)"),
            ], rows, cjk: [6], id: "findingsTable")
        return html
    }

    package static func page(title: String, body: String, lang: String = "en") -> String {
        """
        <!doctype html><html lang=\(lang)><head><meta charset=utf-8><title>\(escape(title))</title>
        <style>
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
        td.changed{background:#fde2c8;font-weight:600}
        h1{margin:0 0 4px}h2{margin-top:28px;font-size:17px}.meta{color:#666}
        .cards{display:flex;gap:12px;flex-wrap:wrap}.card{border-left:5px solid #ccc;padding:6px 12px;background:#f6f6f6;min-width:90px}
        .card b{display:block;font-size:20px}.card span{color:#555}
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e2e2e2;padding:4px 8px;text-align:left;vertical-align:top}
        th{cursor:pointer;background:#f0f0f0;user-select:none}th:after{content:" \\2195";color:#aaa}
        td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font:12px system-ui,sans-serif}
        pre{background:#f6f6f6;padding:8px;overflow:auto}.scroll{overflow-x:auto;border:1px solid #eee;margin-bottom:12px}h3{font-size:15px}
        #findingsTable td:last-child{white-space:pre-wrap;font-size:13px}circle.hit{fill:#facc15;stroke:#111;stroke-width:2;r:9px}input[type=search]{font:inherit;padding:4px 8px}
        </style></head><body>\(body)
        <script>
        document.querySelectorAll('table').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.onclick=function(){
          var rows=[].slice.call(t.tBodies[0].rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
          rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent,p=parseFloat(x),q=parseFloat(y);
            var c=(!isNaN(p)&&!isNaN(q))?p-q:x.localeCompare(y);return asc?c:-c;});
          rows.forEach(function(r){t.tBodies[0].appendChild(r)});};});});
        function filterFindings(q){q=q.trim().toLowerCase();var t=document.getElementById('findingsTable');if(!t)return;
          [].forEach.call(t.tBodies[0].rows,function(r){r.style.display=!q||r.textContent.toLowerCase().indexOf(q)>=0?'':'none'});}
        function searchTrees(q){q=q.trim().toLowerCase();var n=0,first=null;
          document.querySelectorAll('svg.tree circle').forEach(function(c){var hit=q&&(c.getAttribute('data-account')||'').toLowerCase().indexOf(q)>=0;
            c.classList.toggle('hit',!!hit);if(hit){n++;if(!first)first=c;}});
          var out=document.getElementById('treeHits');if(out)out.textContent=q?n+' '+out.dataset.unit:'';if(first)first.scrollIntoView({block:'center',inline:'center'});}
        </script></body></html>
        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// A sortable table; the columns in `cjk` hold Chinese text (`lang=zh-Hans`, so the
    /// browser picks a Chinese font and line breaking), and `highlight(row, column)` marks cells.
    static func table(
        _ header: [String], _ rows: [[String]], cjk: Set<Int> = [], id: String? = nil, highlight: (Int, Int) -> Bool = { _, _ in false }
    ) -> String {
        var html =
            "<table\(id.map { " id=\($0)" } ?? "")><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for (r, row) in rows.enumerated() {
            html +=
                "<tr>"
                + row.enumerated().map { c, cell in
                    var classes: [String] = []
                    if Double(cell) != nil { classes.append("n") }
                    if highlight(r, c) { classes.append("changed") }
                    let attributes =
                        (classes.isEmpty ? "" : " class='\(classes.joined(separator: " "))'") + (cjk.contains(c) ? " lang=zh-Hans" : "")
                    return "<td\(attributes)>\(escape(cell))</td>"
                }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// Horizontal bars with labels and values.
    static func bars(_ items: [(String, Int)], color: String) -> String {
        guard let top = items.map(\.1).max(), top > 0 else { return "<p>—</p>" }
        let row = 20
        let width = 1000
        var svg = "<svg width='100%' viewBox='0 0 \(width) \(items.count * row + 4)' role=img>"
        for (i, (label, n)) in items.enumerated() {
            let w = Int(Double(n) / Double(top) * Double(width - 320))
            svg += "<text x=0 y=\(i * row + 14)>\(escape(String(label.prefix(36))))</text>"
            svg += "<rect x=260 y=\(i * row + 3) width=\(max(w, 1)) height=\(row - 6) fill='\(color)'/>"
            svg += "<text x=\(266 + w) y=\(i * row + 14)>\(n)</text>"
        }
        return svg + "</svg>"
    }

    /// Stacked bars per hour of event time.
    static func timeline(_ hours: [Int: [Verdict: Int]], zone: TimeZone? = nil, language: ReportLanguage = .en) -> String {
        guard let first = hours.keys.min(), let last = hours.keys.max() else { return "<p>—</p>" }
        let span = last - first + 1
        let top = hours.values.map { $0.values.reduce(0, +) }.max() ?? 1
        let width = 1000
        let height = 180
        let barWidth = max(1.0, Double(width - 60) / Double(span))
        var svg = "<svg width='100%' viewBox='0 0 \(width) \(height + 40)' role=img>"
        svg += "<text x=0 y=12>\(top)</text><line x1=50 y1=\(height) x2=\(width) y2=\(height) stroke='#999'/>"
        for h in first...last {
            var y = Double(height)
            for v in Verdict.allCases {
                let n = hours[h]?[v] ?? 0
                guard n > 0 else { continue }
                let bh = Double(n) / Double(top) * Double(height - 20)
                y -= bh
                svg += String(
                    format: "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%@'><title>%@ %d</title></rect>",
                    50 + Double(h - first) * barWidth, y, max(barWidth - 1, 0.5), bh, colors[v]!,
                    language.verdict(v) + " " + Timestamp.format(Double(h) * 3600, zone: zone), n)
            }
        }
        svg += "<text x=50 y=\(height + 16)>\(escape(Timestamp.format(Double(first) * 3600, zone: zone)))</text>"
        svg += "<text x=\(width - 220) y=\(height + 16)>\(escape(Timestamp.format(Double(last) * 3600, zone: zone)))</text>"
        var legend = 50
        for v in Verdict.allCases {
            svg +=
                "<rect x=\(legend) y=\(height + 24) width=12 height=12 fill='\(colors[v]!)'/><text x=\(legend + 16) y=\(height + 35)>\(language.verdict(v))</text>"
            legend += 100
        }
        return svg + "</svg>"
    }
}
