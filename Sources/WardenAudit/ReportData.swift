import Foundation
import WardenEngine

/// What the HTML report shows beyond the summary: the findings grouped by account and rule, with
/// examples and their evidence; the rules' descriptions; the zone and language to show them in.
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

    /// Findings of one account under one rule: how many, the worst verdict, when, examples.
    package struct Group {
        package var account: String
        package var rule: String
        package var count = 0
        package var worst = Verdict.allow
        package var first = Double.infinity
        package var last = -Double.infinity
        /// The first `examplesPerGroup` findings.
        package var examples: [Example] = []
    }

    /// Findings grouped by account and rule (a finding with two rules is in two groups).
    var groups: [String: Group] = [:]
    /// Findings (decisions other than allow) seen, and those past `maxGroups` not grouped.
    package var total = 0
    package var ungrouped = 0
    /// Accounts whose redemption was flagged (a verdict other than allow), for the invite trees.
    package var flaggedRedeemers: Set<String> = []
    /// Groups kept (memory: a group is about a kilobyte with its examples).
    package let maxGroups: Int
    package static let examplesPerGroup = 2
    /// Rule name → description, for the rules table.
    package var descriptions: [String: String] = [:]
    /// The rule set's zone: times show in it, with the offset (nil: UTC).
    package var zone: TimeZone?
    package var language = ReportLanguage.en

    package init(maxGroups: Int = 100_000) { self.maxGroups = maxGroups }

    /// The rule set's descriptions and zone; the language its zone suggests unless given.
    package init(ruleSet: CompiledRuleSet, language: ReportLanguage? = nil, maxGroups: Int = 100_000) {
        self.maxGroups = maxGroups
        descriptions = Dictionary(ruleSet.rules.compactMap { r in r.description.map { (r.name, $0) } }) { a, _ in a }
        zone = ruleSet.info.timezone == "UTC" ? nil : TimeZone(identifier: ruleSet.info.timezone)
        self.language = language ?? .default(timezone: ruleSet.info.timezone)
    }

    /// The groups, the most severe first, then the largest, then by account and rule.
    package var sortedGroups: [Group] {
        groups.values.sorted { a, b in
            if a.worst != b.worst { return a.worst > b.worst }
            if a.count != b.count { return a.count > b.count }
            return (a.account, a.rule) < (b.account, b.rule)
        }
    }

    package mutating func add(_ finding: Auditor.Finding) {
        if finding.decision.verdict != .allow, finding.event.type == .redeem, flaggedRedeemers.count < 1_000_000 {
            flaggedRedeemers.insert(finding.event.account)
        }
        let d = finding.decision
        guard d.verdict != .allow else { return }
        total += 1
        let ts = finding.event.ts ?? 0
        let example = Example(
            id: finding.event.id, ts: ts, account: finding.event.account, verdict: d.verdict, score: d.score, rules: d.fired.map(\.rule),
            evidence: d.fired.flatMap { f in f.evidence.prefix(2).map { Self.short($0) } },
            text: String((finding.event.text ?? finding.event.code ?? "").prefix(120)))
        // A decision raised by a penalty alone (no rule fired) is grouped under its verdict.
        let rules = d.fired.isEmpty ? ["(" + d.verdict.rawValue + ")"] : d.fired.map(\.rule)
        for rule in rules {
            let key = finding.event.account + "\u{1}" + rule
            if groups[key] == nil {
                guard groups.count < maxGroups else {
                    ungrouped += 1
                    continue
                }
                groups[key] = Group(account: finding.event.account, rule: rule)
            }
            groups[key]!.count += 1
            groups[key]!.worst = max(groups[key]!.worst, d.verdict)
            groups[key]!.first = min(groups[key]!.first, ts)
            groups[key]!.last = max(groups[key]!.last, ts)
            if groups[key]!.examples.count < Self.examplesPerGroup { groups[key]!.examples.append(example) }
        }
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
