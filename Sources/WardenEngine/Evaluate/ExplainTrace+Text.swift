import Foundation

/// The trace as text for a terminal.
extension ExplainTrace {
    public struct TextOptions: Sendable {
        /// Only the rules that fired (in force or in shadow); the score, decide and verdict stay.
        public var firedOnly = false
        /// ANSI colours: ✓ green, ✗ red, fired rules bold, matches underlined.
        public var color = false

        public init(firedOnly: Bool = false, color: Bool = false) {
            self.firedOnly = firedOnly
            self.color = color
        }
    }

    public var text: String { text(TextOptions()) }

    public func text(_ options: TextOptions) -> String {
        let paint = Paint(on: options.color)
        var out = ["event \(ExplainTrace.visible(eventSummary))"]
        out.append("penalties in force: " + (inForce.isEmpty ? "none" : inForce.joined(separator: "; ")))
        if !counters.isEmpty {
            out.append("counters:")
            out += counters.map { "  " + $0 }
        }
        if let invitePath { out.append("invite path: " + invitePath) }
        let shown = options.firedOnly ? rules.filter(\.fired) : rules
        // A field's text is shown once, here, rather than under every part that reads it; an
        // absent field, a number or a computed value (len(text), normalize(text)) stays inline.
        var fields: [(String, Value)] = []
        for operand in shown.flatMap({ $0.lines.flatMap(\.operands) }) where Self.isField(operand.text) {
            if case .string = operand.value, !fields.contains(where: { $0.0 == operand.text }) {
                fields.append((operand.text, operand.value))
            }
        }
        if !fields.isEmpty {
            out.append("fields:")
            out += fields.map { "  \($0.0) = \($0.1.typedDisplay)" }
        }
        for rule in shown {
            let state =
                rule.fired
                ? paint.bold((rule.enforced ? "FIRED" : "fired in shadow") + ", score \(Value.number(rule.score).display)")
                : "not fired"
            out.append("rule \(paint.bold(rule.name))" + (rule.description.map { " \"\($0)\"" } ?? "") + " — \(state)")
            for line in rule.lines {
                let mark = line.holds.map { $0 ? paint.green("✓") : paint.red("✗") } ?? "·"
                let indent = String(repeating: "  ", count: line.depth + 1)
                out.append(indent + "\(mark) \(ExplainTrace.visible(line.text)) → \(ExplainTrace.visible(line.value.display))")
                for operand in line.operands where !fields.contains(where: { $0.0 == operand.text }) {
                    out.append(indent + "    \(ExplainTrace.visible(operand.text)) = \(operand.value.typedDisplay)")
                }
                for e in line.evidence { out.append(indent + "    " + Self.describe(e, zone: zone, paint: paint)) }
            }
        }
        if options.firedOnly {
            let quiet = rules.count - shown.count
            if quiet > 0 { out.append("(\(quiet) rule\(quiet == 1 ? "" : "s") not fired)") }
        } else if !skipped.isEmpty {
            out.append("rules not run for this event type: " + skipped.joined(separator: ", "))
        }
        out.append("score: \(scoreSum)")
        if decideLines.isEmpty { out.append("decide: no decide block") }
        for line in decideLines { out.append("decide: \(line.holds ? paint.green("✓") : paint.red("✗")) \(line.text)") }
        let applied = penaltyLines
        if applied.isEmpty {
            out.append("penalties applied: none")
        } else {
            out.append("penalties applied:")
            out += applied.map { "  " + $0 }
        }
        for warning in decision?.warnings ?? [] { out.append("warning: " + warning) }
        out.append("verdict: \(paint.bold(verdict))")
        return out.joined(separator: "\n")
    }

    /// `text`, `code`, `attrs.amount`: an event field as written, not a computation.
    static func isField(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || $0 == "." || ("0"..."9").contains($0) }
    }

    /// One piece of evidence in a line; the match marked «so» in its excerpt.
    static func describe(_ e: Evidence, zone: TimeZone?, paint: Paint) -> String {
        func excerpt() -> String {
            guard let excerpt = e.excerpt else { return "" }
            guard let span = e.span else { return visible(excerpt) }
            let parts = Evidence.split(excerpt: excerpt, span: span)
            return visible(parts.before) + paint.match(visible(parts.match)) + visible(parts.after)
        }
        let at = e.span.map { "[\($0.lowerBound),\($0.upperBound))" } ?? "?"
        switch e.kind {
        case .keyword:
            return "hit \(e.list.map { $0 + ": " } ?? "")\(visible(e.entry ?? "")) at \(at) in \(e.field ?? "text"): \(excerpt())"
                + (e.via.map { " via " + $0.joined(separator: ", ") } ?? " (as written)")
        case .regex:
            return "match of \(e.pattern ?? "") at \(at) in \(e.field ?? "text"): \(excerpt())"
        case .count:
            let key = (e.key ?? []).map { "\($0.0)=\(visible($0.1))" }.joined(separator: ", ")
            return
                "counter \(e.window ?? "") [\(key)] = \(e.value.map { Value.number($0).display } ?? "null") against \(e.limit.map { Value.number($0).display } ?? "?")"
        case .penalty:
            return "penalty \(e.penalty?.action.rawValue ?? "") on \(e.penalty?.target ?? "")"
        case .invite:
            let path = (e.path ?? []).map { step in
                step.account + (step.joined.map { " " + Timestamp.format($0, zone: zone) } ?? "") + (step.device.map { " on \($0)" } ?? "")
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
                "\"\(visible(f.text))\" [\(f.span.lowerBound),\(f.span.upperBound)) \(f.weight >= 0 ? "+" : "")\(String(format: "%.2f", f.weight))"
            }
            return "model \(e.model ?? "") on \(e.field ?? "text"): score \(String(format: "%.4f", e.score ?? 0))"
                + (phrases.isEmpty ? "" : "; pushed up by " + phrases.joined(separator: ", "))
        }
    }

    /// ANSI styles, or plain text with the match in «».
    struct Paint {
        var on: Bool
        func green(_ s: String) -> String { on ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
        func red(_ s: String) -> String { on ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
        func bold(_ s: String) -> String { on ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
        func match(_ s: String) -> String { on ? "\u{1B}[4;33m\(s)\u{1B}[0m" : "«\(s)»" }
    }
}
