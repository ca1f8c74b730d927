import Foundation

/// The trace of one event's evaluation (`warden check --explain`): data only;
/// `ExplainTrace+Text` and `ExplainTrace+JSON` render it.
public struct ExplainTrace: Sendable {
    /// A part of a leaf that is not a literal, with the value it had.
    public struct Operand: Sendable {
        public var text: String
        public var value: Value
    }

    public struct Line: Sendable {
        public var depth: Int
        public var text: String
        public var value: Value
        public var holds: Bool?
        public var operands: [Operand]
        public var evidence: [Evidence]
    }

    public struct RuleTrace: Sendable {
        public var name: String
        public var description: String?
        public var fired: Bool
        public var enforced: Bool
        public var score: Double
        public var lines: [Line]
    }

    public var eventID = ""
    public var eventType = ""
    public var account = ""
    public var time = 0.0
    /// The rule set's time zone: times show as its local time with the offset.
    public var zone: TimeZone?
    public var inForce: [String] = []
    public var counters: [String] = []
    /// A redemption's place in the invite graph: root → … → the redeemer, with times and devices.
    public var invitePath: String?
    public var rules: [RuleTrace] = []
    public var skipped: [String] = []
    public var decideLines: [(text: String, holds: Bool)] = []
    public var verdict = ""
    public var scoreSum = ""
    /// The decision the trace explains (its penalties, warnings and JSON).
    public var decision: Decision?

    public var eventSummary: String {
        "\(eventID) (\(eventType) from \(account) at \(Timestamp.format(time, zone: zone)))"
    }

    /// The penalties this event applied, one readable line each.
    public var penaltyLines: [String] {
        (decision?.penalties ?? []).map { p in
            var text = p.action.rawValue
            if let kind = p.targetKey, let value = p.targetValue { text += " on \(kind.rawValue) \(ExplainTrace.visible(value))" }
            if let end = PenaltyRecord.endText(until: p.until, forever: p.forever, zone: zone) {
                text += end == "forever" ? " forever" : " until " + end
            }
            text += " (rule \(p.rule)"
            if let offense = p.offense { text += ", offense \(offense)" }
            if let id = p.id { text += ", \(id)" }
            return text + ")"
        }
    }

    /// Characters a reader cannot see (zero-width, bidirectional controls, odd spaces, fillers),
    /// written as `\u{200B}`: 加\u{200B}威\u{200B}信 is not 加威信, and the trace must say so.
    public static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isInvisible) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if isInvisible(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isInvisible(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20: return false
        case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x034F, 0x2800: return true  // fillers, grapheme joiner, blank braille
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF: return true  // variation selectors
        default: break
        }
        switch c.properties.generalCategory {
        case .format, .control, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse: return true
        default: return false
        }
    }
}

extension Value {
    /// The value with its type, for operands: `null (absent)`, `"0" (string)`, `3 (number)`.
    public var typedDisplay: String {
        switch self {
        case .null: "null (absent)"
        case .bool(let b): "\(b) (bool)"
        case .number: "\(display) (number)"
        case .string(let s):
            ExplainTrace.visible(
                JSONWriter.quote(s.unicodeScalars.count > 80 ? String(String.UnicodeScalarView(s.unicodeScalars.prefix(80))) + "…" : s))
                + " (string, \(s.unicodeScalars.count) characters)"
        case .strings(let items): ExplainTrace.visible(display) + " (list of \(items.count))"
        }
    }

    /// The type's name in JSON traces.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .strings: "list"
        }
    }
}

extension ConditionNode {
    /// Evaluates every part on the event's context and records what it saw.
    func trace(_ ctx: EvaluationContext, depth: Int, into lines: inout [ExplainTrace.Line]) {
        let before = ctx.evidence.count
        let value = eval(ctx)
        let evidence = ctx.evidence[before...].map { $0.completed() }
        ctx.evidence.removeSubrange(before...)
        let operands = operands.map { ExplainTrace.Operand(text: $0.text, value: $0.eval(ctx)) }
        ctx.evidence.removeSubrange(before...)
        let holds: Bool? = if case .bool(let b) = value { b } else { nil }
        lines.append(
            ExplainTrace.Line(
                depth: depth, text: text, value: value, holds: holds, operands: kind == .leaf ? operands : [],
                evidence: kind == .leaf ? evidence : []))
        for child in children { child.trace(ctx, depth: depth + 1, into: &lines) }
    }
}
