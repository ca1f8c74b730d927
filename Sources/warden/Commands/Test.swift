import ArgumentParser
import WardenEngine

/// `warden test`: run every `test` block of the rule set.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the tests written beside the rules.")

    @OptionGroup var ruleSet: RuleSetOptions

    @Option(help: "Run only the tests whose name contains this text.")
    var filter: String?

    enum Format: String, ExpressibleByArgument { case text, json }

    @Option(
        help:
            "'text' (the default) or 'json': one object with the passed tests, the failures (test, location, expected, actual, repetition) and the rules no test fired."
    )
    var format: Format = .text

    func run() throws {
        let rules = try ruleSet.load()
        // Tests written `without models` need the rules once more, with optional models absent.
        let withoutModels =
            rules.tests.contains(where: \.withoutModels) && !rules.models.isEmpty ? try ruleSet.load(optionalModels: false) : nil
        let report = TestRunner.run(rules, withoutModels: withoutModels, filter: filter)
        if let filter, report.passed.isEmpty, report.failed == 0 {
            Output.error("warden: no test name contains '\(filter)'")
            throw ExitCode(2)
        }
        if format == .json {
            Output.line(Self.json(report, filtered: filter != nil))
            if report.failed > 0 { throw ExitCode(1) }
            return
        }
        for failure in report.failures {
            Output.line(
                "FAIL \"\(failure.test)\" at \(failure.location)"
                    + (failure.repetitions > 1 ? " (repetition \(failure.repetition) of \(failure.repetitions))" : ""))
            Output.line("  expected: \(failure.expected.joined(separator: ", "))")
            Output.line("  actual:   \(failure.actual)")
        }
        if filter == nil, !report.neverFired.isEmpty, !report.passed.isEmpty || report.failed > 0 {
            Output.error("warden: rules that no test event fired: \(report.neverFired.joined(separator: ", "))")
        }
        if filter == nil, !report.waitingForModels.isEmpty {
            Output.error("warden: rules waiting for an optional model's file: \(report.waitingForModels.joined(separator: ", "))")
        }
        Output.line("\(report.passed.count) passed, \(report.failed) failed")
        if report.failed > 0 { throw ExitCode(1) }
    }

    static func json(_ report: TestRunner.Report, filtered: Bool) -> String {
        let failures: [JSONValue] = report.failures.map { f in
            .object([
                ("test", .string(f.test)), ("location", .string(f.location)), ("expected", .array(f.expected.map(JSONValue.string))),
                ("actual", .string(f.actual)), ("repetition", .number(Double(f.repetition))),
                ("repetitions", .number(Double(f.repetitions))),
            ])
        }
        var pairs: [(String, JSONValue)] = [
            ("passed", .array(report.passed.map(JSONValue.string))), ("failed", .array(failures)),
        ]
        // With a filter, rules outside the tests run say nothing about coverage.
        if !filtered {
            pairs.append(("never_fired", .array(report.neverFired.map(JSONValue.string))))
            pairs.append(("waiting_for_models", .array(report.waitingForModels.map(JSONValue.string))))
        }
        var w = JSONWriter()
        w.value(.object(pairs))
        return w.output
    }
}
