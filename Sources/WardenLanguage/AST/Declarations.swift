/// A name with the range it was written at.
package struct Located<Value: Sendable>: Sendable {
    package var value: Value
    package var range: SourceRange
    package init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// `ruleset NAME [version "V"] [timezone "Z"] [on_state_error open|closed|block] [invite_retention D] [max_future D]
/// [reward_tiers [N, …]] [reward_excludes ["LABEL", …]] [reward_requires_return D]`.
package struct RuleSetHeader: Sendable {
    package var name: Located<String>
    package var version: Located<String>?
    package var timezone: Located<String>?
    /// What a decision does when shared counter state (Redis) cannot be reached.
    package var onStateError: Located<String>?
    /// How long the invite graph keeps an account it has not seen since, in seconds.
    package var inviteRetention: Located<Int>?
    /// How far (seconds) an event's `ts` may be ahead of the clock.
    package var maxFuture: Located<Int>?
    /// Qualified invitees needed for each reward tier, lowest first.
    package var rewardTiers: Located<[Expr]>?
    /// Labels that keep an invitee from counting toward a reward.
    package var rewardExcludes: Located<[Expr]>?
    /// How long after redeeming an invitee must be active again (seconds) to count.
    package var rewardReturn: Located<Int>?
}

/// `list NAME [(options)] = source`.
package struct ListDecl: Sendable {
    package enum Source: Sendable {
        case words([Expr])
        case file(Located<String>)
        case cidr([Expr])
        case cidrFile(Located<String>)
    }
    package var name: Located<String>
    package var options: [Argument]
    package var source: Source
    package var range: SourceRange

    package var isCIDR: Bool {
        switch source {
        case .cidr, .cidrFile: true
        default: false
        }
    }
}

/// `pattern NAME = /regex/flags`.
package struct PatternDecl: Sendable {
    package var name: Located<String>
    package var pattern: String
    package var flags: String
    /// The range of the whole `/…/flags` token; the body starts one byte after it.
    package var regexRange: SourceRange
}

/// `model NAME = file("path" [, optional: true])`: a text classifier trained by `warden train`.
/// An optional model whose file is absent is no error: `has_model(NAME)` is false and the
/// rules that read it hold as they would without it.
package struct ModelDecl: Sendable {
    package var name: Located<String>
    package var path: Located<String>
    package var range: SourceRange
    package var optional = false
}

/// `let NAME = expr`.
package struct LetDecl: Sendable {
    package var name: Located<String>
    package var value: Expr
}

/// `rule NAME ["description"] { clauses }`.
package struct RuleDecl: Sendable {
    package var name: Located<String>
    package var description: String?
    package var on: [Located<String>] = []
    package var onRange: SourceRange?
    package var when: Expr?
    package var score: Expr?
    /// Each a bare name (`review`) or a call (`restrict_send(account, 1d)`).
    package var penalties: [Expr] = []
    package var tags: [String] = []
    package var mode: Located<String>?
    package var rollout: Located<Int>?
    package var range: SourceRange
}

/// `decide { VERDICT when EXPR … }`.
package struct DecideDecl: Sendable {
    package struct Line: Sendable {
        package var verdict: Located<String>
        package var condition: Expr
    }
    package var lines: [Line]
    package var range: SourceRange
}

/// `test "NAME" { steps }`.
package struct TestDecl: Sendable {
    package var name: Located<String>
    package var steps: [TestStep]
    /// `test "…" without models { … }`: run as if every optional model's file were absent, so the
    /// test pins what the rules decide on their own, whatever models are installed beside them.
    package var withoutModels = false
}

package enum TestStep: Sendable {
    case event(EventStep)
    /// `after DUR`, in seconds.
    case after(Located<Int>)
}

/// `TYPE { key: value, … } [repeat N [every DUR]] [expect E, …]`.
package struct EventStep: Sendable {
    package var type: Located<String>
    package var fields: [Field]
    package var repeatCount: Located<Int>?
    package var every: Located<Int>?
    package var expectations: [Expectation]
    package var range: SourceRange
}

package struct Expectation: Sendable {
    package enum Kind: Sendable, Equatable {
        case verdict(String)
        case fired(String)
        case notFired(String)
        case penalty(String)
        case noPenalty
        case score(BinaryOperator, Double)
    }
    package var kind: Kind
    package var range: SourceRange
}

/// Everything declared in a rule set, across its files, in file order.
package struct RuleSetSyntax: Sendable {
    package var files: [SourceFile] = []
    package var header: RuleSetHeader?
    package var lists: [ListDecl] = []
    package var patterns: [PatternDecl] = []
    package var models: [ModelDecl] = []
    package var lets: [LetDecl] = []
    package var rules: [RuleDecl] = []
    package var decide: DecideDecl?
    package var tests: [TestDecl] = []

    package init() {}
}
