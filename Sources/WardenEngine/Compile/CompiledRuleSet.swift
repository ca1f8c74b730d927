import WardenMatching
import WardenModels

/// A rule set ready to evaluate: every name resolved, every list in one keyword index per fold
/// set, every pattern JIT-compiled, rules in dependency order. Immutable and shared across
/// threads.
public struct CompiledRuleSet: Sendable {
    public struct Info: Sendable, Equatable {
        public var name: String
        public var version: String?
        public var timezone: String
        /// `sha256:…` over the rule files and list files.
        public var digest: String
        /// `open` (rules reading counters are skipped), `closed` (at least review) or `block`,
        /// when the shared counter state cannot be reached.
        public var onStateError: StateErrorPolicy = .open
        /// `invite_retention` in seconds, when the rule set gives one.
        public var inviteRetention: Double?
        /// `max_future` in seconds: how far an event's `ts` may be ahead of the clock.
        public var maxFuture: Double = CompiledRuleSet.defaultMaxFuture
        /// `reward_tiers`, `reward_excludes` and `reward_requires_return` (seconds).
        public var rewardTiers: [Int] = []
        public var rewardExcludes: [String] = []
        public var rewardReturn: Double?
    }

    /// 5 minutes: client clocks drift by seconds; an event further ahead is refused.
    public static let defaultMaxFuture = 300.0

    /// How a rolling counter window of `seconds` is resolved: its step and how many steps it
    /// covers (`warden lsp` shows them on hover).
    public static func rollingSteps(window seconds: Int) -> (step: Int, steps: Int) {
        let window = CounterSpec.Window.rolling(seconds: seconds)
        return (window.step, window.span)
    }

    /// A compiled rule. A class, so the evaluation loop takes one reference per rule rather
    /// than copying (and retaining) every closure and array of it for every event.
    public final class Rule: Sendable {
        public let name: String
        /// Declaration order, which indexes the fired flags of an evaluation.
        let index: Int
        public let description: String?
        public let tags: [String]
        let on: Set<Event.Kind>
        /// `on` as bits of `Event.Kind.bit`.
        let onMask: UInt8
        /// The condition in source order, with evidence.
        let when: Eval
        /// The same answer, parts cheapest first; nil when that is the source order.
        let test: CompiledExpression?
        let score: CompiledExpression?
        let penalties: [PenaltySpec]
        /// The condition split into parts, for explain traces.
        let explain: ConditionNode?
        public let shadow: Bool
        /// Percentage of accounts it enforces for; nil means all.
        public let rollout: Int?
        /// Whether its condition or score reads a counter (directly or through a let).
        let readsCounters: Bool

        init(
            name: String, index: Int, description: String?, tags: [String], on: Set<Event.Kind>, condition: ConditionNode?,
            score: CompiledExpression?, penalties: [PenaltySpec], shadow: Bool, rollout: Int?, readsCounters: Bool = false
        ) {
            self.readsCounters = readsCounters
            self.onMask = Event.Kind.mask(on)
            self.name = name
            self.index = index
            self.description = description
            self.tags = tags
            self.on = on
            // Unwrapped, not `condition?.eval ?? never`: the generic `??` would hand back the
            // closure converted (see `CompiledExpression`).
            if let condition {
                self.when = condition.eval
                self.test = condition.reordered ? CompiledExpression(eval: condition.test) : nil
            } else {
                self.when = { _ in .bool(false) }
                self.test = nil
            }
            self.score = score
            self.penalties = penalties
            self.explain = condition
            self.shadow = shadow
            self.rollout = rollout
        }
    }

    public var info: Info
    public internal(set) var rules: [Rule]
    var decide: [(verdict: Verdict, condition: Eval, text: String)]
    let matcher: KeywordMatcher
    /// Every word list of the rule set in one matcher (what a `check` scans a text with).
    package var keywordMatcher: KeywordMatcher { matcher }
    /// Names of the word lists in the matcher, for evidence (hidden literal lists have nil).
    let listNames: [String?]
    /// Every distinct counter of the rule set.
    let counters: [CounterSpec]
    /// The rule set's `test` blocks.
    package let tests: [CompiledTest]
    /// Per text slot (`TextSlot`): the prefilter over the patterns matched against it.
    let regexPrefilters: [RegexPrefilter?]
    /// Fields the keyword matcher reads.
    let scannedFields: [Field]
    /// The rule set's models, in declaration order.
    package let models: [(name: String, model: TextModel)]
    /// The (model, field) pairs the rules classify (`ModelSlot`), scored ahead in audits.
    let classifiedSlots: [Int]
    /// Per counter (in `counters` order), the rules that read it.
    public internal(set) var counterRules: [[String]] = []
    /// Every file the rule set was compiled from (rules, lists, models), by path relative to its
    /// root: kept in the rule-set history, served again by a rollback.
    public internal(set) var sources: [String: [UInt8]] = [:]
    /// Word lists declared `live: true`: entries added while serving are matched beside these.
    package internal(set) var liveLists: [LiveListSpec] = []
    /// Rules that read an optional model whose file is absent (through `has_model` or
    /// `classify`, directly or in a let): they wait for the file, so no test is expected to fire them.
    package internal(set) var waitingForModels: Set<String> = []
    /// Per rule (by `Rule.index`): whether it reads only the event (`Compiler.statelessRules`),
    /// so that an audit can judge it ahead, on the reader threads.
    var statelessRules: [Bool] = []
    /// Whether its rules read the invite graph (or a send's return, `reward_requires_return`):
    /// edges join accounts, so a split by account does not keep it whole.
    var readsInviteGraph = false
    /// The accounts other than the event's own whose penalties its rules read (`active(…,
    /// inviter)`): another account's state, which a split by account does not keep beside it.
    var penaltiesReadOn: Set<String> = []
}

/// A penalty clause, compiled.
struct PenaltySpec: Sendable {
    enum Duration: Sendable {
        case none
        case fixed(Int)
        case forever
        /// Steps in seconds; nil is forever.
        case escalate([Int?])
    }
    var action: PenaltyAction
    var target: Field?
    var duration: Duration
    /// The label of a `label(…)` penalty.
    var label: String?
}
