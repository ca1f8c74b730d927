/// A PCRE2 error: the library's code and message, and for compile errors the byte offset in the pattern.
package struct RegexError: Error, Sendable, CustomStringConvertible {
    package var code: Int32
    /// Byte offset into the pattern where compilation failed.
    package var patternOffset: Int?
    package var message: String

    package var description: String { message }

    /// True when a match gave up at the match or depth limit (catastrophic backtracking).
    package var isLimit: Bool { message.contains("limit") }
}
