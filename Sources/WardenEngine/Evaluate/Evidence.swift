import WardenMatching
import WardenModels

/// Why a rule fired: a keyword hit, a regex match, a value that crossed a limit, a model's score.
public struct Evidence: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case keyword, regex, count, penalty, model, invite
    }
    public var kind: Kind
    /// The event field the text came from, when it came from one.
    public var field: String?
    /// The word list, or nil for a literal `contains "…"`.
    public var list: String?
    public var entry: String?
    /// The pattern's name, or its source for an inline /regex/.
    public var pattern: String?
    /// Unicode-scalar offsets in the original text.
    public var span: Range<Int>?
    public var excerpt: String?
    /// Counters: the value, the limit it was compared with, the key and the window.
    public var value: Double?
    public var limit: Double?
    public var key: [(String, String)]?
    public var window: String?
    /// A keyword hit: the folds that made it (`FoldAttribution`), such as `["traditional"]` for
    /// 兼職刷單; absent when the text is the keyword as written.
    public var via: [String]?
    /// The fields few kinds use, in one box shared between copies (an evidence value is copied
    /// and freed several times per rule that fires; keeping it small keeps that cheap).
    private var extra: EvidenceExtra?

    private mutating func writable() -> EvidenceExtra {
        if extra == nil {
            extra = EvidenceExtra()
        } else if !isKnownUniquelyReferenced(&extra!) {
            extra = extra!.copy()
        }
        return extra!
    }

    /// A penalty in force: its record.
    public var penalty: PenaltyRecord? {
        get { extra?.penalty }
        set { writable().penalty = newValue }
    }
    /// A model: its name, its calibrated score, and the phrases that pushed the score up.
    public var model: String? {
        get { extra?.model }
        set { writable().model = newValue }
    }
    public var score: Double? {
        get { extra?.score }
        set { writable().score = newValue }
    }
    public var features: [ModelFeature]? {
        get { extra?.features }
        set { writable().features = newValue }
    }
    /// The invite graph: the built-in, the account it was asked about, the path from its tree's
    /// root to it, and (for redeemer counts) the redeemers it counted.
    public var builtin: String? {
        get { extra?.builtin }
        set { writable().builtin = newValue }
    }
    public var account: String? {
        get { extra?.account }
        set { writable().account = newValue }
    }
    public var path: [InviteStep]? {
        get { extra?.path }
        set { writable().path = newValue }
    }
    public var redeemers: [InviteStep]? {
        get { extra?.redeemers }
        set { writable().redeemers = newValue }
    }
    /// What `completed()` needs to find the features: they cost more than the score, so they
    /// are found only for rules that fire.
    var explainer: (model: TextModel, text: String)? {
        get { extra?.explainer }
        set { writable().explainer = newValue }
    }
    /// What `completed()` needs to find `via`: the hit's characters and the list's folds.
    var foldContext: (text: String, folds: FoldOptions)? {
        get { extra?.foldContext }
        set { writable().foldContext = newValue }
    }

    public init(
        kind: Kind, field: String? = nil, list: String? = nil, entry: String? = nil, pattern: String? = nil,
        span: Range<Int>? = nil, excerpt: String? = nil
    ) {
        self.kind = kind
        self.field = field
        self.list = list
        self.entry = entry
        self.pattern = pattern
        self.span = span
        self.excerpt = excerpt
    }

    public static func == (a: Evidence, b: Evidence) -> Bool {
        a.kind == b.kind && a.field == b.field && a.list == b.list && a.entry == b.entry && a.pattern == b.pattern
            && a.span == b.span && a.excerpt == b.excerpt && a.value == b.value && a.limit == b.limit
            && a.window == b.window && a.penalty == b.penalty && a.model == b.model && a.score == b.score && a.features == b.features
            && a.builtin == b.builtin && a.account == b.account && a.path == b.path && a.redeemers == b.redeemers && a.via == b.via
            && (a.key?.map { $0.0 + "=" + $0.1 } ?? []) == (b.key?.map { $0.0 + "=" + $0.1 } ?? [])
    }
}

