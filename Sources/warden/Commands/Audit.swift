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

    @Option(
        help: ArgumentHelp(
            "Threads the evaluation splits the accounts over, when that decides exactly as one thread in event-time order (every counter and penalty keyed by account, state in this process: 'warden lint --keys' tells); 1 keeps one thread. Default: every core.",
            valueName: "N"))
    var evaluators: Int?

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
        if let evaluators {
            guard evaluators >= 1 else {
                Output.error("warden: --evaluators takes a number of threads, 1 or more, not \(evaluators)")
                throw ExitCode(2)
            }
            options.evaluators = evaluators
        }
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
            findings?.discard()
            outbox?.discard()
            Output.error("warden: \(error)")
            throw ExitCode(2)
        }
        progress?.finish()
        do {
            try findings?.close()
        } catch {
            outbox?.discard()
            throw error
        }
        try outbox?.close()
        if let stateOut { try StateFiles.save(engine, to: stateOut) }
        if let report {
            let page = HTMLReport.audit(summary, reportData, trees: engine.inviteTrees(flagged: reportData.flaggedRedeemers))
            let file = try OutputFile(report)
            file.line(page)
            try file.close()
        }
        for warning in archived?.warnings ?? [] { Output.error("warden: \(warning)") }
        Output.line(summary.text)
        if summary.badLines > 0 { throw ExitCode(2) }
    }
}

/// A buffered output file, written whole or not at all: the lines go to a temporary file beside
/// it, renamed over it by `close()`; an error writing (a full disk) ends the command with exit 1
/// and a message naming the file, and leaves no truncated file behind. A device or a pipe
/// (`/dev/stdout`) is written directly.
final class OutputFile {
    let path: String
    private let temporary: String?
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var failure: Int32?
    private var closed = false

    init(_ path: String) throws {
        self.path = path
        var info = stat()
        let special = stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG
        temporary = special ? nil : path + ".partial-\(getpid())"
        let target = temporary ?? path
        fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            Output.error("warden: cannot write '\(path)': \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
    }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 20 { flush() }
    }

    func flush() {
        guard failure == nil, !buffer.isEmpty else { return }
        failure = Output.writeAll(fd, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and puts the file in place; throws (exit 1, after a message) when
    /// any write failed, removing the partial file.
    func close() throws {
        flush()
        if failure == nil, temporary != nil, fsync(fd) != 0 { failure = errno }
        if Glibc.close(fd) != 0, failure == nil { failure = errno }
        closed = true
        if let failure {
            discard()
            let what = temporary == nil ? "the output is incomplete" : "nothing was written there"
            Output.error("warden: cannot write '\(path)': \(String(cString: strerror(failure))); \(what)")
            throw ExitCode(1)
        }
        if let temporary, rename(temporary, path) != 0 {
            let e = errno
            discard()
            Output.error("warden: cannot write '\(path)': \(String(cString: strerror(e)))")
            throw ExitCode(1)
        }
    }

    /// Removes the partial file of a run that did not finish.
    func discard() {
        guard let temporary else { return }
        if !closed { Glibc.close(fd) }
        closed = true
        unlink(temporary)
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
