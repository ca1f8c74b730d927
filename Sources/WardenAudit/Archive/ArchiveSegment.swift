import Foundation
import WardenEngine

/// One hour of one server's archive: `events-20261206T21-WRITER.jsonl.gz` under the archive's
/// directory, where the hour is UTC and WRITER names the server process that wrote it (so two
/// servers can share a directory without ever writing the same file).
package struct ArchiveSegment: Sendable, Equatable {
    package var path: String
    /// Hours since 1970 (UTC) of the events' received time.
    package var hour: Int
    package var writer: String
    package var bytes: Int

    package static func name(hour: Int, writer: String) -> String {
        let t = Timestamp.format(Double(hour) * 3600)  // 2026-12-06T21:00:00Z
        let digits = t.prefix(13).replacingOccurrences(of: "-", with: "")  // 20261206T21
        return "events-\(digits)-\(writer).jsonl.gz"
    }

    /// The hour a segment's name gives; nil for a file that is not a segment.
    package static func hour(ofName name: String) -> (hour: Int, writer: String)? {
        guard name.hasPrefix("events-"), name.hasSuffix(".jsonl.gz") else { return nil }
        let core = name.dropFirst(7).dropLast(9)  // 20261206T21-WRITER
        guard core.count > 12, core[core.index(core.startIndex, offsetBy: 11)] == "-" else { return nil }
        let stamp = String(core.prefix(11))  // 20261206T21
        let writer = String(core.dropFirst(12))
        let iso = "\(stamp.prefix(4))-\(stamp.dropFirst(4).prefix(2))-\(stamp.dropFirst(6).prefix(2))T\(stamp.suffix(2)):00:00Z"
        guard !writer.isEmpty, let t = Timestamp.parse(iso) else { return nil }
        return (Int(t / 3600), writer)
    }

    /// The segments in `directory`, oldest hour first (then by writer).
    package static func list(_ directory: String) -> [ArchiveSegment] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> ArchiveSegment? in
            guard let (hour, writer) = hour(ofName: name) else { return nil }
            let path = (directory as NSString).appendingPathComponent(name)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return ArchiveSegment(path: path, hour: hour, writer: writer, bytes: size)
        }.sorted { ($0.hour, $0.writer) < ($1.hour, $1.writer) }
    }
}
