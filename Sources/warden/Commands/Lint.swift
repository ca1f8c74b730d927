import ArgumentParser
import Foundation
import WardenEngine
import WardenLanguage
import WardenMatching

/// `warden lint`: parse, check and compile the rule set; report every problem.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a rule set and report problems with their place.")

    enum Format: String, ExpressibleByArgument {
        case text, json
    }

    @OptionGroup var ruleSet: RuleSetOptions

    @ArgumentParser.Argument(help: "The rule set (a .rules file or a directory), as --rules gives it.")
    var path: String?

    @Option(help: "text or json.")
    var format: Format = .text

    @Flag(
        help: """
            Self-test the word lists: rewrite every entry through the inverse of each fold its list         applies (traditional, variants, width, case, letter styles, digits, diacritics, invisible         characters, noise, repeats, pinyin) and report the rewrites the list does not catch. Exits 1         when there is one.
            """)
    var perturb = false

    @Flag(help: "Warnings fail too (exit 1): for CI.")
    var werror = false

    @Flag(help: "Also say what the counters and penalties are keyed by, and whether 'audit --partition' (by account) splits a log exactly.")
    var keys = false

    func run() throws {
        if let path, ruleSet.rules != "./rules", ruleSet.rules != path {
            Output.error("warden: give the rule set once: '\(path)' or --rules \(ruleSet.rules)")
            throw ExitCode(2)
        }
        let (compiled, diagnostics) = Compiler.compile(path: path ?? ruleSet.rules)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        switch format {
        case .text:
            let renderer = DiagnosticRenderer(color: Output.colorStdout)
            for d in diagnostics { Output.line(renderer.render(d)) }
            if !diagnostics.isEmpty { Output.line("") }
            Output.line("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        case .json:
            Output.line(Self.json(diagnostics))
        }
        if errors > 0 || (werror && warnings > 0) { throw ExitCode(1) }
        if keys, let compiled { Output.line(Self.stateKeysLine(compiled.stateKeys)) }
        if perturb, let compiled {
            let start = Date()
            let reports = Perturbation.check(compiled.keywordMatcher)
            Output.line(Self.perturbSummary(reports, seconds: Date().timeIntervalSince(start)))
            if reports.contains(where: { !$0.misses.isEmpty }) { throw ExitCode(1) }
        }
    }

    /// What the state is keyed by, and whether `audit --partition` splits it exactly.
    static func stateKeysLine(_ keys: CompiledRuleSet.StateKeys) -> String {
        let counters = keys.counters.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        let penalties = keys.penalties.map(\.rawValue).sorted().joined(separator: ", ")
        let verdict =
            keys.exactByAccount
            ? "audit --partition (by account) is exact, and an audit splits its evaluation by account over every core"
            : "audit --partition (by account) is approximate for " + keys.approximateByAccount.joined(separator: ", ")
        return
            "state: counters by \(counters.isEmpty ? "none" : counters); penalties on \(penalties.isEmpty ? "none" : penalties); \(verdict)"
    }

    /// One line per list, its misses (an example each, at most 10 shown per list), and a total.
    static func perturbSummary(_ reports: [Perturbation.ListReport], seconds: Double) -> String {
        var lines: [String] = []
        for r in reports where r.variants > 0 {
            let share = String(format: "%.2f", 100 * Double(r.caught) / Double(r.variants))
            var line = "perturb \(r.list): \(r.entries) entries, \(r.variants) variants, \(share)% caught"
            if !r.misses.isEmpty {
                line +=
                    "; \(r.misses.count) entr\(r.misses.count == 1 ? "y" : "ies") missed ("
                    + r.missesByFold.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
            }
            lines.append(line)
            for miss in r.misses.prefix(10) {
                lines.append("  \(miss.entry) as \(JSONWriter.quote(miss.variant.text)) (\(miss.variant.fold))")
            }
        }
        let variants = reports.reduce(0) { $0 + $1.variants }
        let caught = reports.reduce(0) { $0 + $1.caught }
        let missed = reports.reduce(0) { $0 + $1.misses.count }
        lines.append(
            String(
                format: "perturb: %d lists, %d variants, %.2f%% caught, %d entries with a miss (%.1f s)",
                reports.filter { $0.variants > 0 }.count, variants, variants == 0 ? 100 : 100 * Double(caught) / Double(variants), missed,
                seconds))
        return lines.joined(separator: "\n")
    }

    static func json(_ diagnostics: [Diagnostic]) -> String {
        let items = diagnostics.map(\.jsonValue)
        var w = JSONWriter()
        w.value(.object([("diagnostics", .array(items))]))
        return w.output
    }
}
