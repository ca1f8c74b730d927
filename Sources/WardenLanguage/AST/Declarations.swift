/// A name with the range it was written at.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var range: SourceRange
    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// `ruleset NAME [version "V"] [timezone "Z"] [on_state_error open|closed|block] [invite_retention D] [max_future D]`.
public struct RuleSetHeader: Sendable {
    public var name: Located<String>
    public var version: Located<String>?
    public var timezone: Located<String>?
    /// What a decision does when shared counter state (Redis) cannot be reached.
    public var onStateError: Located<String>?
    /// How long the invite graph keeps an account it has not seen since, in seconds.
    public var inviteRetention: Located<Int>?
    /// How far (seconds) an event's `ts` may be ahead of the clock.
    public var maxFuture: Located<Int>?
}

/// `list NAME [(options)] = source`.
public struct ListDecl: Sendable {
    public enum Source: Sendable {
        case words([Expr])
        case file(Located<String>)
        case cidr([Expr])
        case cidrFile(Located<String>)
    }
    public var name: Located<String>
    public var options: [Argument]
    public var source: Source
    public var range: SourceRange

    public var isCIDR: Bool {
        switch source {
        case .cidr, .cidrFile: true
        default: false
        }
    }
}

/// `pattern NAME = /regex/flags`.
public struct PatternDecl: Sendable {
    public var name: Located<String>
    public var pattern: String
    public var flags: String
    /// The range of the whole `/…/flags` token; the body starts one byte after it.
    public var regexRange: SourceRange
}

/// `model NAME = file("path")`: a text classifier trained by `warden train`.
public struct ModelDecl: Sendable {
    public var name: Located<String>
    public var path: Located<String>
    public var range: SourceRange
}

/// `let NAME = expr`.
public struct LetDecl: Sendable {
    public var name: Located<String>
    public var value: Expr
}

/// `rule NAME ["description"] { clauses }`.
public struct RuleDecl: Sendable {
    public var name: Located<String>
    public var description: String?
    public var on: [Located<String>] = []
    public var onRange: SourceRange?
    public var when: Expr?
    public var score: Expr?
    /// Each a bare name (`review`) or a call (`restrict_send(account, 1d)`).
    public var penalties: [Expr] = []
    public var tags: [String] = []
    public var mode: Located<String>?
    public var rollout: Located<Int>?
    public var range: SourceRange
}

/// `decide { VERDICT when EXPR … }`.
public struct DecideDecl: Sendable {
    public struct Line: Sendable {
        public var verdict: Located<String>
        public var condition: Expr
    }
    public var lines: [Line]
    public var range: SourceRange
}

/// `test "NAME" { steps }`.
public struct TestDecl: Sendable {
    public var name: Located<String>
    public var steps: [TestStep]
}

public enum TestStep: Sendable {
    case event(EventStep)
    /// `after DUR`, in seconds.
    case after(Located<Int>)
}

/// `TYPE { key: value, … } [repeat N [every DUR]] [expect E, …]`.
public struct EventStep: Sendable {
    public var type: Located<String>
    public var fields: [Field]
    public var repeatCount: Located<Int>?
    public var every: Located<Int>?
    public var expectations: [Expectation]
    public var range: SourceRange
}

public struct Expectation: Sendable {
    public enum Kind: Sendable, Equatable {
        case verdict(String)
        case fired(String)
        case notFired(String)
        case penalty(String)
        case noPenalty
        case score(BinaryOperator, Double)
    }
    public var kind: Kind
    public var range: SourceRange
}

/// Everything declared in a rule set, across its files, in file order.
public struct RuleSetSyntax: Sendable {
    public var files: [SourceFile] = []
    public var header: RuleSetHeader?
    public var lists: [ListDecl] = []
    public var patterns: [PatternDecl] = []
    public var models: [ModelDecl] = []
    public var lets: [LetDecl] = []
    public var rules: [RuleDecl] = []
    public var decide: DecideDecl?
    public var tests: [TestDecl] = []

    public init() {}
}
