import WardenMatching
import WardenModels

/// The state of one event's evaluation: the event, cached keyword scans, which rules fired,
/// and the evidence gathered by the rule being evaluated.
///
/// Used by one evaluation at a time: an engine keeps a few in a pool (`ContextPool`) and
/// `reset`s one for each event, so the arrays below are allocated once, not once per event.
///
/// Its stored properties are `@exclusivity(unchecked)`: every compiled closure reads and writes
/// them, and Swift's run-time exclusivity checks around those accesses were 6-8% of an event's
/// instructions (callgrind). One evaluation owns a context at a time, so no two accesses overlap.
/// (An attribute, not `-enforce-exclusivity=unchecked`: SwiftPM refuses unsafe flags in a
/// package that others depend on by version.)
final class EvaluationContext: @unchecked Sendable {
    @exclusivity(unchecked) private(set) var event: Event
    @exclusivity(unchecked) private(set) var matcher: KeywordMatcher
    /// Event time in seconds (the event's `ts`, or the checker's clock).
    @exclusivity(unchecked) private(set) var now: Double
    /// Keyword hits per text field slot, scanned on first use.
    @exclusivity(unchecked) var scans: [[[KeywordHit]]?]
    @exclusivity(unchecked) private var originals: [[Unicode.Scalar]?]
    @exclusivity(unchecked) var fired: [Bool]
    @exclusivity(unchecked) var evidence: [Evidence] = []
    /// False while a rule's cheap-first test runs: only the answer counts, and evidence comes
    /// from the evaluation in source order that follows a test that holds.
    @exclusivity(unchecked) var collectsEvidence = true
    @exclusivity(unchecked) var warnings: [String] = []
    /// The counter backend failed for this event: counter values are not real.
    @exclusivity(unchecked) var stateUnavailable = false
    /// When the event's penalties start and which are in force: its time, or the clock when
    /// the event is ahead of it.
    @exclusivity(unchecked) var penaltyTime = 0.0
    /// Why a penalty of this event was not stored, if one was not.
    @exclusivity(unchecked) var ledgerFailure: String?
    /// Ids of the penalties `active(…)` found in force (a deferred ledger's answer must know
    /// what it relied on: `DeferredDurability`).
    @exclusivity(unchecked) var penaltiesRead: [String] = []
    /// The enforced score, readable in `decide`.
    @exclusivity(unchecked) var score: Double = 0
    /// The rule being evaluated (its `index` among `rules`), for warnings: an index, so that
    /// moving from rule to rule touches no reference count.
    @exclusivity(unchecked) var ruleIndex = -1
    @exclusivity(unchecked) var rules: [CompiledRuleSet.Rule] = []
    var ruleName: String { rules.first { $0.index == ruleIndex }?.name ?? "" }
    /// Each counter's value for this event (null when its key is null), and its key: the key
    /// values joined by U+001F, as the store keeps them.
    @exclusivity(unchecked) var counterValues: [Value]
    @exclusivity(unchecked) var counterKeys: [String]
    @exclusivity(unchecked) var counterSpecs: [CounterSpec]
    /// The event's counter operations and their values, buffers kept from event to event.
    @exclusivity(unchecked) var counterOperations: [CounterOperation] = []
    @exclusivity(unchecked) var counterResults: [Double] = []
    @exclusivity(unchecked) var ledger: (any PenaltyLedger)?
    /// Labels (`has_label`) and live lists: the review loop's store, when the state has one.
    @exclusivity(unchecked) var review: (any ReviewStore)?
    /// Entries added to live lists, matched beside the rule set's own (nil: no live list).
    @exclusivity(unchecked) var live: LiveLists.Snapshot?
    /// Enforced rules that held and have penalties, in rule order: what the commit stage writes
    /// (a buffer kept from event to event).
    @exclusivity(unchecked) var penalized: [CompiledRuleSet.Rule] = []
    /// The invite graph and this event's change to it (its redemption's edge, its issue).
    @exclusivity(unchecked) var invites: InviteGraph?
    @exclusivity(unchecked) var inviteChange: InviteChange?
    @exclusivity(unchecked) var regexPrefilters: [RegexPrefilter?] = []
    @exclusivity(unchecked) var regexCandidates: [[Bool]?] = Array(repeating: nil, count: TextSlot.count)
    /// Folded texts and fingerprints per field, computed on first use.
    @exclusivity(unchecked) var normalizedTexts: [String?] = Array(repeating: nil, count: Field.allCases.count)
    @exclusivity(unchecked) var fingerprints: [String?] = Array(repeating: nil, count: Field.allCases.count)
    /// Per text slot, the text as shown when it holds a right-to-left override (`.some(nil)`:
    /// it holds none), computed on first use.
    @exclusivity(unchecked) var displays: [DisplayPositions??] = Array(repeating: nil, count: TextSlot.count)
    static let folder = Normalizer(options: FoldOptions.all.textFolds)
    /// Model scores per (model, field) slot (`ModelSlot`), computed on first use; sized by the
    /// evaluation for the rule set's models.
    @exclusivity(unchecked) var modelScores: [Double?] = []
    /// PCRE2 match data shared by every `matches` of this event (one allocation, not one per pattern).
    lazy var matchScratch: MatchScratch? = try? MatchScratch()

