import Foundation
import WardenEngine

/// What a new rule set would change on real events, against the one in use (the baseline).
package struct DryRunReport {
    package struct Example {
        package var id: String
        package var account: String
        package var text: String
        package var baselineRules: [String]
        package var currentRules: [String]
    }

    package var events = 0
    /// Hits per rule: (baseline, current).
    package var hits: [String: (baseline: Int, current: Int)] = [:]
    /// transitions[from][to]: how many events moved from one verdict to another.
    package var transitions: [Verdict: [Verdict: Int]] = [:]
    /// Accounts that get a penalty only under the new rules, and those that lose all of theirs.
    package var newlyPenalized: [String: Int] = [:]
    package var freed: [String: Int] = [:]
    /// Up to `examplesPerChange` events per changed transition.
    package var examples: [String: [Example]] = [:]
    package var examplesPerChange = 3
    /// The two rule sets: path, name, version and digest.
    package var baseline = ""
    package var current = ""
    /// What the current rule set adds, removes and changes against the baseline.
    package var diff: RuleSetDiff?

    package init() {}

    package mutating func add(baseline old: Decision, current new: Decision, event: Event) {
        events += 1
        for f in old.fired + old.shadow { hits[f.rule, default: (0, 0)].baseline += 1 }
        for f in new.fired + new.shadow { hits[f.rule, default: (0, 0)].current += 1 }
        transitions[old.verdict, default: [:]][new.verdict, default: 0] += 1
        let oldTargets = Set(old.penalties.compactMap { $0.targetKey == .account ? $0.targetValue : nil })
        let newTargets = Set(new.penalties.compactMap { $0.targetKey == .account ? $0.targetValue : nil })
        for a in newTargets.subtracting(oldTargets) { newlyPenalized[a, default: 0] += 1 }
        for a in oldTargets.subtracting(newTargets) { freed[a, default: 0] += 1 }
        if old.verdict != new.verdict {
            let key = "\(old.verdict.rawValue) → \(new.verdict.rawValue)"
            if examples[key, default: []].count < examplesPerChange {
                examples[key, default: []].append(
                    Example(
                        id: event.id, account: event.account, text: String((event.text ?? event.code ?? "").prefix(80)),
                        baselineRules: old.fired.map(\.rule), currentRules: new.fired.map(\.rule)))
            }
        }
    }

    /// Events whose verdict changed.
    package var changed: Int {
        transitions.reduce(0) { total, row in total + row.value.filter { $0.key != row.key }.reduce(0) { $0 + $1.value } }
    }

    /// The rule-set changes in words, one per line.
    var diffLines: [String] { diffLines(.en) }

    func diffLines(_ l: ReportLanguage) -> [String] {
        guard let diff else { return [] }
        if diff.isEmpty { return [l.t("规则没有改动（排版和注释除外）", "no rule changes (layout and comments aside)")] }
        var lines: [String] = []
        if !diff.added.isEmpty { lines.append(l.t("新增规则：", "rules added: ") + diff.added.joined(separator: ", ")) }
        if !diff.removed.isEmpty { lines.append(l.t("删除规则：", "rules removed: ") + diff.removed.joined(separator: ", ")) }
        if !diff.changed.isEmpty { lines.append(l.t("修改规则：", "rules changed: ") + diff.changed.joined(separator: ", ")) }
        if !diff.otherChanges.isEmpty { lines.append(l.t("其他改动：", "also: ") + diff.otherChanges.joined(separator: ", ")) }
        return lines
    }

    package var changedRules: [(String, Int, Int)] {
        hits.filter { $0.value.baseline != $0.value.current }.map { ($0.key, $0.value.baseline, $0.value.current) }.sorted { $0.0 < $1.0 }
    }

    package var text: String {
        var out = ["dry run over \(events) events: \(changed) decision\(changed == 1 ? "" : "s") change"]
        out.append("baseline: \(baseline)")
        out.append("current:  \(current)")
        out += diffLines.map { "  " + $0 }
        out.append("rule hits that change (baseline → current):")
        if changedRules.isEmpty { out.append("  none") }
        for (rule, a, b) in changedRules {
            out.append(
                "  " + rule.padding(toLength: max(28, rule.count + 1), withPad: " ", startingAt: 0)
                    + String(format: "%8d → %-8d (%+d)", a, b, b - a))
        }
        out.append("decisions (rows: baseline, columns: current; * marks events whose verdict changed):")
        out.append("            " + Verdict.allCases.map { $0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined())
        for from in Verdict.allCases {
            out.append(
                "  " + from.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + Verdict.allCases.map { to in
                        let n = transitions[from]?[to] ?? 0
                        return (String(n) + (n > 0 && from != to ? "*" : "")).padding(toLength: 10, withPad: " ", startingAt: 0)
                    }.joined())
        }
        out.append(
            "accounts newly penalized: \(newlyPenalized.count)"
                + (newlyPenalized.isEmpty ? "" : " (" + AuditSummary.top(newlyPenalized, 10).map(\.0).joined(separator: ", ") + ")"))
        out.append(
            "accounts freed: \(freed.count)"
                + (freed.isEmpty ? "" : " (" + AuditSummary.top(freed, 10).map(\.0).joined(separator: ", ") + ")"))
        for key in examples.keys.sorted() {
            out.append("examples \(key):")
            for e in examples[key]! {
                out.append(
                    "  \(e.id) \(e.account): \(e.text)  [\(e.baselineRules.joined(separator: ",")) → \(e.currentRules.joined(separator: ","))]"
                )
            }
        }
        return out.joined(separator: "\n")
    }

    package var json: String {
        var w = JSONWriter()
        let rules: [JSONValue] = hits.keys.sorted().map { rule in
            .object([
                ("rule", .string(rule)), ("baseline", .number(Double(hits[rule]!.baseline))),
                ("current", .number(Double(hits[rule]!.current))),
            ])
        }
        let matrix: [(String, JSONValue)] = Verdict.allCases.map { from in
            (from.rawValue, .object(Verdict.allCases.map { ($0.rawValue, .number(Double(transitions[from]?[$0] ?? 0))) }))
        }
        let ex: [(String, JSONValue)] = examples.keys.sorted().map { key in
            (
                key,
                .array(
                    examples[key]!.map { e in
                        .object([
                            ("id", .string(e.id)), ("account", .string(e.account)), ("text", .string(e.text)),
                            ("baseline", .array(e.baselineRules.map(JSONValue.string))),
                            ("current", .array(e.currentRules.map(JSONValue.string))),
                        ])
                    })
            )
        }
        w.value(
            .object([
                ("events", .number(Double(events))), ("changed", .number(Double(changed))), ("baseline", .string(baseline)),
                ("current", .string(current)),
                (
                    "rule_changes",
                    .object([
                        ("added", .array((diff?.added ?? []).map(JSONValue.string))),
                        ("removed", .array((diff?.removed ?? []).map(JSONValue.string))),
                        ("changed", .array((diff?.changed ?? []).map(JSONValue.string))),
                        ("other", .array((diff?.otherChanges ?? []).map(JSONValue.string))),
                    ])
                ),
                ("rules", .array(rules)), ("transitions", .object(matrix)),
                ("newly_penalized", .array(newlyPenalized.keys.sorted().map(JSONValue.string))),
                ("freed", .array(freed.keys.sorted().map(JSONValue.string))), ("examples", .object(ex)),
            ]))
        return w.output
    }

    package var html: String { html(language: .en) }

    /// The comparison as a page, in Chinese or English (the rule set's zone decides by default).
    package func html(language l: ReportLanguage) -> String {
        let title = l.t("Warden 试运行对比", "Warden dry run")
        var body =
            "<h1>\(title)</h1><p class=meta>" + l.t("\(events) 个事件 · \(changed) 个判定变化", "\(events) events · \(changed) decisions change")
        body +=
            "</p><p class=meta>\(l.t("基准", "baseline")): \(HTMLReport.escape(baseline))<br>\(l.t("候选", "current")): \(HTMLReport.escape(current))</p>"
        let diffLines = self.diffLines(l)
        if !diffLines.isEmpty {
            body += "<h2>\(l.t("规则改动", "Rule changes"))</h2><ul>" + diffLines.map { "<li>\(HTMLReport.escape($0))</li>" }.joined() + "</ul>"
        }
        body +=
            "<h2>\(l.t("规则命中变化", "Rule hits that change"))</h2>"
            + HTMLReport.table(
                [l.t("规则", "rule"), l.t("基准", "baseline"), l.t("候选", "current"), l.t("差值", "delta")],
                changedRules.map { [$0.0, String($0.1), String($0.2), String($0.2 - $0.1)] })
        // The cells off the diagonal that are not zero: the events whose verdict moved.
        let verdicts = Verdict.allCases
        body +=
            "<h2>\(l.t("判定变化（行：基准，列：候选；变化高亮）", "Decisions (rows: baseline, columns: current; changes highlighted)"))</h2>"
            + HTMLReport.table(
                [l.t("基准", "baseline")] + verdicts.map(l.verdict),
                verdicts.map { from in [l.verdict(from)] + verdicts.map { String(transitions[from]?[$0] ?? 0) } },
                highlight: { row, column in
                    column > 0 && verdicts[row] != verdicts[column - 1] && (transitions[verdicts[row]]?[verdicts[column - 1]] ?? 0) > 0
                })
        body +=
            "<h2>\(l.t("新增处罚账号", "Accounts newly penalized"))</h2>"
            + HTMLReport.bars(AuditSummary.top(newlyPenalized, 20), color: "#c8553d")
        body += "<h2>\(l.t("解除处罚账号", "Accounts freed"))</h2>" + HTMLReport.bars(AuditSummary.top(freed, 20), color: "#5a9e6f")
        body +=
            "<h2>\(l.t("变化示例", "Examples"))</h2>"
            + HTMLReport.table(
                [
                    l.t("变化", "change"), "id", l.t("账号", "account"), l.t("文本", "text"), l.t("基准规则", "baseline rules"),
                    l.t("候选规则", "current rules"),
                ],
                examples.keys.sorted().flatMap { key in
                    examples[key]!.map {
                        [
                            change(key, l), $0.id, $0.account, $0.text, $0.baselineRules.joined(separator: " "),
                            $0.currentRules.joined(separator: " "),
                        ]
                    }
                },
                cjk: [3])
        return HTMLReport.page(title: title, body: body, lang: l.htmlLang)
    }

    /// "allow → block" in the page's language.
    private func change(_ key: String, _ l: ReportLanguage) -> String {
        key.components(separatedBy: " → ").map { Verdict(rawValue: $0).map(l.verdict) ?? $0 }.joined(separator: " → ")
    }
}
