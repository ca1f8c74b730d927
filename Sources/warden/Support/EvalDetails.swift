import Foundation
import WardenEngine

/// The parts of `warden eval` on labelled data beyond the threshold tables: precision per
/// category (rule tag), and the misses and false hits worth reading first.
enum EvalDetails {
    /// One message's outcome.
    struct Outcome {
        var label: String
        var positive: Bool
        var text: String
        var verdict: Verdict
        var score: Double
        /// Tags of the enforced rules that fired.
        var tags: Set<String>
    }

    /// Per category: the flagged messages whose fired rules carry that tag (a dotted tag such as
    /// `fraud.authority` also counts for `fraud`), how many were positives, and which labels.
    static func categoryTable(_ outcomes: [Outcome]) -> String {
        var rows: [String: (flagged: Int, positives: Int, labels: [String: Int])] = [:]
        for o in outcomes where o.verdict != .allow {
            var categories = Set<String>()
            for tag in o.tags {
                categories.insert(tag)
                if let dot = tag.firstIndex(of: ".") { categories.insert(String(tag[..<dot])) }
            }
            for c in categories {
                var row = rows[c] ?? (0, 0, [:])
                row.flagged += 1
                if o.positive { row.positives += 1 }
                row.labels[o.label, default: 0] += 1
                rows[c] = row
            }
        }
        guard !rows.isEmpty else { return "precision per category: no flagged message carries a tag" }
        var out = [
            "precision per category (rule tags of the flagged messages; fraud counts fraud.*)",
            "  category                       flagged  precision  labels",
        ]
        for name in rows.keys.sorted() {
            let r = rows[name]!
            let labels = r.labels.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(4)
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out.append(
                "  " + name.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + String(format: " %7d  %8.2f%%  ", r.flagged, 100 * Double(r.positives) / Double(r.flagged)) + labels)
        }
        return out.joined(separator: "\n")
    }

    /// How close a rule that did not fire came: the share of its condition's top-level `and`
    /// parts that held, and the parts as ✓/✗.
    struct Near {
        var rule: String
        var closeness: Double
        var parts: String
    }

    static func nearest(_ trace: ExplainTrace, skipping waiting: Set<String> = []) -> [Near] {
        var near: [Near] = []
        // A rule waiting for an absent model file cannot fire: it is no near miss.
        for rule in trace.rules where !rule.fired && !waiting.contains(rule.name) {
            let parts = rule.lines.filter { $0.depth == 1 }
            guard rule.lines.first?.text.contains(" and ") == true, parts.count >= 2 else { continue }
            let held = parts.filter { $0.holds == true }.count
            guard held > 0 else { continue }
            let shown = parts.map { ($0.holds == true ? "✓ " : "✗ ") + $0.text }.joined(separator: "; ")
            near.append(Near(rule: rule.name, closeness: Double(held) / Double(parts.count), parts: shown))
        }
        return near.sorted { $0.closeness != $1.closeness ? $0.closeness > $1.closeness : $0.rule < $1.rule }
    }

    /// The misses to read first: those a rule came closest to catching, each with the rules that
    /// came close; then the false hits with the highest scores, each with the rules that fired.
    static func instructive(_ outcomes: [Outcome], engine: Engine, count: Int, event: (Int, String) -> Event) -> String {
        var out: [String] = []
        let misses = outcomes.indices.filter { outcomes[$0].positive && outcomes[$0].verdict == .allow }
        let ranked = misses.map { i -> (Int, [Near]) in
            (
                i,
                nearest(
                    engine.explain(event(i, outcomes[i].text), now: event(i, "").ts ?? 0, commit: false).1,
                    skipping: engine.ruleSet.waitingForModels)
            )
        }
        .sorted { a, b in
            let (ca, cb) = (a.1.first?.closeness ?? 0, b.1.first?.closeness ?? 0)
            return ca != cb ? ca > cb : a.0 < b.0
        }
        out.append("missed (\(misses.count)), the closest calls first:")
        for (i, near) in ranked.prefix(count) {
            out.append("  \(outcomes[i].label)  \(oneLine(outcomes[i].text, limit: 160))")
            for n in near.prefix(2) {
                out.append(String(format: "      %@ (%.0f%%): %@", n.rule as NSString, 100 * n.closeness, n.parts as NSString))
            }
            if near.isEmpty { out.append("      no rule came close") }
        }
        let falseHits = outcomes.indices.filter { !outcomes[$0].positive && outcomes[$0].verdict != .allow }
            .sorted { outcomes[$0].score != outcomes[$1].score ? outcomes[$0].score > outcomes[$1].score : $0 < $1 }
        out.append("\nfalse hits (\(falseHits.count)), the highest scores first:")
        for i in falseHits.prefix(count) {
            let decision = engine.check(event(i, outcomes[i].text), now: event(i, "").ts ?? 0, commit: false)
            out.append(
                "  \(outcomes[i].label) \(decision.verdict.rawValue) \(Value.number(decision.score).display)  \(oneLine(outcomes[i].text, limit: 160))"
            )
            for f in decision.fired {
                let evidence = f.evidence.prefix(3).map { e in
                    e.entry ?? e.pattern ?? e.model.map { "\($0) \(String(format: "%.2f", e.score ?? 0))" } ?? e.kind.rawValue
                }
                out.append("      \(f.rule) \(Value.number(f.score).display): \(evidence.joined(separator: ", "))")
            }
        }
        return out.joined(separator: "\n")
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return flat.unicodeScalars.count <= limit ? flat : String(String.UnicodeScalarView(flat.unicodeScalars.prefix(limit))) + "…"
    }
}