    init(event: Event, matcher: KeywordMatcher, now: Double, ruleCount: Int, counters: [CounterSpec] = []) {
        self.counterSpecs = counters
        self.counterValues = Array(repeating: .null, count: counters.count)
        self.counterKeys = Array(repeating: "", count: counters.count)
        self.event = event
        self.matcher = matcher
        self.now = now
        self.scans = Array(repeating: nil, count: Field.allCases.count)
        self.originals = Array(repeating: nil, count: Field.allCases.count)
        self.fired = Array(repeating: false, count: ruleCount)
    }

    /// Makes the context ready for another event, keeping every array's storage.
    func reset(event: Event, matcher: KeywordMatcher, now: Double, ruleCount: Int, counters: [CounterSpec], prepared: PreparedEvent? = nil)
    {
        self.event = event
        self.matcher = matcher
        self.now = now
        Self.clear(&scans, count: Field.allCases.count)
        Self.clear(&regexCandidates, count: TextSlot.count)
        Self.clear(&normalizedTexts, count: Field.allCases.count)
        if let prepared { adopt(prepared) }
        Self.clear(&originals, count: Field.allCases.count)
        Self.clear(&displays, count: TextSlot.count)
        Self.refill(&fired, with: false, count: ruleCount)
        evidence.removeAll(keepingCapacity: true)
        warnings.removeAll(keepingCapacity: true)
        stateUnavailable = false
        ledgerFailure = nil
        if !penaltiesRead.isEmpty { penaltiesRead.removeAll(keepingCapacity: true) }
        collectsEvidence = true
        score = 0
        ruleIndex = -1
        Self.refill(&counterValues, with: .null, count: counters.count)
        Self.refill(&counterKeys, with: "", count: counters.count)
        counterSpecs = counters
        ledger = nil
        review = nil
        live = nil
        if !penalized.isEmpty { penalized.removeAll(keepingCapacity: true) }
        invites = nil
        inviteChange = nil
        regexPrefilters = []
        Self.clear(&fingerprints, count: Field.allCases.count)
        modelScores.removeAll(keepingCapacity: true)
    }

    /// The rule set's prefilters and model slots, with the prepared event's model scores: what
    /// rules read besides the event, whether judged in order or ahead.
    func readRules(of ruleSet: CompiledRuleSet, prepared: PreparedEvent?) {
        regexPrefilters = ruleSet.regexPrefilters
        if !ruleSet.models.isEmpty { modelScores = Array(repeating: nil, count: ModelSlot.count(models: ruleSet.models.count)) }
        if let prepared, !prepared.modelScores.isEmpty { modelScores = prepared.modelScores }
    }

    /// Takes the prepared event's text work into the caches (cleared, or new).
    func adopt(_ prepared: PreparedEvent) {
        for (field, hits) in prepared.scans { scans[field] = hits }
        for (slot, patterns) in prepared.candidates { regexCandidates[slot] = patterns }
        for (field, text) in prepared.normalized { normalizedTexts[field] = text }
    }

    /// Sets every entry to nil, writing only those that are not: most caches of an event stay
    /// empty, and assigning nil to an empty entry still calls the runtime to release it.
    private static func clear<W>(_ array: inout [W?], count: Int) {
        guard array.count == count else {
            array = Array(repeating: nil, count: count)
            return
        }
        for i in array.indices where array[i] != nil { array[i] = nil }
    }

    private static func refill<T>(_ array: inout [T], with value: T, count: Int) {
        if array.count == count {
            for i in array.indices { array[i] = value }
        } else {
            array = Array(repeating: value, count: count)
        }
    }

    /// All list hits in a field, scanned once per event whatever the number of rules that ask.
    func hits(in field: Field) -> [[KeywordHit]]? {
        if let cached = scans[field.rawValue] { return cached }
        guard case .string(let text) = field.value(of: event, now: now) else { return nil }
        var result = matcher.scan(text)
        if let live { live.scan(text, into: &result) }
        scans[field.rawValue] = result
        return result
    }

