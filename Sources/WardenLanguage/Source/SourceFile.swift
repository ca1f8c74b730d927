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
        let low = lineIndex(of: clamped)
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

    /// The 0-based index of the line holding byte `offset` (already clamped to the file).
    func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The position of a byte offset as the Language Server Protocol counts it: a 0-based line
    /// and UTF-16 units from the line's start (转 is one unit, 🎉 two).
    public func utf16Position(of offset: Int) -> (line: Int, character: Int) {
        let clamped = max(0, min(offset, bytes.count))
        let line = lineIndex(of: clamped)
        var units = 0
        var i = lineStarts[line]
        while i < clamped {
            let length = Self.sequenceLength(bytes[i])
            units += length == 4 ? 2 : 1
            i += length
        }
        return (line, units)
    }

    /// The byte offset of an LSP position (clamped to its line and to the file).
    public func offset(line: Int, utf16Character character: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < lineStarts.count else { return bytes.count }
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        var i = lineStarts[line]
        var units = 0
        while i < end, units < character {
            let length = Self.sequenceLength(bytes[i])
            units += length == 4 ? 2 : 1
            i += length
        }
        return min(i, end)
    }

    /// Bytes of the UTF-8 sequence a lead byte starts.
    private static func sequenceLength(_ lead: UInt8) -> Int { lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4 }

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
