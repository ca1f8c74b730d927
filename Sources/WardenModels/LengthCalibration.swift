import Foundation

/// Calibration checked per message length: a model whose scores are right on average can still be
/// wrong for short messages, where one n-gram is all the evidence there is (a greeting scored as
/// spam). For each length bucket: how many messages, how many positives, the mean calibrated
/// score against the observed share of positives, and what 0.5 flags.
package struct LengthCalibration: Sendable {
    package struct Row: Sendable, Equatable {
        /// Characters (Unicode scalars, surrounding spaces trimmed), inclusive.
        package var lengths: ClosedRange<Int>
        package var count = 0
        package var positives = 0
        package var meanScore = 0.0
        /// Negatives at or above 0.5.
        package var negativesFlagged = 0
        /// Positives at or above 0.5.
        package var positivesFlagged = 0

        package var observed: Double { count == 0 ? 0 : Double(positives) / Double(count) }
    }

    package static let buckets: [ClosedRange<Int>] = [0...4, 5...8, 9...20, 21...60, 61...Int.max]

    package var rows: [Row]

    package init(texts: [String], scores: [Double], positive: [Bool]) {
        rows = Self.buckets.map { Row(lengths: $0) }
        var sums = [Double](repeating: 0, count: rows.count)
        for (k, text) in texts.enumerated() {
            let n = Self.length(text)
            guard let b = Self.buckets.firstIndex(where: { $0.contains(n) }) else { continue }
            rows[b].count += 1
            sums[b] += scores[k]
            if positive[k] {
                rows[b].positives += 1
                if scores[k] >= 0.5 { rows[b].positivesFlagged += 1 }
            } else if scores[k] >= 0.5 {
                rows[b].negativesFlagged += 1
            }
        }
        for b in rows.indices where rows[b].count > 0 { rows[b].meanScore = sums[b] / Double(rows[b].count) }
    }

    /// A message's length as the buckets count it.
    package static func length(_ text: String) -> Int {
        text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars.count
    }

    /// The buckets where the mean score is more than twice the observed share of positives and
    /// at least 0.05 above it: the model is surer than the data there.
    package var overconfident: [Row] {
        rows.filter { $0.count >= 20 && $0.meanScore > 2 * $0.observed && $0.meanScore - $0.observed >= 0.05 }
    }

    package var text: String {
        var out = ["  characters     count  positives   mean score   observed   negatives >= 0.50   positives >= 0.50"]
        for r in rows {
            let range = r.lengths.upperBound == Int.max ? "\(r.lengths.lowerBound)+" : "\(r.lengths.lowerBound)–\(r.lengths.upperBound)"
            let negatives = r.count - r.positives
            out.append(
                "  " + range.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + String(
                        format: " %9d  %9d   %9.4f   %8.4f   %17@   %17@", r.count, r.positives, r.meanScore, r.observed,
                        Self.share(r.negativesFlagged, negatives) as NSString, Self.share(r.positivesFlagged, r.positives) as NSString))
        }
        return out.joined(separator: "\n")
    }

    static func share(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "—" : String(format: "%.2f%% (%d)", 100 * Double(part) / Double(whole), part)
    }
}
