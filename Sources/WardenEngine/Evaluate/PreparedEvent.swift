import WardenMatching
import WardenModels

/// An event with its text work done: keyword scans and regex prefilter results for every field
/// the rules read. Preparing needs no engine state, so an audit prepares events on every core
/// and only the stateful evaluation runs in event-time order.
package struct PreparedEvent: Sendable {
    package let event: Event
    /// Only the fields and slots that were worked on, by index (`Field.rawValue`, text slot):
    /// an array per cache sized for every field would be allocated and freed, element by
    /// element, for every event, and an event's rules read one or two.
    let scans: [(field: Int, hits: [[KeywordHit]])]
    let candidates: [(slot: Int, patterns: [Bool])]
    let normalized: [(field: Int, text: String)]
    /// Model scores per `ModelSlot`, for the (model, field) pairs the rules classify.
    let modelScores: [Double?]
    /// The stateless rules of the event's kind, judged ahead (nil: not judged, evaluate them
    /// all in order): only those that held or warned, in the order the rules are evaluated.
    var outcomes: [RuleOutcome]?
}

/// What a rule that reads only the event concluded, judged on a reader thread.
struct RuleOutcome: Sendable {
    let index: Int
    let holds: Bool
    let score: Double
    /// Completed, as a fired rule keeps it.
    let evidence: [Evidence]
    let warnings: [String]
}

extension Engine {
    /// Scans the event's text fields and, with `judgingAhead`, judges the rules that read only
    /// the event (`PreparedEvent.outcomes`); safe to call from many threads at once. Either way
    /// `check(_:now:)` decides the same: judging ahead moves work off the evaluation in order,
    /// which an audit wants while that is its slowest stage.
    package func prepare(_ event: Event, judgingAhead: Bool = true) -> PreparedEvent {
        var scans: [(field: Int, hits: [[KeywordHit]])] = []
        var candidates: [(slot: Int, patterns: [Bool])] = []
        var normalized: [(field: Int, text: String)] = []
        for field in ruleSet.scannedFields {
            if case .string(let text) = field.value(of: event, now: 0) { scans.append((field.rawValue, ruleSet.matcher.scan(text))) }
        }
        for slot in 0..<TextSlot.count {
            guard let prefilter = ruleSet.regexPrefilters[slot] else { continue }
            let field = TextSlot.field(slot)
            guard case .string(let raw) = field.value(of: event, now: 0) else { continue }
            var text = raw
            if TextSlot.isNormalized(slot) {
                if let done = normalized.first(where: { $0.field == field.rawValue }) {
                    text = done.text
                } else {
                    text = EvaluationContext.folder.foldedString(raw)
                    normalized.append((field.rawValue, text))
                }
            }
            candidates.append((slot, prefilter.candidates(in: text)))
        }
        var modelScores: [Double?] = []
        if !ruleSet.classifiedSlots.isEmpty {
            modelScores = [Double?](repeating: nil, count: ModelSlot.count(models: ruleSet.models.count))
            for slot in ruleSet.classifiedSlots {
                if case .string(let text) = ModelSlot.field(slot).value(of: event, now: 0) {
                    modelScores[slot] = ruleSet.models[ModelSlot.model(slot)].model.probability(text)
                }
            }
        }
        var prepared = PreparedEvent(event: event, scans: scans, candidates: candidates, normalized: normalized, modelScores: modelScores)
        if judgingAhead, judgedAhead & event.type.bit != 0, let ts = event.ts {
            prepared.outcomes = state.judgeAhead(prepared, at: ts, ruleSet: ruleSet)
        }
        return prepared
    }

    /// Decides a prepared event; the same as `check(prepared.event, …)`, minus the text work.
    package func check(_ prepared: PreparedEvent, now: Double, commit: Bool = true) -> Decision {
        state.evaluate(prepared.event, ruleSet: ruleSet, now: now, commit: commit, prepared: prepared)
    }
}
