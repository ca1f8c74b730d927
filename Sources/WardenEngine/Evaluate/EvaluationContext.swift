import WardenMatching

/// The state of one event's evaluation: the event, cached keyword scans, which rules fired,
/// and the evidence gathered by the rule being evaluated.
///
/// One per event, used by one thread; never shared.
final class EvaluationContext {
    let event: Event
    let matcher: KeywordMatcher
    /// Event time in seconds (the event's `ts`, or the checker's clock).
    let now: Double
    /// Keyword hits per text field slot, scanned on first use.
    var scans: [[[KeywordHit]]?]
    private var originals: [[Unicode.Scalar]?]
    var fired: [Bool]
    var evidence: [Evidence] = []
    var warnings: [String] = []
    /// The enforced score, readable in `decide`.
    var score: Double = 0
    /// The rule being evaluated, for warnings.
    var ruleName = ""
    /// Each counter's value for this event (null when its key is null), and its key values.
    var counterValues: [Value]
    var counterKeys: [[String]]
    var counterSpecs: [CounterSpec]
    var ledger: (any PenaltyLedger)?
    var regexPrefilters: [RegexPrefilter?] = []
    var regexCandidates: [[Bool]?] = Array(repeating: nil, count: Field.allCases.count)

    init(event: Event, matcher: KeywordMatcher, now: Double, ruleCount: Int, counters: [CounterSpec] = []) {
        self.counterSpecs = counters
        self.counterValues = Array(repeating: .null, count: counters.count)
        self.counterKeys = Array(repeating: [], count: counters.count)
        self.event = event
        self.matcher = matcher
        self.now = now
        self.scans = Array(repeating: nil, count: Field.allCases.count)
        self.originals = Array(repeating: nil, count: Field.allCases.count)
        self.fired = Array(repeating: false, count: ruleCount)
    }

    /// All list hits in a field, scanned once per event whatever the number of rules that ask.
    func hits(in field: Field) -> [[KeywordHit]]? {
        if let cached = scans[field.rawValue] { return cached }
        guard case .string(let text) = field.value(of: event, now: now) else { return nil }
        let result = matcher.scan(text)
        scans[field.rawValue] = result
        return result
    }

    /// Whether pattern `slot` of `field`'s prefilter can match this event's field (scanned once).
    func regexCandidate(_ field: Field, _ slot: Int) -> Bool {
        if let cached = regexCandidates[field.rawValue] { return cached[slot] }
        guard field.rawValue < regexPrefilters.count, let prefilter = regexPrefilters[field.rawValue],
            case .string(let text) = field.value(of: event, now: now)
        else { return true }
        let candidates = prefilter.candidates(in: text)
        regexCandidates[field.rawValue] = candidates
        return candidates[slot]
    }

    /// Evidence for a counter that crossed a limit.
    func counterEvidence(_ i: Int, limit: Double?) -> Evidence {
        var e = Evidence(kind: .count)
        e.value = counterValues[i].number
        e.limit = limit
        e.key = Array(zip(counterSpecs[i].keyNames, counterKeys[i]))
        switch counterSpecs[i].window {
        case .rolling: e.window = "within " + counterSpecs[i].window.label
        case .calendar(let period, _): e.window = "per " + period
        }
        return e
    }

    func scalars(of field: Field) -> [Unicode.Scalar] {
        if let cached = originals[field.rawValue] { return cached }
        let s: [Unicode.Scalar] = if case .string(let text) = field.value(of: event, now: now) { Array(text.unicodeScalars) } else { [] }
        originals[field.rawValue] = s
        return s
    }
}
