import Foundation
import Synchronization
import WardenEngine

/// The audit's first two stages: reads logs in batches of lines (JSONL, or CSV records that
/// may span lines) and decodes and prepares each batch's events on every core.
///
/// It runs ahead of the evaluation on a thread of its own (`Prefetcher`), so reading, parsing,
/// folding and scanning overlap with the one-at-a-time stateful evaluation.
final class BatchReader {
    /// What the reader hands over: a prepared batch, or the end of a file with its byte count.
    enum Item {
        case batch(Batch)
        case endOfFile(bytes: Int)
    }

    struct Batch {
        var path: String
        var lineNumbers: [Int]
        /// Per line: the prepared event for every engine and the count of unknown keys, or why
        /// the line is not an event.
        var results: [Result<([PreparedEvent], Int), EventError>]
        /// Bytes of the current file read so far.
        var bytesRead: Int
    }

    let engines: [Engine]
    let strict: Bool
    let batchSize: Int
    private var sources: ArraySlice<LineSource>
    private var decoder: EventDecoder
    private var csv: CSVEvents?
    private var firstLine = true

    /// Events of other parts are decoded (to find their account) but not prepared.
    let partition: AuditPartition?

    /// The threads that decode, when not dispatch's (see `WorkerPool`).
    let pool: WorkerPool?
    /// Called every `Auditor.pauseEvery` lines (see `Auditor.Options.pause`).
    let pause: (@Sendable () -> Void)?
    /// Whether the batches read from now on have their stateless rules judged here
    /// (`Engine.prepare`): set by the evaluation, which knows whether it is the slower stage.
    let judgingAhead = Atomic<Bool>(false)

    init(
        sources: [LineSource], engines: [Engine], strict: Bool, batchSize: Int, partition: AuditPartition? = nil, pool: WorkerPool? = nil,
        pause: (@Sendable () -> Void)? = nil
    ) {
        self.partition = partition
        self.pool = pool
        self.pause = pause
        self.sources = sources[...]
        self.engines = engines
        self.strict = strict
        self.batchSize = batchSize
        self.decoder = EventDecoder(strict: strict, requireTimestamp: true)
    }

    /// The next batch, or the end of a file; nil when every file is read.
    func next() throws -> Item? {
        pause?()
        guard let source = sources.first else { return nil }
        let (lines, store) = try readLines(source)
        if lines.isEmpty {
            sources.removeFirst()
            decoder = EventDecoder(strict: strict, requireTimestamp: true)
            csv = nil
            firstLine = true
            return .endOfFile(bytes: source.bytesRead)
        }
        return .batch(
            Batch(
                path: source.path, lineNumbers: lines.map(\.line), results: prepare(lines, store: store, path: source.path),
                bytesRead: source.bytesRead))
    }

    /// One record as read: where a JSON line's bytes are in the batch's store (checked and
    /// decoded on every core), a record as text (the first line, CSV), or why it is not one.
    enum Record {
        case bytes(Range<Int>)
        case text(String)
        case failed(EventError)
    }

    /// Up to `batchSize` records with their line numbers (CSV records may span lines inside
    /// quotes), and the bytes of the JSON lines among them, one after the other: one buffer a
    /// batch rather than an array (a malloc and a free) a line.
    private func readLines(_ source: LineSource) throws -> ([(line: Int, record: Record)], [UInt8]) {
        var batch: [(line: Int, record: Record)] = []
        var store: [UInt8] = []
        while batch.count < batchSize, let raw = try source.nextLine() {
            let number = source.lineNumber
            if let skipped = source.skippedBytes {
                batch.append((number, .failed(decoder.oversized(skipped))))
                continue
            }
            // A JSON line after the first: its bytes go to the decoder as they are (it checks
            // the size and the UTF-8 itself, in parallel).
            if !firstLine, csv == nil, Self.firstNonSpace(raw) == UInt8(ascii: "{") {
                if store.isEmpty { store.reserveCapacity(min(raw.count * batchSize, 1 << 22)) }
                let at = store.count
                store.append(contentsOf: raw)
                batch.append((number, .bytes(at..<store.count)))
                continue
            }
            do throws(EventError) {
                try decoder.check(bytes: raw)
            } catch {
                batch.append((number, .failed(error)))
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
                        batch.append((source.lineNumber, .failed(error)))
                        break
                    }
                    text += "\n" + String(decoding: more, as: UTF8.self)
                }
                // An unclosed quote swallows lines until the record is too long.
                if text.utf8.count > decoder.limits.maxEventBytes {
                    let message =
                        "CSV record of \(text.utf8.count) bytes (an unclosed quote?); the limit is \(decoder.limits.maxEventBytes)"
                    batch.append((number, .failed(EventError(message: message))))
                    continue
                }
            }
            if text.allSatisfy({ $0.isWhitespace }) { continue }
            batch.append((number, .text(text)))
        }
        return (batch, store)
    }

    /// The first byte that is not ASCII white space, if any.
    static func firstNonSpace(_ bytes: ArraySlice<UInt8>) -> UInt8? {
        bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
    }

    /// Decodes and prepares a batch on every core.
    private func prepare(_ lines: [(line: Int, record: Record)], store: [UInt8], path: String) -> [Result<
        ([PreparedEvent], Int), EventError
    >] {
        let engines = self.engines
        let format = csv
        let decoder = self.decoder
        let partition = self.partition
        let pause = self.pause
        // A log holds the past: an event ahead of the wall clock by more than `max_future` is a
        // forged or broken line, refused like a malformed one.
        let now = Date().timeIntervalSince1970
        let judging = judgingAhead.load(ordering: .relaxed)
        return ParallelSlots<Result<([PreparedEvent], Int), EventError>>(count: lines.count, pool: pool) { k in
            let (number, record) = lines[k]
            if k % Auditor.pauseEvery == 0 { pause?() }
            do throws(EventError) {
                let decoded: EventDecoder.Decoded
                switch record {
                case .failed(let failure): throw failure
                case .bytes(let range): decoded = try decoder.decode(bytes: store[range])
                case .text(let text):
                    if let format {
                        decoded = try decoder.decode(try format.object(text))
                    } else {
                        decoded = try decoder.decode(line: text)
                    }
                }
                if let refused = engines.first?.futureError(decoded.event, now: now) { throw refused }
                if let partition, !partition.contains(account: decoded.event.account) { return .success(([], decoded.unknownKeys.count)) }
                return .success((engines.map { $0.prepare(decoded.event, judgingAhead: judging) }, decoded.unknownKeys.count))
            } catch {
                var e = error
                e.file = path
                e.line = number
                return .failure(e)
            }
        }.values
    }
}
