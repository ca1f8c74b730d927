import Foundation

/// Turns a rules file into tokens. Errors become diagnostics and an `invalid` token, and lexing
/// goes on, so one typo does not hide the rest of the file.
package struct Lexer {
    let file: SourceFile
    let b: [UInt8]
    var i = 0
    package private(set) var diagnostics: [Diagnostic] = []
    private var previous: Token.Kind = .end
    private var previousText = ""

    /// Identifiers after which `/` starts a regex rather than a division.
    private static let regexAfterWords: Set<String> = ["matches", "and", "or", "not", "in", "when", "contains"]

    package init(file: SourceFile) {
        self.file = file
        self.b = file.bytes
    }

    package static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file)
        var tokens: [Token] = []
        while true {
            let t = lexer.next()
            tokens.append(t)
            if t.kind == .end { break }
        }
        return (tokens, lexer.diagnostics)
    }

    package mutating func next() -> Token {
        skipTrivia()
        let t = scan()
        previous = t.kind
        previousText = t.text
        return t
    }

    private mutating func skipTrivia() {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "#"):
                while i < b.count, b[i] != 0x0A { i += 1 }
            case 0xEF where i + 2 < b.count && b[i + 1] == 0xBB && b[i + 2] == 0xBF: i += 3  // BOM
            default: return
            }
        }
    }

    private mutating func scan() -> Token {
        guard i < b.count else { return Token(kind: .end, bytes: b.count..<b.count) }
        let start = i
        let c = b[i]
        if isIdentStart(c) { return identifier(start) }
        if isDigit(c) { return number(start) }
        if c == UInt8(ascii: "\"") { return string(start) }
        if c == UInt8(ascii: "/") && regexAllowed { return regex(start) }
        i += 1
        func two(_ second: UInt8, _ pair: Token.Kind, _ single: Token.Kind?) -> Token {
            if i < b.count, b[i] == second {
                i += 1
                return Token(kind: pair, bytes: start..<i)
            }
            if let single { return Token(kind: single, bytes: start..<i) }
            return invalid(start, "unexpected character '\(file.slice(start..<i))'")
        }
        switch c {
        case UInt8(ascii: "{"): return Token(kind: .leftBrace, bytes: start..<i)
        case UInt8(ascii: "}"): return Token(kind: .rightBrace, bytes: start..<i)
        case UInt8(ascii: "("): return Token(kind: .leftParen, bytes: start..<i)
        case UInt8(ascii: ")"): return Token(kind: .rightParen, bytes: start..<i)
        case UInt8(ascii: "["): return Token(kind: .leftBracket, bytes: start..<i)
        case UInt8(ascii: "]"): return Token(kind: .rightBracket, bytes: start..<i)
        case UInt8(ascii: ","): return Token(kind: .comma, bytes: start..<i)
        case UInt8(ascii: ":"): return Token(kind: .colon, bytes: start..<i)
        case UInt8(ascii: "."): return Token(kind: .dot, bytes: start..<i)
        case UInt8(ascii: "%"): return Token(kind: .percent, bytes: start..<i)
        case UInt8(ascii: "+"): return Token(kind: .plus, bytes: start..<i)
        case UInt8(ascii: "-"): return Token(kind: .minus, bytes: start..<i)
        case UInt8(ascii: "*"): return Token(kind: .star, bytes: start..<i)
        case UInt8(ascii: "/"): return Token(kind: .slash, bytes: start..<i)
        case UInt8(ascii: "="): return two(UInt8(ascii: "="), .equal, .assign)
        case UInt8(ascii: "!"): return two(UInt8(ascii: "="), .notEqual, nil)
        case UInt8(ascii: "<"): return two(UInt8(ascii: "="), .lessEqual, .less)
        case UInt8(ascii: ">"): return two(UInt8(ascii: "="), .greaterEqual, .greater)
        default:
            // Skip the whole UTF-8 sequence so the error names one character.
            while i < b.count, b[i] & 0xC0 == 0x80 { i += 1 }
            if let close = Self.fullWidthQuotes[file.slice(start..<i)] { return fullWidthString(start, close: close) }
            return invalid(start, "unexpected character '\(file.slice(start..<i))'")
        }
    }

    private var regexAllowed: Bool {
        switch previous {
        case .identifier: Self.regexAfterWords.contains(previousText)
        case .assign, .leftParen, .comma, .leftBracket, .colon, .end: true
        default: false
        }
    }

    private mutating func identifier(_ start: Int) -> Token {
        while i < b.count, isIdentStart(b[i]) || isDigit(b[i]) { i += 1 }
        return Token(kind: .identifier, bytes: start..<i, text: file.slice(start..<i))
    }

    private mutating func number(_ start: Int) -> Token {
        while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        let digits = file.slice(start..<i).replacingOccurrences(of: "_", with: "")
        if i + 1 < b.count, b[i] == UInt8(ascii: "."), isDigit(b[i + 1]) {
            i += 1
            while i < b.count, isDigit(b[i]) { i += 1 }
            let text = file.slice(start..<i).replacingOccurrences(of: "_", with: "")
            return Token(kind: .decimal, bytes: start..<i, decimal: Double(text) ?? 0)
        }
        guard let value = Int(digits) else { return invalid(start, "number '\(digits)' is too large") }
        if i < b.count, isIdentStart(b[i]) {
            let unitStart = i
            while i < b.count, isIdentStart(b[i]) || isDigit(b[i]) { i += 1 }
            let unit = file.slice(unitStart..<i)
            let factor: Int? =
                switch unit {
                case "s": 1
                case "m": 60
                case "h": 3600
                case "d": 86_400
                case "w": 604_800
                default: nil
                }
            guard let factor else {
                return invalid(start, "unknown duration unit '\(unit)' (use s, m, h, d or w)", at: unitStart..<i)
            }
            let (seconds, overflow) = value.multipliedReportingOverflow(by: factor)
            if overflow { return invalid(start, "duration is too large") }
            return Token(kind: .duration, bytes: start..<i, integer: seconds)
        }
        return Token(kind: .integer, bytes: start..<i, integer: value, decimal: Double(value))
    }

    private mutating func string(_ start: Int) -> Token {
        i += 1
        var value: [UInt8] = []
        var bad: (String, Range<Int>)?
        while i < b.count, b[i] != UInt8(ascii: "\"") {
            if b[i] == 0x0A { break }
            if b[i] == UInt8(ascii: "\\"), i + 1 < b.count {
                let escStart = i
                i += 1
                switch b[i] {
                case UInt8(ascii: "n"):
                    value.append(0x0A)
                    i += 1
                case UInt8(ascii: "t"):
                    value.append(0x09)
                    i += 1
                case UInt8(ascii: "r"):
                    value.append(0x0D)
                    i += 1
                case UInt8(ascii: "\""):
                    value.append(UInt8(ascii: "\""))
                    i += 1
                case UInt8(ascii: "\\"):
                    value.append(UInt8(ascii: "\\"))
                    i += 1
                case UInt8(ascii: "u"):
                    i += 1
                    if let scalar = unicodeEscape() {
                        value.append(contentsOf: Array(String(Character(scalar)).utf8))
                    } else if bad == nil {
                        bad = ("invalid unicode escape (write \\u{4E2D})", escStart..<i)
                    }
                default:
                    while i + 1 < b.count, b[i + 1] & 0xC0 == 0x80 { i += 1 }
                    i += 1
                    if bad == nil { bad = ("unknown escape '\(file.slice(escStart..<i))'", escStart..<i) }
                }
                continue
            }
            value.append(b[i])
            i += 1
        }
        guard i < b.count, b[i] == UInt8(ascii: "\"") else {
            return invalid(start, "unterminated string", at: start..<(start + 1))
        }
        i += 1
        if let (message, range) = bad { return invalid(start, message, at: range) }
        return Token(kind: .string, bytes: start..<i, text: String(decoding: value, as: UTF8.self))
    }

    /// Quotes an editor or a Chinese input method puts in place of `"`, and the quote that closes each.
    private static let fullWidthQuotes: [String: String] = ["“": "”", "”": "”", "「": "」", "『": "』", "＂": "＂", "‘": "’"]

    /// A string in full-width quotes (`“转发”`, often pasted from a document): one error with the
    /// fix, and a string token with its text so the parser and the checker go on as if it were
    /// written right, rather than one error per character that follows.
    private mutating func fullWidthString(_ start: Int, close: String) -> Token {
        let open = file.slice(start..<i)
        let closeBytes = Array(close.utf8)
        let bodyStart = i
        while i < b.count, b[i] != 0x0A {
            if b[i...].starts(with: closeBytes) {
                let text = file.slice(bodyStart..<i)
                i += closeBytes.count
                diagnostics.append(
                    .error(
                        .fullWidthQuote, "the string \(open)\(text)\(close) is in full-width quotes",
                        at: SourceRange(file: file, bytes: start..<i), hint: "use ASCII quotes: \"\(text)\""))
                return Token(kind: .string, bytes: start..<i, text: text)
            }
            i += 1
        }
        i = bodyStart
        return invalid(start, "unexpected character '\(open)' (a full-width quote: use ASCII quotes \")")
    }

    /// `{XXXX}` after `\u`; nil when malformed.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        let digitsStart = i
        while i < b.count, b[i] != UInt8(ascii: "}"), b[i] != UInt8(ascii: "\""), b[i] != 0x0A { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "}") else { return nil }
        let hex = file.slice(digitsStart..<i)
        i += 1
        guard (1...6).contains(hex.count), let v = UInt32(hex, radix: 16) else { return nil }
        return Unicode.Scalar(v)
    }

    private mutating func regex(_ start: Int) -> Token {
        i += 1
        var inClass = false
        while i < b.count, b[i] != 0x0A {
            let c = b[i]
            if c == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if c == UInt8(ascii: "[") { inClass = true }
            if c == UInt8(ascii: "]") { inClass = false }
            if c == UInt8(ascii: "/") && !inClass { break }
            i += 1
        }
        guard i < b.count, b[i] == UInt8(ascii: "/") else {
            return invalid(start, "unterminated regex: a pattern ends with '/' on the same line", at: start..<(start + 1))
        }
        let body = file.slice((start + 1)..<i)
        i += 1
        let flagsStart = i
        while i < b.count, isIdentStart(b[i]) { i += 1 }
        let flags = file.slice(flagsStart..<i)
        for (k, f) in flags.enumerated() where !"imsx".contains(f) {
            let at = flagsStart + k
            return invalid(start, "unknown regex flag '\(f)' (flags are i, m, s, x)", at: at..<(at + 1))
        }
        return Token(kind: .regex, bytes: start..<i, text: body, flags: flags)
    }

    private mutating func invalid(_ start: Int, _ message: String, at range: Range<Int>? = nil) -> Token {
        let r = range ?? start..<max(i, start + 1)
        diagnostics.append(.error(.syntax, message, at: SourceRange(file: file, bytes: r)))
        return Token(kind: .invalid, bytes: start..<max(i, start + 1))
    }

    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_")
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
