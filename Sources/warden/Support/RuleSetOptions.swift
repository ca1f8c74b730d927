import ArgumentParser
import Foundation
import WardenAudit
import WardenEngine
import WardenLanguage

/// `--rules PATH`, shared by every command that reads a rule set.
struct RuleSetOptions: ParsableArguments {
    @Option(name: .long, help: "A .rules file or a directory of them.")
    var rules: String = "./rules"

    /// Compiles the rule set; prints its diagnostics and exits 1 on errors.
    func load(showWarnings: Bool = false, optionalModels: Bool = true) throws -> CompiledRuleSet {
        let (ruleSet, diagnostics) = Compiler.compile(path: rules, optionalModels: optionalModels)
        let renderer = DiagnosticRenderer(color: Output.colorStderr)
        for d in diagnostics where d.severity == .error || showWarnings {
            Output.error(renderer.render(d))
        }
        guard let ruleSet else {
            let count = diagnostics.filter { $0.severity == .error }.count
            Output.error("warden: the rule set has \(count) error\(count == 1 ? "" : "s"); run 'warden lint' for details")
            throw ExitCode(1)
        }
        return ruleSet
    }
}

/// `--max-lateness`, shared by audit and dry-run.
struct LatenessOptions: ParsableArguments {
    @Option(name: .customLong("max-lateness"), help: "How late an event may arrive and still be put in order (e.g. 10m).")
    var maxLateness: String = "10m"

    /// The bound in seconds; a usage error when it is not a duration.
    func seconds() throws -> Double {
        guard let seconds = Timestamp.parseDuration(maxLateness) else {
            throw ValidationError("--max-lateness takes a duration such as 10m")
        }
        return seconds
    }
}

/// `--archive DIR --since T --until T`: a server's archive as input (`serve --archive`).
struct ArchiveOptions: ParsableArguments {
    @Option(help: "Read the events a server archived (serve --archive DIR), beside any log files.")
    var archive: String?

    @Option(help: "With --archive: from this time (ISO 8601, or 'YYYY-MM-DD[ HH:MM[:SS]]' in the rule set's zone).")
    var since: String?

    @Option(help: "With --archive: up to this time, excluded (default: now).")
    var until: String?

    /// The archive's merged stream, or nil without --archive; a usage error for bad times.
    func reader(zone: String, now: Double) throws -> ArchiveReader? {
        guard let archive else {
            if since != nil || until != nil { throw ValidationError("--since and --until go with --archive") }
            return nil
        }
        let from = try since.map { try Self.time($0, "--since", zone: zone) } ?? 0
        let to = try until.map { try Self.time($0, "--until", zone: zone) } ?? now
        guard from < to else { throw ValidationError("--since must be before --until") }
        do {
            return try ArchiveReader(directory: archive, since: from, until: to)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// An RFC 3339 time, or a local date and time in `zone` (`Timestamp.parse(_:localIn:)`).
    static func time(_ text: String, _ option: String, zone: String) throws -> Double {
        guard let t = Timestamp.parse(text, localIn: zone) else {
            throw ValidationError("\(option) takes an ISO 8601 time or 'YYYY-MM-DD[ HH:MM[:SS]]' in \(zone), not '\(text)'")
        }
        return t
    }
}
