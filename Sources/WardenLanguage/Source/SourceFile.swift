/// One rules file: its path, its bytes and a table of line starts.
///
/// Tokens and AST nodes hold byte offsets into `bytes`; line and column are computed only when
/// a diagnostic is rendered, so the lexer never pays for them.
public final class SourceFile: Sendable {
    public let path: String
    public let text: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        let bytes = Array(text.utf8)
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        self.lineStarts = starts
    }

    /// The 1-based line and column of a byte offset; the column counts Unicode scalars.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        var column = 1
        var i = start
        while i < clamped {
            // Count only lead bytes: continuation bytes are 10xxxxxx.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: low + 1, column: column, offset: clamped)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The source text of a byte range.
    public func slice(_ range: Range<Int>) -> String {
        String(decoding: bytes[range.clamped(to: 0..<bytes.count)], as: UTF8.self)
    }
}

/// A position in a source file: 1-based line, 1-based column in Unicode scalars, byte offset.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int
    public var description: String { "\(line):\(column)" }
}

/// A byte range inside one source file.
public struct SourceRange: Sendable, Equatable {
    public var file: SourceFile
    public var bytes: Range<Int>

    public init(file: SourceFile, bytes: Range<Int>) {
        self.file = file
        self.bytes = bytes
    }

    public var start: SourceLocation { file.location(of: bytes.lowerBound) }
    public var text: String { file.slice(bytes) }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(
            file: file,
            bytes: min(bytes.lowerBound, other.bytes.lowerBound)..<max(bytes.upperBound, other.bytes.upperBound)
        )
    }

    public static func == (a: SourceRange, b: SourceRange) -> Bool { a.file === b.file && a.bytes == b.bytes }
}
