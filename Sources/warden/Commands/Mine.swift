import ArgumentParser
import Foundation
import WardenModels

/// `warden mine`: the phrases that separate labelled positives from negatives, as a draft list.
struct Mine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the phrases that separate labelled positives from negatives.",
        discussion: """
            Reads labelled data as 'warden train' does. Ranks the folded n-grams of 2 to 8 \
            characters that occur in at least --min-support positive messages by their log-odds \
            ratio between the classes with an informative Dirichlet prior, as a z-score (Monroe, \
            Colaresi & Quinn 2008, "Fightin' Words"); a phrase gives way to a longer one found in \
            nearly as many positives, and to a better one it contains or is contained in. Each \
            phrase comes with the messages it occurs in, its precision on the data and an example. \
            --format list writes a draft word list with its counts as comments, for a person to \
            review before it goes into rules/lists/.
            """)

    @OptionGroup var data: LabelledDataOptions

    @Option(help: "How many phrases.")
    var top: Int = 50

    @Option(help: "Positive messages a phrase must occur in.")
    var minSupport: Int = 5

    @Option(help: "The shortest and longest phrase, in folded characters.")
    var minLength: Int = 2

    @Option(help: "The longest phrase, in folded characters.")
    var maxLength: Int = 8

    @Option(help: "α₀ of the Dirichlet prior (larger: more weight on frequent phrases).")
    var prior: Double = 100

    @Option(help: "Leave out phrases whose precision on the data is below this (0 to 1).")
    var minPrecision: Double = 0

    @Option(help: "table (default) or list (a draft word list).")
    var format: String = "table"

    func validate() throws {
        guard top >= 1, minSupport >= 1, prior > 0, (0...1).contains(minPrecision) else {
            throw ValidationError("--top and --min-support are at least 1, --prior above 0, --min-precision from 0 to 1")
        }
        guard (1...16).contains(minLength), (minLength...16).contains(maxLength) else {
            throw ValidationError("--min-length and --max-length are from 1 to 16, the shortest first")
        }
        guard ["table", "list"].contains(format) else { throw ValidationError("--format is table or list") }
    }

    func run() throws {
        try data.check()
        let started = Date()
        let loaded = try data.load()
        var options = PhraseMiner.Options()
        options.top = top
        options.minSupport = minSupport
        options.minLength = minLength
        options.maxLength = maxLength
        options.priorStrength = prior
        options.minPrecision = minPrecision
        let progress = Output.stderrIsTerminal ? ProgressLine() : nil
        let phrases = PhraseMiner(options: options).mine(loaded.examples) { done, total in
            progress?.update(done: done, total: 2 * total, events: done, unit: "messages")
        }
        progress?.finish()
        let examples = loaded.examples
        let positives = examples.filter(\.positive).count
        let seconds = Date().timeIntervalSince(started)
        if format == "list" {
            Output.line(
                "# Draft list from 'warden mine' over \(loaded.files.joined(separator: ", ")): \(Train.grouped(positives)) positive and \(Train.grouped(examples.count - positives)) negative messages."
            )
            Output.line(
                "# Review every entry before it goes into rules/lists/: keep phrases of the language, not pieces of one sender's message.")
            for p in phrases {
                Output.line(
                    String(
                        format: "# z %.1f: in %d positives (%.2f%%) and %d negatives, precision %.1f%%", p.z, p.positives,
                        100 * Double(p.positives) / Double(max(1, positives)), p.negatives, 100 * p.precision))
                Output.line(p.text)
            }
            return
        }
        Output.line("rank      z  positives  negatives  precision  phrase  (example: label, span, text)")
        for (rank, p) in phrases.enumerated() {
            let example = examples[p.example]
            let head = String(format: "%4d  %5.1f  %9d  %9d  %8.1f%%  ", rank + 1, p.z, p.positives, p.negatives, 100 * p.precision)
            Output.line(
                head + p.text + (p.folded == p.text ? "" : " [\(p.folded)]")
                    + "  (\(example.label), [\(p.span.lowerBound),\(p.span.upperBound)), " + Self.excerpt(example.text, p.span) + ")")
        }
        Output.line(
            String(format: "\n%d phrases from %@ messages in %.1f s", phrases.count, Train.grouped(examples.count) as NSString, seconds))
    }

    /// The text around a span, the span in ⟦ ⟧, on one line.
    static func excerpt(_ text: String, _ span: Range<Int>, context: Int = 12) -> String {
        let scalars = Array(text.unicodeScalars)
        func piece(_ r: Range<Int>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[r])
            return String(s).replacingOccurrences(of: "\n", with: "⏎")
        }
        let lower = max(0, span.lowerBound - context)
        let upper = min(scalars.count, span.upperBound + context)
        return (lower > 0 ? "…" : "") + piece(lower..<span.lowerBound) + "⟦" + piece(span) + "⟧" + piece(span.upperBound..<upper)
            + (upper < scalars.count ? "…" : "")
    }
}
