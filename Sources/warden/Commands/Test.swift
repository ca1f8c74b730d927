import ArgumentParser
import WardenEngine

/// `warden test`: run every `test` block of the rule set.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the tests written beside the rules.")

    @OptionGroup var ruleSet: RuleSetOptions

    @Option(help: "Run only the tests whose name contains this text.")
    var filter: String?

    func run() throws {
        let report = TestRunner.run(try ruleSet.load(), filter: filter)
        if let filter, report.passed.isEmpty, report.failed == 0 {
            Output.error("warden: no test name contains '\(filter)'")
            throw ExitCode(2)
        }
        for failure in report.failures {
            Output.line("FAIL \"\(failure.test)\" at \(failure.location)" + (failure.repetitions > 1 ? " (repetition \(failure.repetition) of \(failure.repetitions))" : ""))
            Output.line("  expected: \(failure.expected.joined(separator: ", "))")
            Output.line("  actual:   \(failure.actual)")
        }
        if filter == nil, !report.neverFired.isEmpty, !report.passed.isEmpty || report.failed > 0 {
            Output.error("warden: rules that no test event fired: \(report.neverFired.joined(separator: ", "))")
        }
        Output.line("\(report.passed.count) passed, \(report.failed) failed")
        if report.failed > 0 { throw ExitCode(1) }
    }
}
