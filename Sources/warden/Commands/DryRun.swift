import ArgumentParser
import Foundation
import WardenAudit
import WardenEngine

/// `warden dry-run --baseline OLD LOG…`: what the rule set would change against the one in use.
struct DryRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run", abstract: "Run the rule set and a baseline side by side over logs and show what changes.")

    @OptionGroup var ruleSet: RuleSetOptions

    @Option(help: "The rule set in use (a .rules file or a directory).")
    var baseline: String

    @Argument(help: "Log files (JSONL or CSV, gzip or not).")
    var logs: [String] = []

    @OptionGroup var archive: ArchiveOptions

    @Option(help: "Write the comparison as JSON.")
    var json: String?

    @Option(help: "Write the comparison as a self-contained HTML page.")
    var report: String?

    @Option(help: "The page's language: zh or en (default: zh for a rule set whose timezone is Asia/*, else en).")
    var lang: ReportLanguage?

    @OptionGroup var lateness: LatenessOptions

    func run() throws {
        let lateness = try self.lateness.seconds()
        let current = Engine(ruleSet: try ruleSet.load(), lateness: lateness)
        let archived = try archive.reader(zone: current.ruleSet.info.timezone, now: Date().timeIntervalSince1970)
        guard !logs.isEmpty || archived != nil else { throw ValidationError("name log files, or an --archive") }
        var baselineOptions = ruleSet
        baselineOptions.rules = baseline
        let old = Engine(ruleSet: try baselineOptions.load(), lateness: lateness)
        var options = Auditor.Options()
        options.lateness = lateness
        var comparison = DryRunReport()
        func describe(_ path: String, _ info: CompiledRuleSet.Info) -> String {
            "\(path) (\(info.name)\(info.version.map { " " + $0 } ?? ""), \(info.digest))"
        }
        comparison.baseline = describe(baseline, old.ruleSet.info)
        comparison.current = describe(ruleSet.rules, current.ruleSet.info)
        comparison.diff = RuleSetDiff(old: RuleSetLoader.load(path: baseline).syntax, new: RuleSetLoader.load(path: ruleSet.rules).syntax)
        let summary: AuditSummary
        do {
            summary = try Auditor(engines: [old, current], options: options).run(
                sources: try logs.map { try LineSource(path: $0) } + (archived.map { [$0.lineSource()] } ?? []),
                onFinding: { finding in
                    comparison.add(baseline: finding.decisions[0], current: finding.decisions[1], event: finding.event)
                })
        } catch let error as AuditError {
            Output.error("warden: \(error)")
            throw ExitCode(2)
        }
        for warning in archived?.warnings ?? [] { Output.error("warden: \(warning)") }
        if let json { try Data(comparison.json.utf8).write(to: URL(fileURLWithPath: json)) }
        if let report {
            let language = lang ?? .default(timezone: current.ruleSet.info.timezone)
            try Data(comparison.html(language: language).utf8).write(to: URL(fileURLWithPath: report))
        }
        Output.line(comparison.text)
        if summary.badLines > 0 {
            Output.error("warden: \(summary.badLines) bad line\(summary.badLines == 1 ? "" : "s") skipped:")
            for e in summary.badExamples { Output.error("  \(e)") }
            throw ExitCode(2)
        }
    }
}
