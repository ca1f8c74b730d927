import Foundation
import WardenWire

/// Language Server Protocol framing over two file descriptors: `Content-Length: N\r\n\r\n`
/// then N bytes of JSON, each way. Messages are read and written with the project's JSON reader
/// and writer (WardenWire), as decisions and events are.
final class JSONRPCChannel {
    private let input: FileHandle
    private let output: FileHandle
    /// Bytes read and not yet taken: `buffer[start...]`. Taking a frame moves `start`; the bytes
    /// before it are dropped only once they are most of the buffer, so reading a long stream of
    /// frames costs time in proportion to its length, not to its square.
    private var buffer: [UInt8] = []
    private var start = 0

    init(input: FileHandle, output: FileHandle) {
        self.input = input
        self.output = output
    }

    /// The next message, or nil at the end of input. A frame that is not a JSON object is
    /// skipped with `malformed` set, so the server can answer a parse error.
    func read() -> (message: JSONValue?, malformed: Bool)? {
        var searchFrom = start
        while true {
            if let headerEnd = Self.headerEnd(in: buffer, from: searchFrom) {
                let header = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
                let length = header.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first
                let bodyStart = headerEnd + 4
                guard let length, length >= 0 else {
                    take(upTo: bodyStart)
                    return (nil, true)
                }
                if buffer.count - bodyStart >= length {
                    let body = String(decoding: buffer[bodyStart..<(bodyStart + length)], as: UTF8.self)
                    take(upTo: bodyStart + length)
                    guard let value = try? JSONParser.parse(body), case .object = value else { return (nil, true) }
                    return (value, false)
                }
                // The header is complete, the body is not: read more.
                searchFrom = headerEnd
            } else {
                // The separator may straddle what arrives next.
                searchFrom = max(start, buffer.count - 4 + 1)
            }
            let chunk = input.availableData
            if chunk.isEmpty { return nil }
            buffer.append(contentsOf: chunk)
        }
    }

    func send(_ message: JSONValue) {
        guard case .object(var pairs) = message else { return }
        pairs.insert(("jsonrpc", "2.0"), at: 0)
        var writer = JSONWriter(capacity: 1024)
        writer.value(.object(pairs))
        output.write(Data("Content-Length: \(writer.bytes.count)\r\n\r\n".utf8) + Data(writer.bytes))
    }

    /// Moves past the frame that ends at `end`, dropping taken bytes once they are most of the buffer.
    private func take(upTo end: Int) {
        start = end
        if start > 65_536, start * 2 > buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    /// Where the first `\r\n\r\n` (4 bytes: the end of a frame's header) at or after `from` starts.
    private static func headerEnd(in bytes: [UInt8], from: Int) -> Int? {
        guard from >= 0, from + 4 <= bytes.count else { return nil }
        for i in from...(bytes.count - 4) where bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D && bytes[i + 3] == 0x0A {
            return i
        }
        return nil
    }
}
