/// Byte offsets of a text to LSP positions and back. LSP counts characters in UTF-16 code
/// units: 转 is one, 🎉 is two, whatever their UTF-8 length.
struct LineIndex {
    let bytes: [UInt8]
    let lineStarts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The position of a byte offset: a 0-based line and UTF-16 units from the line's start.
    func position(of offset: Int) -> (line: Int, character: Int) {
        let offset = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        var units = 0
        var i = lineStarts[low]
        while i < offset {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            units += length == 4 ? 2 : 1
            i += length
        }
        return (low, units)
    }

    /// The byte offset of a position (clamped to its line).
    func offset(line: Int, character: Int) -> Int {
        guard line < lineStarts.count else { return bytes.count }
        guard line >= 0 else { return 0 }
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        var i = lineStarts[line]
        var units = 0
        while i < end, units < character {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            units += length == 4 ? 2 : 1
            i += length
        }
        return min(i, end)
    }

    func range(_ bytes: Range<Int>) -> [String: Any] {
        let start = position(of: bytes.lowerBound)
        let end = position(of: bytes.upperBound)
        return [
            "start": ["line": start.line, "character": start.character],
            "end": ["line": end.line, "character": end.character],
        ]
    }

    var wholeRange: [String: Any] { range(0..<bytes.count) }
}
