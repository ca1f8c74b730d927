/// The trace as one JSON object (`warden check --explain --format json`), for tools: every value
/// with its type, evidence as in decisions, and the decision itself.
extension ExplainTrace {
    public func write(to w: inout JSONWriter, firedOnly: Bool = false) {
        w.raw("{\"event\":{\"id\":")
        w.string(eventID)
        w.raw(",\"type\":")
        w.string(eventType)
        w.raw(",\"account\":")
        w.string(account)
        w.raw(",\"ts\":")
        w.string(Timestamp.format(time, zone: zone))
        w.raw("},\"in_force\":")
        w.strings(inForce)
        w.raw(",\"counters\":")
        w.strings(counters)
        if let invitePath {
            w.raw(",\"invite_path\":")
            w.string(invitePath)
        }
        w.raw(",\"rules\":[")
        for (k, rule) in (firedOnly ? rules.filter(\.fired) : rules).enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"rule\":")
            w.string(rule.name)
            if let description = rule.description {
                w.raw(",\"description\":")
                w.string(description)
            }
            w.raw(rule.fired ? ",\"fired\":true" : ",\"fired\":false")
            w.raw(rule.enforced ? ",\"enforced\":true" : ",\"enforced\":false")
            w.raw(",\"score\":")
            w.number(rule.score)
            w.raw(",\"parts\":[")
            for (n, line) in rule.lines.enumerated() {
                if n > 0 { w.raw(",") }
                w.raw("{\"depth\":")
                w.integer(line.depth)
                w.raw(",\"text\":")
                w.string(line.text)
                w.raw(",\"value\":")
                Self.write(line.value, to: &w)
                w.raw(",\"type\":")
                w.string(line.value.typeName)
                if !line.operands.isEmpty {
                    w.raw(",\"operands\":[")
                    for (m, operand) in line.operands.enumerated() {
                        if m > 0 { w.raw(",") }
                        w.raw("{\"text\":")
                        w.string(operand.text)
                        w.raw(",\"value\":")
                        Self.write(operand.value, to: &w)
                        w.raw(",\"type\":")
                        w.string(operand.value.typeName)
                        w.raw("}")
                    }
                    w.raw("]")
                }
                if !line.evidence.isEmpty {
                    w.raw(",\"evidence\":[")
                    for (m, e) in line.evidence.enumerated() {
                        if m > 0 { w.raw(",") }
                        Decision.write(e, to: &w)
                    }
                    w.raw("]")
                }
                w.raw("}")
            }
            w.raw("]}")
        }
        w.raw("],\"skipped\":")
        w.strings(skipped)
        w.raw(",\"score\":")
        w.string(scoreSum)
        w.raw(",\"decide\":[")
        for (k, line) in decideLines.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"line\":")
            w.string(line.text)
            w.raw(line.holds ? ",\"holds\":true}" : ",\"holds\":false}")
        }
        w.raw("],\"verdict\":")
        w.string(verdict)
        w.raw(",\"penalties_applied\":")
        w.strings(penaltyLines)
        if let decision {
            w.raw(",\"decision\":")
            decision.write(to: &w)
        }
        w.raw("}")
    }

    static func write(_ value: Value, to w: inout JSONWriter) {
        switch value {
        case .null: w.raw("null")
        case .bool(let b): w.raw(b ? "true" : "false")
        case .number(let n): w.number(n)
        case .string(let s): w.string(s)
        case .strings(let items): w.strings(items)
        }
    }
}
