/// Every diagnostic of the rules language: its stable id (tools and tests match on it while the
/// wording of a message improves), its usual severity and when it is given. The checker, the
/// compiler and the loader name diagnostics only through this table, and docs/language.md lists
/// it (`warden vocabulary --write-docs`, checked by a test).
public enum DiagnosticID: String, CaseIterable, Sendable {
    case syntax
    case missingClause = "missing-clause"
    case duplicate
    case reservedName = "reserved-name"
    case unknownName = "unknown-name"
    case typeMismatch = "type-mismatch"
    case arguments
    case badTarget = "bad-target"
    case badRegex = "bad-regex"
    case badCidr = "bad-cidr"
    case listFile = "list-file"
    case modelFile = "model-file"
    case encoding
    case cycle
    case limit
    case unknownTimezone = "unknown-timezone"
    case unused
    case constantCondition = "constant-condition"
    case backtracking
    case fullWidthQuote = "full-width-quote"
    case missingKey = "missing-key"
    case pinyinFold = "pinyin-fold"
    case unboundedKey = "unbounded-key"
    case shadowedRule = "shadowed-rule"
    case missingRuleset = "missing-ruleset"
    case unreachable
    case timezone
    case decreasing
    case noDecide = "no-decide"
    case context
    case outOfRange = "out-of-range"
    case io
    case noRules = "no-rules"
    case rulesFile = "rules-file"
    case unknownFold = "unknown-fold"
    case unknownOption = "unknown-option"

    /// The severity it is given (a few ids are given at either, as their row says).
    public var severity: Diagnostic.Severity {
        switch self {
        case .syntax, .missingClause, .duplicate, .reservedName, .unknownName, .typeMismatch, .arguments, .badTarget, .badRegex, .badCidr,
            .listFile, .modelFile, .encoding, .cycle, .limit, .unknownTimezone, .fullWidthQuote, .missingKey, .context, .outOfRange, .io,
            .noRules, .rulesFile, .unknownFold, .unknownOption:
            .error
        case .unused, .constantCondition, .backtracking, .pinyinFold, .unboundedKey, .shadowedRule, .missingRuleset, .unreachable,
            .timezone, .decreasing, .noDecide:
            .warning
        }
    }

    /// When it is given, as docs/language.md says.
    public var when: String {
        switch self {
        case .syntax:
            "a token or construct where another was expected; bad escapes, unterminated strings and regexes, unknown duration units"
        case .missingClause: "a rule without `on` or `when`"
        case .duplicate: "a name declared twice, a clause twice in a rule, two `ruleset` or `decide`"
        case .reservedName: "a declaration named like a field or built-in"
        case .unknownName:
            "a field, list, pattern, model, let, rule, function, event type, verdict, action or channel that does not exist (with \"did you mean\")"
        case .typeMismatch: "an operand of the wrong type"
        case .arguments:
            "wrong arguments to a built-in or an action; `matches_format(\"wework\", code)`, the channel given first (always false)"
        case .badTarget: "a penalty aimed at the wrong field"
        case .badRegex: "PCRE2 refuses a pattern; the caret points at PCRE2's offset inside `/…/`"
        case .badCidr: "an address range that does not parse"
        case .listFile: "a list file that is missing, unreadable, absolute or outside the rule set"
        case .modelFile:
            "a model file that is missing, unreadable, absolute or outside the rule set, not a model, truncated, corrupt (its checksum does not match) or of a newer format"
        case .encoding: "invalid UTF-8 in a rules or list file (byte offset given)"
        case .cycle: "`fired()` or `let` definitions that depend on themselves"
        case .limit:
            "expressions nested deeper than 200 levels; a rules file over 4 MiB; a list file over 32 MiB or 1,000,000 entries or with an entry over 256 characters"
        case .unknownTimezone: "a time zone that is not an IANA name"
        case .unused: "a list, pattern, model or let nothing reads"
        case .constantCondition:
            "a condition whose value does not depend on the event: `when true`, a comparison of two literals, `count(…) >= 0` or `len(…) < 0` (never negative), `x and false`, `x or true`, an impossible `at_least`"
        case .backtracking:
            "a regex that backtracks badly on text that almost matches, the caret on the outer repeat: a repeated group that repeats inside, `(a+)+` or `(\\w+\\s?)*` (possessive `(a++)+` is fine); a repeated group whose literal alternatives spell one another, `(a|aa)+`; a group with a loop over any character repeated 3 or more times, `(.*a){12}` (time to the power of the count)"
        case .fullWidthQuote:
            "a string in full-width quotes `“…”`, `「…」`: one error per string, with the ASCII form as the hint (it is read as that string meanwhile)"
        case .missingKey:
            "a test step without a key production requires (`account`; a send's `to` and `text`; an issue's or redeem's `code`)"
        case .pinyinFold: "`fold: [… \"pinyin\"]` on a list with one-character keywords: pinyin does nothing for them"
        case .unboundedKey: "a counter keyed by `id`, `ts` or `text`: a key for almost every event"
        case .shadowedRule: "a rule with the same events and condition as an earlier one"
        case .missingRuleset: "no `ruleset` declaration"
        case .unreachable:
            "a `decide` line `… when score >= N` below one with a lower or equal threshold: it is never chosen (`review when score >= 50` above `block when score >= 100` never blocks)"
        case .timezone: "`per: day` or `per: week` in a rule set that names no `timezone`: days start at midnight UTC"
        case .decreasing: "an `escalate(…)` step shorter than the one before"
        case .noDecide: "rules with scores but no `decide` block: scores never raise the verdict"
        case .context: "a counter in a `decide` line, or another expression where its context cannot have it"
        case .outOfRange: "a number outside what its place allows"
        case .io: "a rules file that cannot be read"
        case .noRules: "no rule set at the path, or a directory with no `.rules` files"
        case .rulesFile: "a `.rules` file in a directory that links outside it"
        case .unknownFold: "a `fold:` name that does not exist (with \"did you mean\")"
        case .unknownOption: "a list option that does not exist (with \"did you mean\")"
        }
    }
}
