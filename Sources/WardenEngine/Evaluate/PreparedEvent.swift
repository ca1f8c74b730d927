import WardenMatching
import WardenModels

/// An event with its text work done: keyword scans and regex prefilter results for every field
/// the rules read. Preparing needs no engine state, so an audit prepares events on every core
/// and only the stateful evaluation runs in event-time order.
package struct PreparedEvent: Sendable {
    package let event: Event
    let scans: [[[KeywordHit]]?]
    let candidates: [[Bool]?]
    let normalized: [String?]
    /// Model scores per `ModelSlot`, for the (model, field) pairs the rules classify.
    let modelScores: [Double?]
}

extension Engine {
    /// Scans the event's text fields; safe to call from many threads at once.
    package func prepare(_ event: Event) -> PreparedEvent {
        var scans = [[[KeywordHit]]?](repeating: nil, count: Field.allCases.count)
        var candidates = [[Bool]?](repeating: nil, count: TextSlot.count)
        var normalized = [String?](repeating: nil, count: Field.allCases.count)
        for field in ruleSet.scannedFields {
            if case .string(let text) = field.value(of: event, now: 0) { scans[field.rawValue] = ruleSet.matcher.scan(text) }
        }
        for slot in 0..<TextSlot.count {
            guard let prefilter = ruleSet.regexPrefilters[slot] else { continue }
            let field = TextSlot.field(slot)
            guard case .string(let raw) = field.value(of: event, now: 0) else { continue }
            var text = raw
            if TextSlot.isNormalized(slot) {
                let folded = normalized[field.rawValue] ?? EvaluationContext.folder.foldedString(raw)
                normalized[field.rawValue] = folded
                text = folded
            }
            candidates[slot] = prefilter.candidates(in: text)
        }
        var modelScores = [Double?](repeating: nil, count: ModelSlot.count(models: ruleSet.models.count))
        for slot in ruleSet.classifiedSlots {
            if case .string(let text) = ModelSlot.field(slot).value(of: event, now: 0) {
                modelScores[slot] = ruleSet.models[ModelSlot.model(slot)].model.probability(text)
            }
        }
        return PreparedEvent(event: event, scans: scans, candidates: candidates, normalized: normalized, modelScores: modelScores)
    }

    /// Decides a prepared event; the same as `check(prepared.event, …)`, minus the text work.
    package func check(_ prepared: PreparedEvent, now: Double, commit: Bool = true) -> Decision {
        state.evaluate(prepared.event, ruleSet: ruleSet, now: now, commit: commit, prepared: prepared)
    }
}
