/// A PCRE2 error: the library's code and message, and for compile errors the byte offset in the pattern.
public struct RegexError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    /// Byte offset into the pattern where compilation failed.
    public var patternOffset: Int?
    public var message: String

    public var description: String { message }

    /// True when a match gave up at the match or depth limit (catastrophic backtracking).
    public var isLimit: Bool { message.contains("limit") }
}
