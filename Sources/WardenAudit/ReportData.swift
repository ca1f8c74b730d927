import Foundation
import WardenEngine

/// What the HTML report shows beyond the summary: the most severe findings with their evidence,
/// the rules' descriptions, and the time zone to show times in.
package struct ReportData {
    package struct Example {
        package var id: String
        package var ts: Double
        package var account: String
        package var verdict: Verdict
        package var score: Double
        package var rules: [String]
        /// What made each rule fire, shortly: `fraud_words: 刷单`, `count 1d = 1001 > 1000`.
        package var evidence: [String]
        package var text: String
    }

    /// Up to `limit` findings per verdict, in log order; `examples` puts the worst first.
    var byVerdict: [Verdict: [Example]] = [:]
    package var total = 0
    /// Accounts whose redemption was flagged (a verdict other than allow), for the invite trees.
    package var flaggedRedeemers: Set<String> = []
    package let limit: Int
    /// Rule name → description, for the rules table.
    package var descriptions: [String: String] = [:]
    /// The rule set's zone: times show in it, with the offset (nil: UTC).
    package var zone: TimeZone?

    package init(limit: Int = 200) { self.limit = limit }

    /// The rule set's descriptions and zone.
    package init(ruleSet: CompiledRuleSet, limit: Int = 200) {
        self.limit = limit
        descriptions = Dictionary(ruleSet.rules.compactMap { r in r.description.map { (r.name, $0) } }) { a, _ in a }
        zone = ruleSet.info.timezone == "UTC" ? nil : TimeZone(identifier: ruleSet.info.timezone)
    }

    /// The findings shown: block first, then review, then challenge; the highest scores first
    /// within a verdict; at most `limit`.
    package var examples: [Example] {
        let order: [Verdict] = [.block, .review, .challenge]
        return Array(
            order.flatMap { v in
                (byVerdict[v] ?? []).enumerated().sorted { a, b in
                    a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
                }.map(\.element)
            }.prefix(limit))
    }

    package mutating func add(_ finding: Auditor.Finding) {
        if finding.decision.verdict != .allow, finding.event.type == .redeem, flaggedRedeemers.count < 1_000_000 {
            flaggedRedeemers.insert(finding.event.account)
        }
        guard finding.decision.verdict != .allow else { return }
        total += 1
        guard byVerdict[finding.decision.verdict, default: []].count < limit else { return }
        let d = finding.decision
        byVerdict[d.verdict, default: []].append(
            Example(
                id: finding.event.id, ts: finding.event.ts ?? 0, account: finding.event.account, verdict: d.verdict, score: d.score,
                rules: d.fired.map(\.rule), evidence: d.fired.flatMap { f in f.evidence.prefix(2).map { Self.short($0) } },
                text: String((finding.event.text ?? finding.event.code ?? "").prefix(120))))
    }

    /// One piece of evidence in a few words: the match itself, not its context.
    static func short(_ e: Evidence) -> String {
        func capped(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }
        switch e.kind {
        case .keyword: return (e.list.map { $0 + ": " } ?? "") + capped(e.entry ?? "")
        case .regex:
            guard let excerpt = e.excerpt, let span = e.span else { return e.pattern ?? "regex" }
            return "\(e.pattern ?? "regex"): " + capped(Evidence.split(excerpt: excerpt, span: span).match)
        case .count:
            return
                "\(e.window ?? "") = \(e.value.map { Value.number($0).display } ?? "null") > \(e.limit.map { Value.number($0).display } ?? "?")"
        case .penalty: return "in force: \(e.penalty?.action.rawValue ?? "") on \(e.penalty?.target ?? "")"
        case .model: return "\(e.model ?? "model") \(String(format: "%.2f", e.score ?? 0))"
        case .invite: return "\(e.builtin ?? "invite")(\(e.account ?? "")) = \(e.value.map { Value.number($0).display } ?? "true")"
        }
    }
}
