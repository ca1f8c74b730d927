import ArgumentParser
import Foundation
import WardenEngine
import WardenModels

/// `warden eval`: precision, recall and false-positive rate of the rule set on labelled messages.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure detection quality on labelled messages.",
        discussion: """
            Labelled files are CSV with a header or JSONL (with --text, --label and --positive or \
            --negative, as 'warden train' reads them), or TSV: LABEL<TAB>TEXT per line (IND, FRD, \
            DIV, SPM for harmful categories, NRM for benign; '#' lines are comments). --benign files \
            hold one benign message per line; --benign-chat files too, counted apart as label \
            'chat' (ordinary chat between people, the false positives a platform notices first). Each message is checked as a send from its own \
            account. A message is flagged when the verdict is not allow; the tables also give the \
            figures at each verdict, and at thresholds of every model of the rule set.
            """)

    @OptionGroup var ruleSet: RuleSetOptions

    @OptionGroup var data: LabelledDataOptions

    @Flag(help: "List every miss and every false positive.")
    var verbose = false

    @Option(
        help: "How many misses and false hits to show: the misses a rule came closest to catching, the false hits with the highest scores.")
    var misses: Int = 10

    /// TSV catalogues, or only --benign files: the category report. Chat files take the
    /// threshold tables, so every model's figure on chat is printed too.
    var isTSV: Bool { data.files.isEmpty ? data.benignChat.isEmpty : data.files.allSatisfy { $0.hasSuffix(".tsv") } }

    func validate() throws {
        if data.files.contains(where: { $0.hasSuffix(".tsv") }), !isTSV {
            throw ValidationError("give either TSV files or CSV/JSONL files, not both")
        }
        if !isTSV { try data.check() }
    }

    func run() throws {
        let engine = Engine(ruleSet: try ruleSet.load())
        if isTSV { return try runTSV(engine) }
        let loaded = try data.load(requireBothClasses: false)
        let examples = loaded.examples
        var outcomes: [EvalDetails.Outcome] = []
        outcomes.reserveCapacity(examples.count)
        for (n, example) in examples.enumerated() {
            let d = engine.check(Self.event(n, example.text), now: Self.event(n, "").ts ?? 0)
            outcomes.append(
                EvalDetails.Outcome(
                    label: example.label, positive: example.positive, text: example.text, verdict: d.verdict, score: d.score,
                    tags: Set(d.fired.flatMap(\.tags))))
        }
        let positive = examples.map(\.positive)
        let labels = examples.map(\.label)
        let levels: [Verdict] = [.challenge, .review, .block]
        let byVerdict = ThresholdReport(
            scores: outcomes.map { byVerdictScore($0.verdict) }, positive: positive, labels: labels,
            thresholds: levels.map { byVerdictScore($0) }, names: levels.map { $0.rawValue + "+" })
        Output.line("\nthe rule set (flagged: a verdict of challenge or above)")
        Output.line(byVerdict.text)
        let fromFiles = examples.indices.filter { examples[$0].label != Trainer.benignLabel && examples[$0].label != Trainer.chatLabel }
        if fromFiles.count < examples.count, !fromFiles.isEmpty {
            let alone = ThresholdReport(
                scores: fromFiles.map { byVerdictScore(outcomes[$0].verdict) }, positive: fromFiles.map { positive[$0] },
                labels: fromFiles.map { labels[$0] }, thresholds: [byVerdictScore(.challenge)], names: ["challenge"])
            if let row = alone.rows.first {
                Output.line(
                    String(
                        format: "on the labelled files alone (no benign lines): precision %.2f%%, recall %.2f%%, F1 %.4f at challenge+",
                        row.precision * 100, row.recall * 100, row.f1))
            }
        }
        Output.line("")
        Output.line(EvalDetails.categoryTable(outcomes))
        for (name, model) in engine.ruleSet.models {
            let scores = examples.map { model.probability($0.text) }
            Output.line("\nmodel \(name) alone: classify(\(name), text)")
            Output.line(ThresholdReport(scores: scores, positive: positive, labels: labels).text)
        }
        Output.line("")
        Output.line(EvalDetails.instructive(outcomes, engine: engine, count: verbose ? Int.max : misses, event: Self.event))
    }

    func byVerdictScore(_ v: Verdict) -> Double { Double(Verdict.allCases.firstIndex(of: v)!) }

    /// A message as a send from an account of its own, so that counters never link two.
    static func event(_ n: Int, _ text: String) -> Event {
        var event = Event(id: "q\(n)", type: .send, account: "eval-\(n)", ts: 1_767_225_600 + Double(n))
        event.text = text
        event.to = ["someone"]
        return event
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "⏎")
    }

    /// The TSV catalogue format: categories, with precision per category from the rules' tags.
    func runTSV(_ engine: Engine) throws {
        var report = QualityReport()
        var n = 0
        func check(_ label: String, _ text: String) {
            n += 1
            report.add(label: label, text: text, decision: engine.check(Self.event(n, text), now: Self.event(n, "").ts ?? 0))
        }
        for path in data.files {
            for (number, line) in try lines(path).enumerated() where !line.isEmpty && !line.hasPrefix("#") {
                let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    Output.error("\(path):\(number + 1): expected LABEL<TAB>TEXT")
                    throw ExitCode(2)
                }
                check(String(parts[0]), String(parts[1]).replacingOccurrences(of: "\\u200b", with: "\u{200B}"))
            }
        }
        // Benign files are deduplicated together (the review files repeat their lines).
        var seen = Set<String>()
        for path in data.benign + data.benignChat {
            for line in try lines(path) where !line.isEmpty && seen.insert(line).inserted { check(QualityReport.benign, line) }
        }
        Output.line(report.table)
        let shown = verbose ? Int.max : 10
        if !report.misses.isEmpty {
            Output.line("\nmissed (\(report.misses.count)):")
            for m in report.misses.prefix(shown) { Output.line("  \(m.label)  \(m.text)") }
        }
        if !report.falsePositives.isEmpty {
            Output.line("\nfalse positives (\(report.falsePositives.count)):")
            for m in report.falsePositives.prefix(shown) {
                Output.line("  \(m.verdict.rawValue) \(m.fired.joined(separator: ","))  \(m.text)")
            }
        }
    }

    func lines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("warden: cannot read '\(path)'")
            throw ExitCode(2)
        }
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\n").map {
            $0.trimmingCharacters(in: .init(charactersIn: "\r"))
        }
    }
}
