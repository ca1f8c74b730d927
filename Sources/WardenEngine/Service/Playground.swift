import Foundation
import WardenLanguage

/// The playground's sandbox (`POST /v1/playground` on `warden serve --playground`): rules and
/// events typed in a page, compiled and decided apart from the live rule set and its state.
///
/// The rules compile with the limits of a reload (the same loader limits on list and model
/// files, which resolve against the live rule set's directory, read-only), into a fresh engine
/// with in-memory state that is dropped after the answer: nothing typed here reaches the
/// running engine, its counters or its ledger.
package enum Playground {
    /// The largest rules text taken, as for a rules file on disk.
    package static let maxRulesBytes = RuleSetLoader.maxFileBytes
    /// Events decided in one request (counters need a few to say anything).
    package static let maxEvents = 1000
    /// Seconds of work one request may take (compiling and deciding): the events left when it
    /// runs out are not decided, and the answer says so. Backtracking patterns under their match
    /// limits can still take a while per event; 300 of them over 100 events ran 83 s.
    package static let budget = 5.0

    package struct Request: Sendable {
        package var rules: String
        package var events: [Event]
    }

    /// Reads `{"rules": "…", "event": {…}}` or `{"rules": "…", "events": [{…}, …]}`; an error
    /// names the key (and the event's index).
    package static func request(from value: JSONValue) throws(EventError) -> Request {
        guard case .string(let rules)? = value["rules"] else {
            throw EventError(key: "rules", message: "'rules' must be the rules text, a string")
        }
        guard rules.utf8.count <= maxRulesBytes else {
            throw EventError(key: "rules", message: "rules text of \(rules.utf8.count) bytes; the limit is \(maxRulesBytes)")
        }
        let decoder = EventDecoder()
        var events: [Event] = []
        /// Typed events need no id: `playground-N` is given to those without one.
        func identified(_ item: JSONValue, _ k: Int) -> JSONValue {
            guard case .object(let pairs) = item, item["id"] == nil else { return item }
            return .object([("id", .string("playground-\(k + 1)"))] + pairs)
        }
        if let single = value["event"] {
            events.append(try decoder.decode(identified(single, 0)).event)
        } else if case .array(let items)? = value["events"] {
            guard items.count <= maxEvents else { throw EventError(key: "events", message: "at most \(maxEvents) events") }
            for (k, item) in items.enumerated() {
                do throws(EventError) {
                    events.append(try decoder.decode(identified(item, k)).event)
                } catch {
                    throw EventError(key: error.key, message: "events[\(k)]: \(error.message)")
                }
            }
        } else {
            throw EventError(key: "event", message: "give 'event' (one event) or 'events' (a list)")
        }
        return Request(rules: rules, events: events)
    }

    /// Compiles and decides; the answer as JSON: `diagnostics`, then (when the rules compile)
    /// `decisions`, the last event's `explain` text and `trace`, and `highlights` (evidence
    /// spans in the last event's text fields, in Unicode scalars).
    package static func run(_ request: Request, files: [String: [UInt8]], now: Double, budget: Double = Playground.budget) -> String {
        let started = StateDeadline.now()
        // A file beside the live rule set's own, so `file("lists/…")` resolves to its lists.
        let (ruleSet, diagnostics) = Compiler.compile(source: request.rules, besideFiles: files)
        var w = JSONWriter(capacity: 4096)
        w.raw("{\"ok\":")
        w.raw(ruleSet == nil ? "false" : "true")
        w.raw(",\"diagnostics\":")
        w.value(.array(diagnostics.map(\.jsonValue)))
        guard let ruleSet else {
            w.raw("}")
            return w.output
        }
        // A clock at the events' time: typed events may be dated anywhere.
        let latest = request.events.compactMap(\.ts).max() ?? now
        let engine = Engine(ruleSet: ruleSet, maxCounterKeys: 100_000, clock: { max(latest, now) })
        var decisions: [Decision] = []
        var trace: ExplainTrace?
        var stopped: String?
        for (k, event) in request.events.enumerated() {
            if StateDeadline.now() - started > budget {
                stopped =
                    "the playground's \(Int(budget)) s budget ran out after \(k) of \(request.events.count) events; the rest were not decided"
                break
            }
            if k == request.events.count - 1 {
                let (decision, last) = engine.explain(event, now: now)
                decisions.append(decision)
                trace = last
            } else {
                decisions.append(engine.check(event, now: now))
            }
        }
        w.raw(",\"decisions\":[")
        for (k, decision) in decisions.enumerated() {
            if k > 0 { w.raw(",") }
            decision.write(to: &w)
        }
        w.raw("]")
        if let stopped {
            w.raw(",\"stopped\":")
            w.string(stopped)
        }
        if let trace {
            w.raw(",\"explain\":")
            w.string(trace.text)
            w.raw(",\"trace\":")
            trace.write(to: &w)
            w.raw(",\"highlights\":")
            w.value(.array(highlights(trace)))
        }
        w.raw("}")
        return w.output
    }

    /// The spans of the evidence of the rules that fired, one per field and span.
    static func highlights(_ trace: ExplainTrace) -> [JSONValue] {
        var seen = Set<String>()
        var out: [JSONValue] = []
        for rule in trace.rules where rule.fired {
            for line in rule.lines {
                for e in line.evidence {
                    let spans: [(Range<Int>, String)] =
                        switch e.kind {
                        case .keyword: e.span.map { [($0, (e.list.map { $0 + ": " } ?? "") + (e.entry ?? ""))] } ?? []
                        case .regex: e.span.map { [($0, e.pattern ?? "regex")] } ?? []
                        case .model: (e.features ?? []).map { ($0.span, "\(e.model ?? "model"): \($0.text)") }
                        default: []
                        }
                    for (span, label) in spans {
                        let field = e.field ?? "text"
                        guard seen.insert("\(field):\(span.lowerBound):\(span.upperBound):\(rule.name)").inserted else { continue }
                        out.append(
                            .object([
                                ("field", .string(field)), ("start", .number(Double(span.lowerBound))),
                                ("end", .number(Double(span.upperBound))),
                                ("kind", .string(e.kind.rawValue)), ("rule", .string(rule.name)), ("label", .string(label)),
                            ]))
                    }
                }
            }
        }
        return out
    }
}
