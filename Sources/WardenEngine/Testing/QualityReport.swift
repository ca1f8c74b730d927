import Foundation

/// Detection quality of a rule set on labelled messages: per label, how many were flagged
/// (a verdict other than `allow`), and which rules' tags explain it.
///
/// Each message is checked as a `send` from its own account, so counters never link them.
package struct QualityReport: Sendable {
    package struct Row: Sendable {
        package var label: String
        package var total = 0
        package var flagged = 0
        /// Flagged and explained by a rule tagged with this label's category.
        package var matchedCategory = 0
    }

    package struct Example: Sendable {
        package var label: String
        package var text: String
        package var verdict: Verdict
        package var fired: [String]
    }

    package var rows: [String: Row] = [:]
    /// Benign messages flagged, and harmful ones missed.
    package var falsePositives: [Example] = []
    package var misses: [Example] = []
    /// Flagged messages per predicted category (from rule tags), and how many carried that label.
    package var predicted: [String: (flagged: Int, correct: Int)] = [:]

    /// Labels are `NRM` for benign text and a category otherwise; rule tags map to categories.
    package static let categoryOfTag: [String: String] = [
        "inducement": "IND", "fraud": "FRD", "diversion": "DIV", "spam": "SPM",
    ]
    package static let benign = "NRM"

    /// The category of a tag: `fraud.authority` belongs to `fraud`'s.
    package static func category(ofTag tag: String) -> String? {
        categoryOfTag[tag] ?? tag.split(separator: ".").first.flatMap { categoryOfTag[String($0)] }
    }

    package init() {}

    package mutating func add(label: String, text: String, decision: Decision) {
        var row = rows[label] ?? Row(label: label)
        row.total += 1
        let flagged = decision.verdict != .allow
        let categories = Set(decision.fired.flatMap(\.tags).compactMap { Self.category(ofTag: $0) })
        if flagged {
            row.flagged += 1
            if categories.contains(label) { row.matchedCategory += 1 }
            for c in categories {
                var p = predicted[c] ?? (0, 0)
                p.flagged += 1
                if c == label { p.correct += 1 }
                predicted[c] = p
            }
        }
        rows[label] = row
        let example = Example(label: label, text: text, verdict: decision.verdict, fired: decision.fired.map(\.rule))
        if label == Self.benign, flagged { falsePositives.append(example) }
        if label != Self.benign, !flagged { misses.append(example) }
    }

    /// The table: per label, recall (flagged / total); per category, precision; overall.
    package var table: String {
        var lines = ["label   messages  flagged  recall   by its category  precision"]
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "   —  " : String(format: "%6.2f%%", 100 * Double(a) / Double(b)) }
        for label in rows.keys.sorted() {
            let r = rows[label]!
            let precision = predicted[label].map { pct($0.correct, $0.flagged) } ?? "   —  "
            let recall =
                label == Self.benign ? "(FPR \(pct(r.flagged, r.total).trimmingCharacters(in: .whitespaces)))" : pct(r.flagged, r.total)
            lines.append(
                String(
                    format: "%-6@ %9d %8d  %@  %15d  %@", label as NSString, r.total, r.flagged, recall as NSString, r.matchedCategory,
                    precision as NSString))
        }
        let harmful = rows.values.filter { $0.label != Self.benign }
        let tp = harmful.reduce(0) { $0 + $1.flagged }
        let positives = harmful.reduce(0) { $0 + $1.total }
        let fp = rows[Self.benign]?.flagged ?? 0
        let negatives = rows[Self.benign]?.total ?? 0
        lines.append(
            String(
                format: "overall: recall %@ (%d of %d harmful), precision %@, false-positive rate %@ (%d of %d benign)",
                pct(tp, positives).trimmingCharacters(in: .whitespaces) as NSString, tp, positives,
                pct(tp, tp + fp).trimmingCharacters(in: .whitespaces) as NSString,
                pct(fp, negatives).trimmingCharacters(in: .whitespaces) as NSString, fp, negatives))
        return lines.joined(separator: "\n")
    }
}
