/// A lexical token: its kind, its byte range and, for literals, the decoded value.
public struct Token: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case identifier = "name"
        case string = "string"
        case integer = "integer"
        case decimal = "number"
        case duration = "duration"
        case regex = "regex"
        case leftBrace = "'{'", rightBrace = "'}'", leftParen = "'('", rightParen = "')'"
        case leftBracket = "'['", rightBracket = "']'"
        case comma = "','", colon = "':'", dot = "'.'", percent = "'%'"
        case assign = "'='", equal = "'=='", notEqual = "'!='"
        case less = "'<'", lessEqual = "'<='", greater = "'>'", greaterEqual = "'>='"
        case plus = "'+'", minus = "'-'", star = "'*'", slash = "'/'"
        case invalid = "invalid token"
        case end = "end of file"
    }

    public var kind: Kind
    public var bytes: Range<Int>
    /// Identifier text, decoded string value, or regex body.
    public var text: String = ""
    /// Integer value, or a duration in seconds.
    public var integer: Int = 0
    public var decimal: Double = 0
    /// Regex flags.
    public var flags: String = ""

    /// How a token reads in "expected X, found Y".
    public var display: String {
        switch kind {
        case .identifier: "'\(text)'"
        case .string: "string \"\(text)\""
        case .integer, .decimal, .duration: "number"
        case .end: "end of file"
        default: kind.rawValue
        }
    }

    public func isKeyword(_ word: String) -> Bool { kind == .identifier && text == word }
}
