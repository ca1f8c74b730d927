import Foundation

/// The readable trace of one event's evaluation (`warden check --explain`).
public struct ExplainTrace: Sendable {
    public struct Line: Sendable {
        public var depth: Int
        public var text: String
        public var value: String
        public var holds: Bool?
        public var evidence: [String]
    }

    public struct RuleTrace: Sendable {
        public var name: String
        public var description: String?
        public var fired: Bool
        public var enforced: Bool
        public var score: Double
        public var lines: [Line]
    }

    public var eventSummary = ""
    public var inForce: [String] = []
    public var counters: [String] = []
    /// A redemption's place in the invite graph: root → … → the redeemer, with times and devices.
    public var invitePath: String?
    public var rules: [RuleTrace] = []
    public var skipped: [String] = []
    public var decideLines: [(text: String, holds: Bool)] = []
    public var verdict = ""
    public var scoreSum = ""

    /// The trace as text for a terminal.
    public var text: String {
        var out = ["event \(eventSummary)"]
        out.append("penalties in force: " + (inForce.isEmpty ? "none" : inForce.joined(separator: "; ")))
        if !counters.isEmpty {
            out.append("counters:")
            out += counters.map { "  " + $0 }
        }
        if let invitePath { out.append("invite path: " + invitePath) }
        for rule in rules {
            let state = rule.fired ? (rule.enforced ? "FIRED, score \(Value.number(rule.score).display)" : "fired in shadow, score \(Value.number(rule.score).display)") : "not fired"
            out.append("rule \(rule.name)" + (rule.description.map { " \"\($0)\"" } ?? "") + " — \(state)")
            for line in rule.lines {
                let mark = line.holds.map { $0 ? "✓" : "✗" } ?? "·"
                out.append(String(repeating: "  ", count: line.depth + 1) + "\(mark) \(line.text) → \(line.value)")
                for e in line.evidence { out.append(String(repeating: "  ", count: line.depth + 3) + e) }
            }
        }
        if !skipped.isEmpty { out.append("rules not run for this event type: " + skipped.joined(separator: ", ")) }
        out.append("score: \(scoreSum)")
        if decideLines.isEmpty { out.append("decide: no decide block") }
        for line in decideLines { out.append("decide: \(line.holds ? "✓" : "✗") \(line.text)") }
        out.append("verdict: \(verdict)")
        return out.joined(separator: "\n")
    }
}

extension ConditionNode {
    /// Evaluates every part on the event's context and records what it saw.
    func trace(_ ctx: EvaluationContext, depth: Int, into lines: inout [ExplainTrace.Line]) {
        let before = ctx.evidence.count
        let value = eval(ctx)
        let evidence = ctx.evidence[before...].map { Self.describe($0.completed()) }
        ctx.evidence.removeSubrange(before...)
        let holds: Bool? = if case .bool(let b) = value { b } else { nil }
        lines.append(ExplainTrace.Line(depth: depth, text: text, value: value.display, holds: holds, evidence: kind == .leaf ? evidence : []))
        for child in children { child.trace(ctx, depth: depth + 1, into: &lines) }
    }

    static func describe(_ e: Evidence) -> String {
        switch e.kind {
        case .keyword:
            return "hit \(e.list.map { $0 + ": " } ?? "")\(e.entry ?? "") at \(e.span.map { "[\($0.lowerBound),\($0.upperBound))" } ?? "?") in \(e.field ?? "text"): \"\(e.excerpt ?? "")\""
                + (e.via.map { " via " + $0.joined(separator: ", ") } ?? "")
        case .regex:
            return "match of \(e.pattern ?? "") at \(e.span.map { "[\($0.lowerBound),\($0.upperBound))" } ?? "?"): \"\(e.excerpt ?? "")\""
        case .count:
            let key = (e.key ?? []).map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
            return "counter \(e.window ?? "") [\(key)] = \(e.value.map { Value.number($0).display } ?? "null") against \(e.limit.map { Value.number($0).display } ?? "?")"
        case .penalty:
            return "penalty \(e.penalty?.action.rawValue ?? "") on \(e.penalty?.target ?? "")"
        case .invite:
            let path = (e.path ?? []).map { step in
                step.account + (step.joined.map { " " + Timestamp.format($0) } ?? "") + (step.device.map { " on \($0)" } ?? "")
            }
            var text = "\(e.builtin ?? "invite")(\(e.account ?? "")) = \(e.value.map { Value.number($0).display } ?? "true")"
            if let limit = e.limit { text += " against \(Value.number(limit).display)" }
            if let window = e.window { text += " within \(window)" }
            if !path.isEmpty { text += "; path " + path.joined(separator: " → ") }
            if let redeemers = e.redeemers, !redeemers.isEmpty {
                text += "; redeemers " + redeemers.map { r in r.account + (r.device.map { " on \($0)" } ?? "") }.joined(separator: ", ")
            }
            return text
        case .model:
            let phrases = (e.features ?? []).map { f in
                "\"\(f.text)\" [\(f.span.lowerBound),\(f.span.upperBound)) \(f.weight >= 0 ? "+" : "")\(String(format: "%.2f", f.weight))"
            }
            return "model \(e.model ?? "") on \(e.field ?? "text"): score \(String(format: "%.4f", e.score ?? 0))"
                + (phrases.isEmpty ? "" : "; pushed up by " + phrases.joined(separator: ", "))
        }
    }
}
