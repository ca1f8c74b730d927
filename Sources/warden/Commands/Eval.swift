import ArgumentParser
import Foundation
import WardenEngine

/// `warden eval`: precision, recall and false-positive rate on labelled messages.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure detection quality on labelled messages.",
        discussion: """
            Labelled files are TSV: LABEL<TAB>TEXT per line (IND, FRD, DIV, SPM for harmful \
            categories, NRM for benign; '#' lines are comments). --benign files hold one benign \
            message per line. Each message is checked as a send from its own account.
            """)

    @OptionGroup var ruleSet: RuleSetOptions

    @Argument(help: "Labelled TSV files.")
    var labelled: [String] = []

    @Option(help: "Files of benign messages, one per line (repeatable).")
    var benign: [String] = []

    @Flag(help: "List every miss and every false positive.")
    var verbose = false

    func run() throws {
        let engine = Engine(ruleSet: try ruleSet.load())
        var report = QualityReport()
        var n = 0
        func check(_ label: String, _ text: String) {
            n += 1
            var event = Event(id: "q\(n)", type: .send, account: "eval-\(n)", ts: 1_767_225_600 + Double(n))
            event.text = text
            event.to = ["someone"]
            report.add(label: label, text: text, decision: engine.check(event, now: 0))
        }
        for path in labelled {
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
        for path in benign {
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
            for m in report.falsePositives.prefix(shown) { Output.line("  \(m.verdict.rawValue) \(m.fired.joined(separator: ","))  \(m.text)") }
        }
    }

    func lines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("warden: cannot read '\(path)'")
            throw ExitCode(2)
        }
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\n").map { $0.trimmingCharacters(in: .init(charactersIn: "\r")) }
    }
}
