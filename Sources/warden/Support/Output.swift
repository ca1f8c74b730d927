import Foundation
import Glibc

/// Writing to stdout and stderr without Glibc's globals (not concurrency-safe under Swift 6).
enum Output {
    static func line(_ text: String) {
        write(1, Array((text + "\n").utf8))
    }

    static func error(_ text: String) {
        write(2, Array((text + "\n").utf8))
    }

    /// The first error writing to standard output (a full disk, a closed pipe): the command's
    /// output is incomplete, so `warden` exits 1 naming it instead of 0 (`checkWrites`).
    nonisolated(unsafe) static var stdoutFailure: Int32?

    /// Writes all of `bytes` to `fd`; a failure on standard output is remembered, never a trap
    /// (FileHandle's `write` traps on one).
    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        if let failure = writeAll(fd, bytes), fd == 1, stdoutFailure == nil { stdoutFailure = failure }
    }

    /// Writes all of `bytes` to `fd`, again after an interruption; the errno of a failure.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return n < 0 ? errno : EIO }
                offset += n
            }
            return nil
        }
    }

    /// After a command: exit 1 when its standard output could not be written in full.
    static func checkWrites() {
        guard let failure = stdoutFailure else { return }
        error("warden: cannot write to standard output: \(String(cString: strerror(failure))); the output is incomplete")
        Foundation.exit(1)
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
    /// Colour on a terminal, unless `NO_COLOR` is set (no-color.org).
    static var colorStdout: Bool { stdoutIsTerminal && !noColor }
    static var colorStderr: Bool { stderrIsTerminal && !noColor }
    static var noColor: Bool { !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty }
}

/// Buffered stdout for streams of decisions: one write per 64 KiB instead of one per line.
struct BufferedOutput {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 17) }

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// A line from bytes already encoded (a decision's JSON).
    mutating func line(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        Output.write(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
