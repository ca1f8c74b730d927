import ArgumentParser
import Foundation
import WardenEngine
import WardenLanguage

/// `warden lint`: parse, check and compile the rule set; report every problem.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a rule set and report problems with their place.")

    enum Format: String, ExpressibleByArgument {
        case text, json
    }

    @OptionGroup var ruleSet: RuleSetOptions

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        let (_, diagnostics) = Compiler.compile(path: ruleSet.rules)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        switch format {
        case .text:
            let renderer = DiagnosticRenderer(color: Output.stdoutIsTerminal)
            for d in diagnostics { Output.line(renderer.render(d)) }
            if !diagnostics.isEmpty { Output.line("") }
            Output.line("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        case .json:
            Output.line(Self.json(diagnostics))
        }
        if errors > 0 { throw ExitCode(1) }
    }

    static func json(_ diagnostics: [Diagnostic]) -> String {
        let items: [JSONValue] = diagnostics.map { d in
            var pairs: [(String, JSONValue)] = [
                ("id", .string(d.id)), ("severity", .string(d.severity.rawValue)), ("message", .string(d.message)),
            ]
            if let file = d.file { pairs.append(("file", .string(file))) }
            if let loc = d.location {
                pairs.append(("line", .number(Double(loc.line))))
                pairs.append(("column", .number(Double(loc.column))))
            }
            if let range = d.range {
                let end = range.file.location(of: range.bytes.upperBound)
                pairs.append(("end_line", .number(Double(end.line))))
                pairs.append(("end_column", .number(Double(end.column))))
            }
            if let hint = d.hint { pairs.append(("hint", .string(hint))) }
            return .object(pairs)
        }
        var w = JSONWriter()
        w.value(.object([("diagnostics", .array(items))]))
        return w.output
    }
}
