import ArgumentParser
import Foundation
import WardenEngine

/// `warden check`: decisions as JSONL for one event or a JSONL stream, in order.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decide events: one JSON event as the argument, or JSON Lines on stdin ('-' or no argument).")

    @OptionGroup var ruleSet: RuleSetOptions
    @OptionGroup var shared: SharedStateOptions

    @Argument(help: "One event as JSON, a JSONL file, or '-' for stdin (the default).")
    var event: String = "-"

    @Flag(help: "Unknown top-level event keys are errors instead of being ignored.")
    var strict = false

    @Flag(
        help:
            "Print a readable trace of each event instead of JSON: every rule, every part of its condition with the values (and types) it saw, the evidence, the score, the decide line and the penalties applied."
    )
    var explain = false

    @Flag(name: .customLong("fired-only"), help: "With --explain: show only the rules that fired.")
    var firedOnly = false

    enum Format: String, ExpressibleByArgument { case text, json }

    @Option(help: "With --explain: 'text' (the default, coloured on a terminal unless NO_COLOR is set) or 'json' (one object per event).")
    var format: Format = .text

    func validate() throws {
        if !explain && (firedOnly || format != .text) {
            throw ValidationError("--fired-only and --format go with --explain (decisions are always JSON)")
        }
    }

    @Option(name: .customLong("state-in"), help: "Start from the counters and penalties of a snapshot file.")
    var stateIn: String?

    @Option(name: .customLong("state-out"), help: "Write the counters and penalties to a snapshot file at the end.")
    var stateOut: String?

    func run() throws {
        let engine = try shared.engine(try ruleSet.load())
        if let stateIn { try StateFiles.restore(engine, from: stateIn) }
        let decoder = EventDecoder(strict: strict)
        var out = BufferedOutput()
        var writer = JSONWriter(capacity: 1024)
        var bad = 0
        var unknownKeys = 0
        let source: String
        // A file is read whole and its lines decoded where they lie (no copy per line).
        var whole: [UInt8] = []
        var lines: AnySequence<[UInt8]>?
        if event.hasPrefix("{") {
            source = "<argument>"
            lines = AnySequence([Array(event.utf8)])
        } else if event == "-" {
            source = "<stdin>"
            lines = AnySequence(StandardInputLines())
        } else {
            source = event
            guard let data = FileManager.default.contents(atPath: event) else {
                Output.error("warden: cannot read '\(event)'")
                throw ExitCode(2)
            }
            whole = [UInt8](data)
        }
        var number = 0
        /// Decides one line; false when a bad line ends the run (--strict).
        func handle(_ line: ArraySlice<UInt8>) -> Bool {
            number += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return true }
            do throws(EventError) {
                let decoded = try decoder.decode(bytes: line.last == 0x0D ? line.dropLast() : line, file: source, line: number)
                unknownKeys += decoded.unknownKeys.count
                let now = Date().timeIntervalSince1970
                if var refused = engine.futureError(decoded.event, now: now) {
                    (refused.file, refused.line) = (source, number)
                    throw refused
                }
                if explain {
                    let (_, trace) = engine.explain(decoded.event, now: now)
                    switch format {
                    case .text: out.line(trace.text(ExplainTrace.TextOptions(firedOnly: firedOnly, color: Output.colorStdout)) + "\n")
                    case .json:
                        writer.reset()
                        trace.write(to: &writer, firedOnly: firedOnly)
                        out.line(bytes: writer.bytes)
                    }
                } else {
                    writer.reset()
                    engine.check(decoded.event, now: now).write(to: &writer)
                    out.line(bytes: writer.bytes)
                }
            } catch {
                bad += 1
                var w = JSONWriter()
                w.value(
                    .object(
                        [("error", .string(error.message)), ("line", .number(Double(number)))]
                            + (error.key.map { [("key", JSONValue.string($0))] } ?? [])))
                out.line(w.output)
                out.flush()
                Output.error(error.description)
                if strict { return false }
            }
            return true
        }
        if let lines {
            for line in lines where !handle(line[...]) { break }
        } else {
            let ends = whole.withUnsafeBufferPointer { Self.lineEnds($0) }
            var start = 0
            for end in ends {
                if !handle(whole[start..<end]) { break }
                start = end + 1
            }
        }
        out.flush()
        if let stateOut { try StateFiles.save(engine, to: stateOut) }
        if unknownKeys > 0 {
            Output.error("warden: ignored \(unknownKeys) unknown event key\(unknownKeys == 1 ? "" : "s") (use --strict to refuse them)")
        }
        if bad > 0 { throw ExitCode(2) }
    }
}

extension Check {
    /// Where each line of `bytes` ends (its newline, or the end for the last line, which may be
    /// empty), found with memchr.
    static func lineEnds(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var ends: [Int] = []
        guard let base = bytes.baseAddress else { return [0] }
        var start = 0
        while start < bytes.count, let hit = memchr(base + start, 0x0A, bytes.count - start) {
            let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            ends.append(end)
            start = end + 1
        }
        ends.append(bytes.count)
        return ends
    }
}

/// Lines of standard input as bytes (invalid UTF-8 is reported, not repaired), read lazily so
/// a stream is answered as it arrives.
struct StandardInputLines: Sequence, IteratorProtocol {
    private let input = fdopen(STDIN_FILENO, "r")

    mutating func next() -> [UInt8]? {
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        let n = getline(&line, &capacity, input)
        guard n >= 0, let line else { return nil }
        var bytes = UnsafeRawBufferPointer(start: line, count: n).map { $0 }
        if bytes.last == 0x0A { bytes.removeLast() }
        return bytes
    }
}
