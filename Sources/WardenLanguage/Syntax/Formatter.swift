/// `warden fmt`: one canonical layout for a rules file.
///
/// The formatter re-prints the file's tokens, each exactly as written (strings keep their
/// escapes, numbers their underscores, regexes their flags), so the formatted file parses to
/// the same rule set. What it decides is the space between tokens:
/// - line breaks stay where the author put them (at most one blank line in a row, none at the
///   start or the end of the file), so a long `when` keeps its shape;
/// - each line is indented two spaces per bracket left open on an earlier line, and one more
///   when it continues an expression (it does not start a declaration, a clause, a decide line,
///   a test step or an object's `key:`);
/// - on a line, one space between tokens except after `(` `[` `.` and unary `-`, and before
///   `)` `]` `,` `:` `.` `%`; a call's `(` follows its name;
/// - comments are kept: a comment on its own line takes the indentation of the code after it,
///   a comment after code is two spaces after it; trailing spaces go.
///
/// Formatting is idempotent: the output formats to itself. A file that does not lex or parse is
/// not formatted (the diagnostics say why).
package enum Formatter {
    package static let indentUnit = "  "

    package enum Outcome: Sendable {
        case formatted(String)
        /// The syntax errors that stop formatting.
        case failed([Diagnostic])
    }

    /// The formatted text, or the syntax errors that stop formatting.
    package static func format(_ file: SourceFile) -> Outcome {
        var syntax = RuleSetSyntax()
        let errors = Parser.parse(file, into: &syntax).filter {
            $0.severity == .error && ($0.id == "syntax" || $0.id == "full-width-quote")
        }
        if !errors.isEmpty { return .failed(errors) }
        var printer = Printer(file: file, tokens: Lexer.tokenize(file).tokens)
        return .formatted(printer.run())
    }

    /// Names after which `(` opens a group, not a call's arguments.
    static let groupingWords: Set<String> = [
        "and", "or", "not", "when", "score", "in", "any", "all", "matches", "contains", "expect", "block", "review",
        "challenge", "allow",
    ]

    struct Printer {
        let file: SourceFile
        let tokens: [Token]
        var lines: [String] = []
        var line = ""
        /// Open brackets: the output line each was opened on, and for `{` the block it opens.
        /// A `(` or `[` is hanging when code follows it on its line (`when (a` … `or b)`): the
        /// lines that continue it are indented one more than its items would be.
        var open: [(line: Int, block: Block?, hanging: Bool)] = []
        /// The keyword of the declaration being printed (`rule`, `test`, …).
        var declaration = ""

        /// What a `{` holds, which says what may start a line inside it.
        enum Block { case rule, decide, test, object, other }

        init(file: SourceFile, tokens: [Token]) {
            self.file = file
            self.tokens = tokens
        }

        mutating func run() -> String {
            var previous: Token?
            var gapStart = 0
            for (k, token) in tokens.enumerated() {
                let gap = Gap(file.bytes[gapStart..<token.bytes.lowerBound])
                if open.isEmpty, token.kind == .identifier, Parser.declarationKeywords.contains(token.text) { declaration = token.text }
                place(token, at: k, after: previous, gap: gap, next: tokens.indices.contains(k + 1) ? tokens[k + 1] : nil)
                if token.kind == .end { break }
                previous = token
                gapStart = token.bytes.upperBound
            }
            flush()
            while lines.last?.isEmpty == true { lines.removeLast() }
            while lines.first?.isEmpty == true { lines.removeFirst() }
            return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        }

        mutating func place(_ token: Token, at k: Int, after previous: Token?, gap: Gap, next: Token?) {
            // A comment after code on the same line stays there.
            var comments = gap.comments[...]
            if previous != nil, let first = comments.first, first.newlinesBefore == 0 {
                line += "  " + first.text
                comments = comments.dropFirst()
            }
            var newlines = previous == nil ? 1 : gap.newlines
            let indentation = indent(token, next: next)
            for comment in comments {
                breakLine(blank: comment.newlinesBefore > 1)
                line = indentation + comment.text
                newlines = comment.newlinesAfter
            }
            if token.kind == .end { return }
            let text = file.slice(token.bytes)
            if newlines > 0 || previous == nil {
                breakLine(blank: newlines > 1)
                line = indentation
            } else {
                if let previous, spaced(previous, token, at: k) { line += " " }
                if let last = open.last, last.line == lines.count, last.block == nil, previous.map(opensTight) == true {
                    open[open.count - 1].hanging = true
                }
            }
            line += text
            switch token.kind {
            case .leftBrace: open.append((lines.count, block(opening: previous), false))
            case .leftBracket, .leftParen: open.append((lines.count, nil, false))
            case .rightBrace, .rightBracket, .rightParen: if !open.isEmpty { open.removeLast() }
            default: break
            }
        }

        /// The block a `{` opens, from the declaration it is in and how deep it is.
        func block(opening previous: Token?) -> Block {
            if open.isEmpty {
                switch declaration {
                case "rule": return .rule
                case "decide": return .decide
                case "test": return .test
                default: return .other
                }
            }
            if open.last?.block == .test, let previous, previous.kind == .identifier { return .object }
            return .other
        }

        /// Whether a line starting with `token` (then `next`) starts an item of its block
        /// rather than continuing the expression of the line before.
        func startsItem(_ token: Token, next: Token?) -> Bool {
            if [.rightBrace, .rightBracket, .rightParen, .end].contains(token.kind) { return true }
            guard let innermost = open.last else {
                return token.kind == .identifier && Parser.declarationKeywords.contains(token.text)
            }
            // Inside ( or [ the bracket's own indentation is enough, unless it hangs.
            guard let block = innermost.block else { return !innermost.hanging }
            let word = token.kind == .identifier ? token.text : ""
            switch block {
            case .rule: return Parser.clauseKeywords.contains(word)
            case .decide: return ["block", "review", "challenge", "allow"].contains(word)
            case .test: return ["send", "issue", "redeem", "after"].contains(word)
            case .object: return token.kind == .identifier && next?.kind == .colon
            case .other: return true
            }
        }

        /// The indentation of a line that starts with `token`.
        func indent(_ token: Token, next: Token?) -> String {
            indent(closing: token) + (startsItem(token, next: next) ? "" : Formatter.indentUnit)
        }

        /// Ends the line being built (and adds one blank line when asked).
        mutating func breakLine(blank: Bool) {
            flush()
            if blank, lines.last?.isEmpty == false { lines.append("") }
        }

        mutating func flush() {
            if !line.isEmpty || !lines.isEmpty { lines.append(trimmedRight(line)) }
            line = ""
            // `lines` never ends in two blanks.
            while lines.count >= 2, lines[lines.count - 1].isEmpty, lines[lines.count - 2].isEmpty { lines.removeLast() }
        }

        /// The indentation of a line that starts with `token`: one unit per earlier line with a
        /// bracket still open, less the brackets `token` and the ones right after it close.
        func indent(closing token: Token) -> String {
            var stack = open.map(\.line)
            if [.rightBrace, .rightBracket, .rightParen].contains(token.kind), !stack.isEmpty { stack.removeLast() }
            // Every open bracket was opened on an earlier line than the one starting now.
            var levels = 0
            var last = -1
            for opened in stack where opened != last {
                levels += 1
                last = opened
            }
            return String(repeating: Formatter.indentUnit, count: levels)
        }

        /// Whether a space goes between `a` and `b`, the token at `k`.
        func spaced(_ a: Token, _ b: Token, at k: Int) -> Bool {
            switch b.kind {
            case .rightParen, .rightBracket, .comma, .colon, .dot, .percent: return false
            case .leftParen: return a.kind == .identifier ? Formatter.groupingWords.contains(a.text) : !opensTight(a)
            default: break
            }
            if a.kind == .leftBrace || b.kind == .rightBrace { return true }
            if opensTight(a) || a.kind == .dot { return false }
            if a.kind == .minus, isUnary(minusAt: k - 1) { return false }
            return true
        }

        func opensTight(_ t: Token) -> Bool { t.kind == .leftParen || t.kind == .leftBracket }

        /// A `-` with no value before it: `score -100`, `(-1)`, `x * -2`.
        func isUnary(minusAt k: Int) -> Bool {
            guard k > 0 else { return true }
            let before = tokens[k - 1]
            switch before.kind {
            case .identifier: return Formatter.groupingWords.contains(before.text)
            case .string, .integer, .decimal, .duration, .regex, .rightParen, .rightBracket, .rightBrace: return false
            default: return true
            }
        }

        func trimmedRight(_ s: String) -> String {
            var scalars = s.unicodeScalars[...]
            while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars = scalars.dropLast() }
            return String(String.UnicodeScalarView(scalars))
        }
    }

    /// The bytes between two tokens: how many line breaks, and the comments.
    struct Gap {
        struct Comment {
            var text: String
            var newlinesBefore: Int
            var newlinesAfter: Int
        }

        var newlines = 0
        var comments: [Comment] = []

        init(_ bytes: ArraySlice<UInt8>) {
            var i = bytes.startIndex
            var sinceLast = 0
            while i < bytes.endIndex {
                switch bytes[i] {
                case 0x0A:
                    newlines += 1
                    sinceLast += 1
                    i += 1
                case UInt8(ascii: "#"):
                    let start = i
                    while i < bytes.endIndex, bytes[i] != 0x0A { i += 1 }
                    if !comments.isEmpty { comments[comments.count - 1].newlinesAfter = sinceLast }
                    comments.append(
                        Comment(text: String(decoding: bytes[start..<i], as: UTF8.self), newlinesBefore: sinceLast, newlinesAfter: 0))
                    sinceLast = 0
                default: i += 1
                }
            }
            if !comments.isEmpty { comments[comments.count - 1].newlinesAfter = sinceLast }
        }
    }
}
