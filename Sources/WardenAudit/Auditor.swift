import Dispatch
import Foundation
import WardenEngine

/// Streams logs through an engine: lines are decoded and their text prepared on every core, a
/// reorder buffer restores event-time order within the lateness bound, and the stateful
/// evaluation runs one event at a time in that order — so an audit decides exactly what `check`
/// decides for the same events in event-time order.
public final class Auditor {
    public struct Options: Sendable {
        public var lateness: Double = 600
        public var strict = false
        public var maxErrorsShown = 20
        public init() {}
    }

    /// Everything known about one decided event.
    public struct Finding {
        /// One decision per engine, in the order the engines were given.
        public var decisions: [Decision]
        public var event: Event
        public var file: String
        public var line: Int
        public var decision: Decision { decisions[0] }
    }

    let engines: [Engine]
    let options: Options
    let batchSize = 4096

    /// One engine for an audit; two for a dry run (the events are read and decoded once).
    public init(engines: [Engine], options: Options) {
        precondition(!engines.isEmpty)
        self.engines = engines
        self.options = options
    }

    public convenience init(engine: Engine, options: Options) {
        self.init(engines: [engine], options: options)
    }

    /// Audits `paths` in order, calling `onFinding` for every decided event in event-time order
    /// and `onProgress` between batches.
    public func run(
        paths: [String], onFinding: (Finding) throws -> Void, onProgress: ((_ done: Int, _ total: Int?, _ events: Int) -> Void)? = nil
    ) throws -> AuditSummary {
        var summary = AuditSummary()
        summary.files = paths
        summary.ruleset = engines[0].ruleSet.info.digest
        let started = Date()
        var buffer = ReorderBuffer(lateness: options.lateness)
        var seq = 0
        let sources = try paths.map { try LineSource(path: $0) }
        let totalBytes = sources.allSatisfy { $0.size != nil } ? sources.reduce(0) { $0 + ($1.size ?? 0) } : nil
        var doneBytes = 0

        func emit(_ item: ReorderBuffer.Item) throws {
            let decisions = zip(engines, item.prepared).map { engine, prepared in engine.check(prepared, now: item.ts) }
            summary.add(decisions[0], ts: item.ts, account: item.event.account, code: item.event.code)
            try onFinding(Finding(decisions: decisions, event: item.event, file: item.file, line: item.line))
        }

        for source in sources {
            let decoder = EventDecoder(strict: options.strict, requireTimestamp: true)
            var csv: CSVEvents?
            var firstLine = true
            while true {
                // 1. Read a batch of records (CSV records may span lines inside quotes).
                var batch: [(line: Int, text: String, error: EventError?)] = []
                while batch.count < batchSize, let raw = try source.nextLine() {
                    let number = source.lineNumber
                    if let skipped = source.skippedBytes {
                        batch.append((number, "", decoder.oversized(skipped)))
                        continue
                    }
                    do throws(EventError) {
                        try decoder.check(bytes: raw)
                    } catch {
                        batch.append((number, "", error))
                        continue
                    }
                    var text = String(decoding: raw, as: UTF8.self)
                    if firstLine {
                        firstLine = false
                        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                        if !text.hasPrefix("{"), text.contains(",") {
                            csv = CSVEvents(header: text)
                            continue
                        }
                    }
                    if csv != nil {
                        // Quote parity is kept line by line: rescanning the record would be
                        // quadratic in a record whose quote never closes.
                        var open = CSVEvents.isOpen(raw)
                        while open, text.utf8.count <= decoder.limits.maxEventBytes, let more = try source.nextLine() {
                            open = open != CSVEvents.isOpen(more)
                            do throws(EventError) {
                                try decoder.check(bytes: more)
                            } catch {
                                batch.append((source.lineNumber, "", error))
                                break
                            }
                            text += "\n" + String(decoding: more, as: UTF8.self)
                        }
                        // An unclosed quote swallows lines until the record is too long.
                        if text.utf8.count > decoder.limits.maxEventBytes {
                            let message = "CSV record of \(text.utf8.count) bytes (an unclosed quote?); the limit is \(decoder.limits.maxEventBytes)"
                            batch.append((number, "", EventError(message: message)))
                            continue
                        }
                    }
                    if text.allSatisfy({ $0.isWhitespace }) { continue }
                    batch.append((number, text, nil))
                }
                if batch.isEmpty { break }
                // 2. Decode and prepare on every core.
                let engines = self.engines
                let format = csv
                let lines = batch
                let path = source.path
                let results = ParallelSlots<Result<([PreparedEvent], Int), EventError>>(count: lines.count) { k in
                    let (number, text, failure) = lines[k]
                    do throws(EventError) {
                        if let failure { throw failure }
                        let decoded: EventDecoder.Decoded
                        if let format {
                            decoded = try decoder.decode(try format.object(text))
                        } else {
                            decoded = try decoder.decode(line: text)
                        }
                        return .success((engines.map { $0.prepare(decoded.event) }, decoded.unknownKeys.count))
                    } catch {
                        var e = error
                        e.file = path
                        e.line = number
                        return .failure(e)
                    }
                }.values
                // 3. In order: count errors, buffer events, release those that are ready.
                for (k, result) in results.enumerated() {
                    switch result {
                    case .failure(let error):
                        summary.badLines += 1
                        if summary.badExamples.count < options.maxErrorsShown { summary.badExamples.append(error.description) }
                        if options.strict { throw AuditError.strict(error.description) }
                    case .success(let (prepared, unknown)):
                        summary.unknownKeys += unknown
                        let event = prepared[0].event
                        let ts = event.ts ?? 0
                        let item = ReorderBuffer.Item(ts: ts, seq: seq, event: event, prepared: prepared, file: source.path, line: batch[k].line)
                        seq += 1
                        // One event at a time, as it arrived: results never depend on batch boundaries.
                        if buffer.isLate(ts) {
                            summary.late += 1
                            try emit(item)
                        } else {
                            buffer.push(item)
                            while let ready = buffer.pop(draining: false) { try emit(ready) }
                        }
                    }
                }
                onProgress?(doneBytes + source.bytesRead, totalBytes, summary.events)
            }
            doneBytes += source.bytesRead
            summary.bytes += source.bytesRead
        }
        while let item = buffer.pop(draining: true) { try emit(item) }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}
