import ArgumentParser
import WardenEngine
import WardenLanguage

/// `--rules PATH`, shared by every command that reads a rule set.
struct RuleSetOptions: ParsableArguments {
    @Option(name: .long, help: "A .rules file or a directory of them.")
    var rules: String = "./rules"

    /// Compiles the rule set; prints its diagnostics and exits 1 on errors.
    func load(showWarnings: Bool = false) throws -> CompiledRuleSet {
        let (ruleSet, diagnostics) = Compiler.compile(path: rules)
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