extension Evidence {
    /// How many phrases a model's evidence names.
    static let modelFeatures = 5

    /// The evidence with a model's features found (unchanged for other kinds).
    func completed() -> Evidence {
        if let context = foldContext, let entry {
            var e = self
            let via = FoldAttribution.via(text: context.text, entry: entry, folds: context.folds)
            e.via = via.isEmpty ? nil : via
            e.foldContext = nil
            return e
        }
        guard let explainer, features == nil else { return self }
        var e = self
        e.features = explainer.model.explain(explainer.text, limit: Self.modelFeatures)
        e.explainer = nil
        return e
    }

    /// A keyword hit's evidence, with what `completed()` needs to say which folds made it.
    static func keyword(
        field: String?, list: String?, entry: String, span: Range<Int>, text: [Unicode.Scalar], folds: FoldOptions
    ) -> Evidence {
        var e = Evidence(kind: .keyword, field: field, list: list, entry: entry, pattern: nil, span: span, excerpt: excerpt(text, span))
        var view = String.UnicodeScalarView()
        if span.lowerBound >= 0, span.upperBound <= text.count { view.append(contentsOf: text[span]) }
        e.foldContext = (String(view), folds)
        return e
    }

    /// Scalars of context each side of a match in an excerpt.
    public static let excerptContext = 6
    /// The longest match an excerpt quotes whole; a longer one (`.*` over a 64 KB text) keeps
    /// half of this from each end, joined by "…".
    public static let excerptMatchLimit = 160

    /// The text around a span: up to `excerptContext` scalars each side, the match capped.
    static func excerpt(_ scalars: [Unicode.Scalar], _ span: Range<Int>) -> String {
        let context = excerptContext
        let lower = max(0, span.lowerBound - context)
        let upper = min(scalars.count, span.upperBound + context)
        guard lower < upper else { return "" }
        if span.count > excerptMatchLimit {
            let half = excerptMatchLimit / 2
            return encode(scalars, lower..<(span.lowerBound + half)) + "…" + encode(scalars, (span.upperBound - half)..<upper)
        }
        return encode(scalars, lower..<upper)
    }

    /// An excerpt cut into the context before the match, the match (as quoted), and the
    /// context after, by the rules `excerpt` made it with.
    public static func split(excerpt: String, span: Range<Int>) -> (before: String, match: String, after: String) {
        let scalars = Array(excerpt.unicodeScalars)
        let before = min(excerptContext, max(0, span.lowerBound), scalars.count)
        let length = min(span.count > excerptMatchLimit ? excerptMatchLimit + 1 : span.count, scalars.count - before)
        func text(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
        return (text(0..<before), text(before..<(before + length)), text((before + length)..<scalars.count))
    }

    /// Scalars as a string, encoded by hand: appending to a String.UnicodeScalarView costs
    /// hundreds of instructions a scalar.
    @inline(__always)
    private static func encode(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: range.count * 4) { out in
            var n = 0
            for scalar in scalars[range] {
                UTF8.encode(scalar) { byte in
                    out[n] = byte
                    n += 1
                }
            }
            return n
        }
    }
}

/// The rarely set fields of an `Evidence`, copied on write.
///
/// `@unchecked Sendable`: an instance is mutated only while its one owner holds the only
/// reference (`isKnownUniquelyReferenced`); shared instances are copied before any change.
final class EvidenceExtra: @unchecked Sendable {
    var penalty: PenaltyRecord?
    var model: String?
    var score: Double?
    var features: [ModelFeature]?
    var builtin: String?
    var account: String?
    var path: [InviteStep]?
    var redeemers: [InviteStep]?
    var explainer: (model: TextModel, text: String)?
    var foldContext: (text: String, folds: FoldOptions)?

    func copy() -> EvidenceExtra {
        let c = EvidenceExtra()
        c.penalty = penalty
        c.model = model
        c.score = score
        c.features = features
        c.builtin = builtin
        c.account = account
        c.path = path
        c.redeemers = redeemers
        c.explainer = explainer
        c.foldContext = foldContext
        return c
    }
}
