import ArgumentParser
import Foundation
import Synchronization
import WardenAudit
import WardenEngine

/// `warden audit LOG…`: stream logs through the rules in event-time order.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit logs (JSONL or CSV with a header, gzip or not, '-' for stdin).",
        discussion: """
            Events are put in event-time order within --max-lateness; an event later than that is \
            still evaluated, where it arrives, and counted as late. Bad lines are reported with \
            their file and line and skipped; --strict stops at the first.
            """)

    @OptionGroup var ruleSet: RuleSetOptions

    @Argument(help: "Log files.")
    var logs: [String] = []

    @OptionGroup var archive: ArchiveOptions

    @Option(help: "Findings as JSONL: decisions other than allow (all of them with --all).")
    var out: String?

    @Flag(help: "Write every decision to --out, not only those other than allow.")
    var all = false

    @Option(help: "Penalty records (the outbox of SPEC §7) as JSONL.")
    var penalties: String?

    @Option(help: "A self-contained HTML report.")
    var report: String?

    @Option(help: "The report's language: zh or en (default: zh for a rule set whose timezone is Asia/*, else en).")
    var lang: ReportLanguage?

    @OptionGroup var lateness: LatenessOptions

    @Flag(help: "Stop at the first bad line; unknown event keys are errors.")
    var strict = false

    @Option(name: .customLong("state-in"), help: "Start from the counters and penalties of a snapshot.")
    var stateIn: String?

    @Option(name: .customLong("state-out"), help: "Write the counters and penalties at the end.")
    var stateOut: String?

    @Option(name: .customLong("max-errors"), help: "Bad lines to show in the summary.")
    var maxErrors: Int = 20

    @OptionGroup var shared: SharedStateOptions

    @Option(
        help: ArgumentHelp(
            "Audit part K of N (by a hash of the account); run N audits on one --state redis://… to split a log. Exact when every counter and penalty is keyed by account ('warden lint --keys' tells).",
            valueName: "K/N"))
    var partition: String?

    func run() throws {
        let lateness = try self.lateness.seconds()
        var part: AuditPartition?
        if let partition {
            guard let p = AuditPartition(partition) else {
                Output.error("warden: --partition takes K/N with 1 <= K <= N, not '\(partition)'")
                throw ExitCode(2)
            }
            part = p
        }
        let compiled = try ruleSet.load()
        let archived = try archive.reader(zone: compiled.info.timezone, now: Date().timeIntervalSince1970)
        guard !logs.isEmpty || archived != nil else { throw ValidationError("name log files, or an --archive") }
        let engine = try shared.engine(compiled, lateness: lateness)
        if let stateIn { try StateFiles.restore(engine, from: stateIn) }
        var options = Auditor.Options()
        options.lateness = lateness
        options.strict = strict
        options.maxErrorsShown = maxErrors
        options.partition = part
        let findings = try out.map(OutputFile.init)
        let outbox = try penalties.map(OutputFile.init)
        var reportData = ReportData(ruleSet: compiled, language: lang)
        let progress = Output.stderrIsTerminal ? ProgressLine() : nil
        let summary: AuditSummary
        do {
            summary = try Auditor(engine: engine, options: options).run(
                sources: try logs.map { try LineSource(path: $0) } + (archived.map { [$0.lineSource()] } ?? []),
                onFinding: { finding in
                    if let findings, all || finding.decision.verdict != .allow { findings.line(finding.decision.json) }
                    if let outbox {
                        for change in engine.penaltyChanges(for: finding.decision, event: finding.event) { outbox.line(change.json) }
                    }
                    if report != nil { reportData.add(finding) }
                }, onProgress: { done, total, events in progress?.update(done: done, total: total, events: events) })
        } catch let error as AuditError {
            progress?.finish()
            Output.error("warden: \(error)")
            throw ExitCode(2)
        }
        progress?.finish()
        try findings?.close()
        try outbox?.close()
        if let stateOut { try StateFiles.save(engine, to: stateOut) }
        if let report {
            try Data(HTMLReport.audit(summary, reportData, trees: engine.inviteTrees(flagged: reportData.flaggedRedeemers)).utf8).write(
                to: URL(fileURLWithPath: report))
        }
        for warning in archived?.warnings ?? [] { Output.error("warden: \(warning)") }
        Output.line(summary.text)
        if summary.badLines > 0 { throw ExitCode(2) }
    }
}

/// A buffered output file.
final class OutputFile {
    let handle: FileHandle
    var buffer = Data()

    init(_ path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            Output.error("warden: cannot write '\(path)'")
            throw ExitCode(2)
        }
        handle = h
    }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 20 { flush() }
    }

    func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}

/// Reading and writing snapshot files, shared by check and audit.
enum StateFiles {
    static func restore(_ engine: Engine, from path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("warden: cannot read snapshot '\(path)'")
            throw ExitCode(2)
        }
        do {
            let dropped = try engine.restore(snapshot: String(decoding: data, as: UTF8.self))
            if dropped > 0 {
                Output.error(
                    "warden: \(dropped) counter\(dropped == 1 ? "" : "s") of the snapshot no longer exist in the rule set; their state is dropped"
                )
            }
        } catch {
            Output.error("warden: \(path): \(error)")
            throw ExitCode(2)
        }
    }

    static func save(_ engine: Engine, to path: String) throws {
        do {
            try Data(engine.snapshot().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            Output.error("warden: cannot write snapshot '\(path)': \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }
}

/// A one-line progress display on a terminal: percent, rate, ETA. Callable from any thread.
final class ProgressLine: Sendable {
    let started = Date()
    private let last = Mutex(Date.distantPast)

    func update(done: Int, total: Int?, events: Int, unit: String = "events") {
        let now = Date()
        let due = last.withLock { last in
            guard now.timeIntervalSince(last) > 0.25 else { return false }
            last = now
            return true
        }
        guard due else { return }
        let elapsed = now.timeIntervalSince(started)
        let rate = Double(events) / max(elapsed, 1e-3)
        var text = "\u{1B}[2K\r\(events) \(unit), \(Int(rate)) \(unit)/s"
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            let eta = fraction > 0 ? elapsed / fraction - elapsed : 0
            text =
                "\u{1B}[2K\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                + String(format: "] %3.0f%%  %d %@  %d/s  ETA %.0fs", fraction * 100, events, unit as NSString, Int(rate), eta)
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
}

extension ReportLanguage: ExpressibleByArgument {}
