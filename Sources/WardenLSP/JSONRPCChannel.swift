import Foundation

/// Language Server Protocol framing over two file descriptors: `Content-Length: N\r\n\r\n`
/// then N bytes of JSON, each way.
final class JSONRPCChannel {
    private let input: FileHandle
    private let output: FileHandle
    private var buffer = Data()

    init(input: FileHandle, output: FileHandle) {
        self.input = input
        self.output = output
    }

    /// The next message, or nil at the end of input. A frame that is not JSON is skipped with
    /// `malformed` set, so the server can answer a parse error.
    func read() -> (message: [String: Any]?, malformed: Bool)? {
        while true {
            if let headerEnd = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let header = String(decoding: buffer[buffer.startIndex..<headerEnd.lowerBound], as: UTF8.self)
                let length = header.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first
                guard let length, length >= 0 else {
                    buffer.removeSubrange(buffer.startIndex..<headerEnd.upperBound)
                    return (nil, true)
                }
                let bodyStart = headerEnd.upperBound
                if buffer.count - (bodyStart - buffer.startIndex) >= length {
                    let body = buffer[bodyStart..<(bodyStart + length)]
                    buffer.removeSubrange(buffer.startIndex..<(bodyStart + length))
                    buffer = Data(buffer)
                    let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                    return (object, object == nil)
                }
            }
            let chunk = input.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func send(_ message: [String: Any]) {
        var message = message
        message["jsonrpc"] = "2.0"
        guard let body = try? JSONSerialization.data(withJSONObject: message, options: [.withoutEscapingSlashes]) else { return }
        output.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }
}
