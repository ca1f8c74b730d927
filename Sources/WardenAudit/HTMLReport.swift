import Foundation
import WardenEngine

/// One self-contained HTML page (no network): charts as inline SVG, tables sortable by a click
/// on their header (a few lines of inline script).
package enum HTMLReport {
    static let colors: [Verdict: String] = [.allow: "#9bb8d3", .challenge: "#e3c567", .review: "#e8945a", .block: "#c8553d"]

    /// - Parameter trees: the invite graph's trees to draw (`Engine.inviteTrees`).
    package static func audit(_ s: AuditSummary, _ data: ReportData, trees: InviteForest? = nil) -> String {
        var body = "<h1>Warden audit</h1>"
        body +=
            "<p class=meta>\(s.events) events from \(s.files.map(escape).joined(separator: ", ")) · \(String(format: "%.2f", s.seconds)) s · rule set \(escape(s.ruleset))</p>"
        body +=
            "<div class=cards>"
            + Verdict.allCases.map { v in
                "<div class=card style='border-color:\(colors[v]!)'><b>\(s.verdicts[v] ?? 0)</b><span>\(v.rawValue)</span></div>"
            }.joined()
            + "<div class=card><b>\(s.badLines)</b><span>bad lines</span></div><div class=card><b>\(s.late)</b><span>late</span></div></div>"
        let firstHour = Double(s.timeline.keys.min() ?? 0) * 3600
        let zoneName = data.zone.map { "\($0.identifier), UTC" + Timestamp.offsetText(at: firstHour, zone: $0) } ?? "UTC"
        body += "<h2>Decisions over time (per hour, \(escape(zoneName)))</h2>" + timeline(s.timeline, zone: data.zone)
        body += "<h2>Hits per rule</h2>" + bars(AuditSummary.top(s.ruleHits, 40), color: "#c8553d")
        if !s.shadowHits.isEmpty { body += "<h2>Shadow rules</h2>" + bars(AuditSummary.top(s.shadowHits, 40), color: "#888") }
        body += "<h2>Top accounts (decisions other than allow)</h2>" + bars(AuditSummary.top(s.accounts, 15), color: "#e8945a")
        body += "<h2>Penalties</h2>" + table(["action", "count"], AuditSummary.top(s.penalties, 50).map { [$0.0, String($0.1)] })
        body +=
            "<h2>Rules</h2>"
            + table(
                ["rule", "description", "hits"],
                AuditSummary.top(s.ruleHits, 1000).map { [$0.0, data.descriptions[$0.0] ?? "", String($0.1)] },
                cjk: [1])
        if let trees {
            body += InviteTreeSVG.section(
                largest: trees.largest, fastest: trees.fastest, flagged: data.flaggedRedeemers, mostFlagged: trees.mostFlagged)
        }
        if !s.badExamples.isEmpty { body += "<h2>Bad lines</h2><pre>" + s.badExamples.map(escape).joined(separator: "\n") + "</pre>" }
        let shown = data.examples
        body +=
            "<h2>Findings (\(shown.count) of \(data.total), the most severe first)</h2>"
            + table(
                ["decision", "score", "time", "id", "account", "rules", "evidence", "text"],
                shown.map {
                    [
                        $0.verdict.rawValue, Value.number($0.score).display, Timestamp.format($0.ts, zone: data.zone), $0.id, $0.account,
                        $0.rules.joined(separator: " "), $0.evidence.joined(separator: "; "), $0.text,
                    ]
                }, cjk: [6, 7])
        return page(title: "Warden audit", body: body)
    }

    package static func page(title: String, body: String) -> String {
        """
        <!doctype html><html lang=en><head><meta charset=utf-8><title>\(escape(title))</title>
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
        </style></head><body>\(body)
        <script>
        document.querySelectorAll('table').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.onclick=function(){
          var rows=[].slice.call(t.tBodies[0].rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
          rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent,p=parseFloat(x),q=parseFloat(y);
            var c=(!isNaN(p)&&!isNaN(q))?p-q:x.localeCompare(y);return asc?c:-c;});
          rows.forEach(function(r){t.tBodies[0].appendChild(r)});};});});
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
    static func table(_ header: [String], _ rows: [[String]], cjk: Set<Int> = [], highlight: (Int, Int) -> Bool = { _, _ in false })
        -> String
    {
        var html = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
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
        guard let top = items.map(\.1).max(), top > 0 else { return "<p>none</p>" }
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
    static func timeline(_ hours: [Int: [Verdict: Int]], zone: TimeZone? = nil) -> String {
        guard let first = hours.keys.min(), let last = hours.keys.max() else { return "<p>none</p>" }
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
                    50 + Double(h - first) * barWidth, y, max(barWidth - 1, 0.5), bh, colors[v]!, v.rawValue, n)
            }
        }
        svg += "<text x=50 y=\(height + 16)>\(escape(Timestamp.format(Double(first) * 3600, zone: zone)))</text>"
        svg += "<text x=\(width - 220) y=\(height + 16)>\(escape(Timestamp.format(Double(last) * 3600, zone: zone)))</text>"
        var legend = 50
        for v in Verdict.allCases {
            svg +=
                "<rect x=\(legend) y=\(height + 24) width=12 height=12 fill='\(colors[v]!)'/><text x=\(legend + 16) y=\(height + 35)>\(v.rawValue)</text>"
            legend += 100
        }
        return svg + "</svg>"
    }
}