    /// The text of a slot: a field, or its folded form.
    func text(_ slot: Int) -> String? {
        let field = TextSlot.field(slot)
        return TextSlot.isNormalized(slot) ? normalized(field) : field.value(of: event, now: now).string
    }

    /// A raw text slot as shown, when it holds a right-to-left override: patterns on `text` are
    /// tried on it too (`‮nc.t‬` is shown, and clicked, as t.cn). Folded slots are folded in
    /// display order already.
    func display(_ slot: Int) -> DisplayPositions? {
        if let cached = displays[slot] { return cached }
        var shown: DisplayPositions?
        if !TextSlot.isNormalized(slot), let text = text(slot), DisplayPositions.holdsOverride(text) {
            shown = DisplayPositions(Array(text.unicodeScalars))
        }
        displays[slot] = .some(shown)
        return shown
    }

    /// An address parsed from text, remembering the last one: an event's `ip` is asked for by
    /// several rules (`in` a network list, `subnet`), and parsing it is not free.
    func address(_ text: String) -> IPAddress? {
        if text == lastAddress.text { return lastAddress.address }
        let parsed = IPAddress(text)
        lastAddress = (text, parsed)
        return parsed
    }

    @exclusivity(unchecked) private var lastAddress: (text: String, address: IPAddress?) = ("", nil)

    func normalized(_ field: Field) -> String? {
        if let cached = normalizedTexts[field.rawValue] { return cached }
        guard case .string(let text) = field.value(of: event, now: now) else { return nil }
        let folded = Self.folder.foldedString(text)
        normalizedTexts[field.rawValue] = folded
        return folded
    }

    func fingerprint(_ field: Field) -> String? {
        if let cached = fingerprints[field.rawValue] { return cached }
        guard let folded = normalized(field) else { return nil }
        let value = Self.fingerprint(folded)
        fingerprints[field.rawValue] = value
        return value
    }

    /// 16 hex digits of FNV-1a over the folded text's UTF-8.
    static func fingerprint(_ folded: String) -> String {
        let hash = FNV1a.hash(folded.utf8)
        return String(unsafeUninitializedCapacity: 16) { out in
            let digits: StaticString = "0123456789abcdef"
            for i in 0..<16 { out[i] = digits.utf8Start[Int(hash >> UInt64(60 - 4 * i) & 0xF)] }
            return 16
        }
    }

    /// A model's calibrated score of a field, computed once per event whatever the number of
    /// rules that ask, with the evidence that explains it.
    func classify(_ model: TextModel, name: String, slot: Int, field: Field) -> Value {
        guard case .string(let text) = field.value(of: event, now: now) else { return .null }
        let score: Double
        if let cached = modelScores[slot] {
            score = cached
        } else {
            score = model.probability(text)
            modelScores[slot] = score
        }
        if collectsEvidence { evidence.append(Self.modelEvidence(model, name: name, field: field.name, text: text, score: score)) }
        return .number(score)
    }

    static func modelEvidence(_ model: TextModel, name: String, field: String?, text: String, score: Double) -> Evidence {
        var e = Evidence(kind: .model, field: field)
        e.model = name
        e.score = score
        e.explainer = (model, text)
        return e
    }

    /// Whether pattern `index` of a text slot's prefilter can match this event (scanned once).
    func regexCandidate(_ slot: Int, _ index: Int) -> Bool {
        if let cached = regexCandidates[slot] { return cached[index] }
        guard slot < regexPrefilters.count, let prefilter = regexPrefilters[slot], let text = text(slot) else { return true }
        let candidates = prefilter.candidates(in: text)
        regexCandidates[slot] = candidates
        return candidates[index]
    }

    /// Evidence for a counter that crossed a limit.
    func counterEvidence(_ i: Int, limit: Double?) -> Evidence {
        var e = Evidence(kind: .count)
        e.value = counterValues[i].number
        e.limit = limit
        e.key = Array(zip(counterSpecs[i].keyNames, counterKeyParts(i)))
        switch counterSpecs[i].window {
        case .rolling: e.window = "within " + counterSpecs[i].window.label
        case .calendar(let period, _): e.window = "per " + period
        }
        return e
    }

    /// The key values of counter `i` for this event.
    func counterKeyParts(_ i: Int) -> [String] {
        counterKeys[i].split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }

    func scalars(of field: Field) -> [Unicode.Scalar] {
        if let cached = originals[field.rawValue] { return cached }
        let s: [Unicode.Scalar] = if case .string(let text) = field.value(of: event, now: now) { text.scalarArray } else { [] }
        originals[field.rawValue] = s
        return s
    }
}
