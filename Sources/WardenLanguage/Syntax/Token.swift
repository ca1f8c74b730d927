/// A lexical token: its kind, its byte range and, for literals, the decoded value.
package struct Token: Sendable, Equatable {
    package enum Kind: String, Sendable {
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

    package var kind: Kind
    package var bytes: Range<Int>
    /// Identifier text, decoded string value, or regex body.
    package var text: String = ""
    /// Integer value, or a duration in seconds.
    package var integer: Int = 0
    package var decimal: Double = 0
    /// Regex flags.
    package var flags: String = ""

    /// How a token reads in "expected X, found Y".
    package var display: String {
        switch kind {
        case .identifier: "'\(text)'"
        case .string: "string \"\(text)\""
        case .integer, .decimal, .duration: "number"
        case .end: "end of file"
        default: kind.rawValue
        }
    }

    package func isKeyword(_ word: String) -> Bool { kind == .identifier && text == word }
}
