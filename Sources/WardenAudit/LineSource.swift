import CZlib
import Foundation
import WardenEngine

/// Reads a log line by line without loading it: a plain file, a gzip file (by its magic bytes,
/// whatever its name), or standard input. Lines end at `\n`; a `\r` before it is dropped.
package final class LineSource {
    package let path: String
    /// Size on disk (compressed for gzip), for progress; nil for standard input.
    package let size: Int?
    private var file: FileHandle?
    private var gz: gzFile?
    /// Another source's bytes, chunk by chunk (an archive's segments merged); nil at the end.
    private var chunks: (() throws -> [UInt8]?)?
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    /// Bytes read from disk so far (compressed for gzip).
    package private(set) var bytesRead = 0
    package private(set) var lineNumber = 0
    /// Lines longer than this are not kept: `nextLine` skips them and returns an empty line
    /// with `skippedBytes` set, so one endless line cannot exhaust memory.
    package let maxLineBytes: Int
    /// The length of the line just returned when it was over `maxLineBytes` (nil otherwise).
    package private(set) var skippedBytes: Int?
    private var skipping = 0
    /// Where the search for the next line break resumes: bytes before it have none.
    private var searched = 0

    package init(path: String, maxLineBytes: Int = EventLimits.default.maxEventBytes) throws {
        self.path = path
        self.maxLineBytes = maxLineBytes
        if path == "-" {
            file = FileHandle.standardInput
            size = nil
            return
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw AuditError.input("\(path): is a directory, not a log file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AuditError.input("\(path): cannot open")
        }
        size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        let magic = handle.readData(ofLength: 2)
        if magic == Data([0x1F, 0x8B]) {
            try? handle.close()
            guard let g = gzopen(path, "rb") else { throw AuditError.input("\(path): cannot open as gzip") }
            gzbuffer(g, 1 << 17)
            gz = g
        } else {
            try? handle.seek(toOffset: 0)
            file = handle
        }
    }

    /// Lines from `chunks` (named `path` in messages); `size` for progress.
    package init(path: String, size: Int?, chunks: @escaping () throws -> [UInt8]?) {
        self.path = path
        self.size = size
        self.chunks = chunks
        maxLineBytes = EventLimits.default.maxEventBytes
    }

    deinit {
        if let gz { gzclose(gz) }
        try? file?.close()
    }

    /// The next line as bytes (without its line break), or nil at the end.
    package func nextLine() throws -> ArraySlice<UInt8>? {
        skippedBytes = nil
        while true {
            if skipping > 0 {
                // Inside an over-long line: drop bytes up to its end.
                if let nl = lineBreak(from: start) {
                    skippedBytes = skipping + (nl - start)
                    skipping = 0
                    start = nl + 1
                    lineNumber += 1
                    return []
                }
                skipping += buffer.count - start
                start = buffer.count
                if finished {
                    skippedBytes = skipping
                    skipping = 0
                    lineNumber += 1
                    return []
                }
                try fill()
                continue
            }
            if let nl = lineBreak(from: max(start, searched)) {
                var end = nl
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = nl + 1
                lineNumber += 1
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = buffer.count
                lineNumber += 1
                return line
            }
            if buffer.count - start > maxLineBytes {
                skipping = buffer.count - start
                start = buffer.count
            }
            searched = buffer.count
            try fill()
        }
    }

    /// The index of the first `\n` from `i` on (memchr: a generic search went byte by byte).
    private func lineBreak(from i: Int) -> Int? {
        buffer.withUnsafeBufferPointer { p in
            guard i < p.count, let base = p.baseAddress, let hit = memchr(base + i, 0x0A, p.count - i) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func fill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            searched -= min(searched, start)
            start = 0
        }
        let chunk = 1 << 16
        if let chunks {
            if let bytes = try chunks() {
                buffer.append(contentsOf: bytes)
                bytesRead += bytes.count
            } else {
                finished = true
            }
        } else if let gz {
            var bytes = [UInt8](repeating: 0, count: chunk)
            let n = bytes.withUnsafeMutableBytes { gzread(gz, $0.baseAddress, UInt32(chunk)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(gz, &code).map { String(cString: $0) } ?? "read error"
                throw AuditError.input("\(path): gzip: \(message)")
            }
            if n == 0 { finished = true }
            buffer.append(contentsOf: bytes[0..<Int(n)])
            bytesRead = Int(gzoffset(gz))
        } else if let file {
            let data = file.readData(ofLength: chunk)
            if data.isEmpty { finished = true }
            buffer.append(contentsOf: data)
            bytesRead += data.count
        }
    }
}

package enum AuditError: Error, CustomStringConvertible {
    case input(String)
    case strict(String)

    package var description: String {
        switch self {
        case .input(let m), .strict(let m): m
        }
    }
}
