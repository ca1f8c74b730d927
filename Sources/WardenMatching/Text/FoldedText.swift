/// Text after folding, as UTF-8 bytes, with a map from every byte back to the original text.
///
/// `start[i]..<end[i]` is the range of original Unicode scalars that produced byte `i`: a
/// collapsed repeat widens `end`, a removed character produces no byte at all. Spans of matches
/// in the folded bytes map back to spans in the original through these two arrays.
package struct FoldedText: Sendable {
    package var bytes: [UInt8] = []
    package var start: [Int32] = []
    package var end: [Int32] = []
    /// The original text's scalars, for boundary checks and excerpts.
    package var original: [Unicode.Scalar] = []

    /// The original scalar range of folded bytes `range`.
    package func originalSpan(of range: Range<Int>) -> Range<Int> {
        Int(start[range.lowerBound])..<Int(end[range.upperBound - 1])
    }

    /// The folded text as a string.
    package var string: String { String(decoding: bytes, as: UTF8.self) }
}
