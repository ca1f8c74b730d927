import Foundation

/// Precision and recall of scores at thresholds, with how often each label was flagged.
package struct ThresholdReport: Sendable {
    package static let standardThresholds = [0.5, 0.8, 0.9, 0.95, 0.99]

    package var rows: [ThresholdRow] = []
    /// How each threshold reads in the table (`>= 0.50`, or a verdict such as `review+`).
    package var names: [String] = []
    /// Per label: (examples, flagged at each threshold).
    package var labels: [(label: String, positive: Bool, total: Int, flagged: [Int])] = []

    /// `scores[i]` of an example labelled `labels[i]`, positive or not.
    package init(scores: [Double], positive: [Bool], labels: [String], thresholds: [Double] = standardThresholds, names: [String]? = nil) {
        self.names = names ?? thresholds.map { String(format: ">= %.2f", $0) }
        let positives = positive.filter { $0 }.count
        let negatives = positive.count - positives
        for threshold in thresholds {
            var tp = 0
            var fp = 0
            for (score, isPositive) in zip(scores, positive) where score >= threshold {
                if isPositive { tp += 1 } else { fp += 1 }
            }
            let precision = tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp)
            let recall = positives == 0 ? 0 : Double(tp) / Double(positives)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            rows.append(
                ThresholdRow(
                    threshold: threshold, precision: precision, recall: recall, f1: f1,
                    falsePositiveRate: negatives == 0 ? 0 : Double(fp) / Double(negatives)))
        }
        var byLabel: [String: (positive: Bool, total: Int, flagged: [Int])] = [:]
        for (k, label) in labels.enumerated() {
            var entry = byLabel[label] ?? (positive[k], 0, Array(repeating: 0, count: thresholds.count))
            entry.total += 1
            for (t, threshold) in thresholds.enumerated() where scores[k] >= threshold { entry.flagged[t] += 1 }
            byLabel[label] = entry
        }
        self.labels = byLabel.keys.sorted { a, b in
            let (pa, pb) = (byLabel[a]!.positive, byLabel[b]!.positive)
            return pa != pb ? pa : a < b
        }.map { (label: $0, positive: byLabel[$0]!.positive, total: byLabel[$0]!.total, flagged: byLabel[$0]!.flagged) }
    }

    /// The table for a terminal: one row per threshold, then the share of each label flagged.
    package var text: String {
        var out = ["flagged at   precision   recall      F1   negatives flagged"]
        for (r, name) in zip(rows, names) {
            out.append(
                "  " + name.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(
                        format: "  %7.2f%%  %6.2f%%  %6.4f  %8.3f%%", 100 * r.precision, 100 * r.recall, r.f1, 100 * r.falsePositiveRate))
        }
        if !labels.isEmpty {
            let header = names.map { "  " + String(repeating: " ", count: max(0, 8 - $0.count)) + $0 }.joined()
            out.append("")
            out.append(
                "flagged per label (\(labels.contains { !$0.positive } ? "positives: recall; negatives: false positives" : "recall"))")
            out.append("  label" + String(repeating: " ", count: 28) + "count" + header)
            for l in labels {
                let name = (l.positive ? "+ " : "- ") + l.label
                let cells = l.flagged.map { String(format: "  %7.2f%%", l.total == 0 ? 0 : 100 * Double($0) / Double(l.total)) }.joined()
                out.append("  " + name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: " %7d", l.total) + cells)
            }
        }
        return out.joined(separator: "\n")
    }
}
