import Foundation
import WardenEngine

/// The events of an archive between two times, as one stream of event lines in event-time
/// order: the segments of every writer (server) that may hold such events are read at once
/// and merged by `ts` (each segment is in the order its server received them). A segment that
/// cannot be read is skipped with a warning naming it; so is a line that is not an archive line
/// (the last, half-written line of a segment a crash cut short).
package final class ArchiveReader {
    package let directory: String
    package let since: Double
    package let until: Double
    /// Segments that may hold the range (an hour's margin each side: events arrive late or early).
    package let segments: [ArchiveSegment]
    package private(set) var warnings: [String] = []
    /// Events read in the range.
    package private(set) var events = 0

    private struct Head {
        var ts: Double
        var line: ArraySlice<UInt8>
    }
    private var next = 0
    private var open: [(segment: ArchiveSegment, source: LineSource, head: Head?)] = []

    package init(directory: String, since: Double, until: Double) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AuditError.input("\(directory): no such archive directory")
        }
        self.directory = directory
        self.since = since
        self.until = until
        let first = Int((since / 3600).rounded(.down)) - 1
        let last = Int((until / 3600).rounded(.down)) + 1
        segments = ArchiveSegment.list(directory).filter { $0.hour >= first && $0.hour <= last }
    }

    /// Compressed bytes of the segments read, for progress.
    package var totalBytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    /// One `LineSource` over the merged stream.
    package func lineSource() -> LineSource {
        LineSource(path: "archive \(directory)", size: totalBytes) { [self] in try self.chunk() }
    }

    /// The next 64 KiB or so of merged event lines; nil at the end.
    func chunk() throws -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16 + 4096)
        while out.count < 1 << 16 {
            guard let k = pickNext() else { break }
            let head = open[k].head!
            out.append(contentsOf: head.line)
            out.append(0x0A)
            events += 1
            advance(k)
        }
        return out.isEmpty ? nil : out
    }

    /// The open segment whose next event is earliest, after opening every segment whose hour
    /// could hold events that early; nil when all are read.
    private func pickNext() -> Int? {
        while true {
            let earliest = earliestOpen()
            // Open the next segment when nothing is open or its hour could come first.
            if next < segments.count, earliest == nil || Double(segments[next].hour) * 3600 - 3600 <= open[earliest!].head!.ts {
                openSegment(segments[next])
                next += 1
                continue
            }
            if open.contains(where: { $0.head == nil }) { open.removeAll { $0.head == nil } }
            return earliestOpen()
        }
    }

    /// The open segment with the earliest next event (the first of equals).
    private func earliestOpen() -> Int? {
        var best: Int?
        for k in open.indices {
            guard let ts = open[k].head?.ts else { continue }
            if best == nil || ts < open[best!].head!.ts { best = k }
        }
        return best
    }

    private func openSegment(_ s: ArchiveSegment) {
        do {
            let source = try LineSource(path: s.path)
            open.append((s, source, nil))
            advance(open.count - 1)
        } catch {
            warnings.append("archive segment \(s.path) skipped: \(error)")
        }
    }

    /// Reads segment `k`'s next line in the range into its head.
    private func advance(_ k: Int) {
        open[k].head = nil
        do {
            while let line = try open[k].source.nextLine() {
                guard let parsed = Self.parse(line) else {
                    if !line.isEmpty {
                        warnings.append("\(open[k].segment.path):\(open[k].source.lineNumber): not an archive line, skipped")
                    }
                    continue
                }
                guard parsed.ts >= since, parsed.ts < until else { continue }
                open[k].head = parsed
                return
            }
        } catch {
            warnings.append("archive segment \(open[k].segment.path): \(error); the rest of it is skipped")
        }
    }

    private static let prefix = Array(#"{"ts":"#.utf8)
    private static let marker = Array(#","event":"#.utf8)

    /// `{"ts":T,"received":R,"event":{…}}` → T and the event's bytes, without a JSON parse.
    private static func parse(_ line: ArraySlice<UInt8>) -> Head? {
        guard line.count > prefix.count + 12, line.starts(with: prefix), line.last == UInt8(ascii: "}") else { return nil }
        var i = line.startIndex + prefix.count
        let numberStart = i
        var whole = 0
        var digitsOnly = true
        while i < line.endIndex, line[i] != UInt8(ascii: ",") {
            let d = line[i] &- UInt8(ascii: "0")
            if d > 9 || whole > Int.max / 20 { digitsOnly = false } else { whole = whole * 10 + Int(d) }
            i += 1
        }
        guard i > numberStart, i < line.endIndex else { return nil }
        // Whole seconds are the common case; anything else goes through Double's own parser.
        let ts: Double
        if digitsOnly {
            ts = Double(whole)
        } else {
            guard let parsed = Double(String(decoding: line[numberStart..<i], as: UTF8.self)) else { return nil }
            ts = parsed
        }
        // The received time is a number: the event's object starts after the first `,"event":`.
        var j = i + 1
        while j < line.endIndex, line[j] != UInt8(ascii: ",") { j += 1 }
        guard line[j...].starts(with: marker) else { return nil }
        let event = line[(j + marker.count)..<(line.endIndex - 1)]
        guard event.first == UInt8(ascii: "{") else { return nil }
        return Head(ts: ts, line: event)
    }
}
