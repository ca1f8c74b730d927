import Foundation

/// Resolved cases as training data: `label,content,case,event,resolved_at` (RFC 4180), which
/// `warden train` and `warden eval` read as they are. The label is the reviewer's; a case
/// resolved without one is left out (there is nothing to learn from it).
public enum LabelsCSV {
    public static let header = "label,content,case,event,resolved_at\r\n"

    public static func row(_ c: ReviewCase) -> String? {
        guard let r = c.resolution, !r.label.isEmpty else { return nil }
        return [r.label, c.content, c.id, c.eventID, Timestamp.format(r.at)].map(field).joined(separator: ",") + "\r\n"
    }

    /// Every resolved case of `store` resolved at or after `since`, oldest case first.
    public static func write(from store: any ReviewStore, since: Double?, at t: Double, to out: (String) -> Void) throws(ReviewError) {
        out(header)
        var query = CaseQuery()
        query.status = .resolved
        query.resolvedSince = since
        query.limit = 1_000
        while true {
            let page = try store.cases(query, at: t)
            for c in page.cases { if let line = row(c) { out(line) } }
            guard let next = page.next else { return }
            query.after = next
        }
    }

    /// A CSV field: quoted when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
