import WardenLanguage

extension Compiler {
    /// Turns each `test` block's steps into event templates; bad values are reported where written.
    func compileTests() -> [CompiledTest] {
        syntax.tests.map { test in
            var steps: [CompiledTest.Step] = []
            for step in test.steps {
                switch step {
                case .after(let d): steps.append(.after(seconds: d.value))
                case .event(let s):
                    guard let (event, fixed) = eventTemplate(s, index: steps.count) else { continue }
                    let loc = s.range.start
                    steps.append(
                        .event(
                            CompiledTest.EventStepPlan(
                                template: event, fixedTime: fixed, repeatCount: max(1, s.repeatCount?.value ?? 1), every: s.every?.value,
                                expectations: s.expectations, location: "\(s.range.file.path):\(loc.line)")))
                }
            }
            let loc = test.name.range.start
            return CompiledTest(
                name: test.name.value, location: "\(test.name.range.file.path):\(loc.line)", steps: steps, withoutModels: test.withoutModels
            )
        }
    }

    private func eventTemplate(_ step: EventStep, index: Int) -> (Event, Bool)? {
        guard let type = Event.Kind(rawValue: step.type.value) else { return nil }
        var event = Event(id: "step\(index + 1)", type: type, account: "")
        var fixed = false
        for field in step.fields {
            let v = field.value
            func string() -> String? {
                if case .string(let s) = v.kind { return s }
                error(.typeMismatch, "'\(field.key)' takes a string", v.range)
                return nil
            }
            switch field.key {
            case "id": event.id = string() ?? event.id
            case "type": error(.typeMismatch, "the step's type is written before '{'", field.keyRange)
            case "account": event.account = string() ?? ""
            case "tier": event.tier = string()
            case "channel": event.channel = string()
            case "ip": event.ip = string()
            case "device": event.device = string()
            case "text": event.text = string()
            case "code": event.code = string()
            case "inviter": event.inviter = string()
            case "to":
                if case .list(let items) = v.kind {
                    event.to = items.compactMap { if case .string(let s) = $0.kind { s } else { nil } }
                } else {
                    error(.typeMismatch, "'to' takes a list of strings", v.range)
                }
            case "ts":
                switch v.kind {
                case .string(let s):
                    if let t = Timestamp.parse(s) {
                        event.ts = t
                        fixed = true
                    } else {
                        error(.typeMismatch, "'\(s)' is not an RFC 3339 time", v.range)
                    }
                case .integer(let n):
                    event.ts = Double(n)
                    fixed = true
                default: error(.typeMismatch, "'ts' takes an RFC 3339 string or epoch seconds", v.range)
                }
            case "ttl":
                switch v.kind {
                case .duration(let s), .integer(let s): event.ttl = Double(s)
                case .string(let s): event.ttl = Timestamp.parseDuration(s)
                default: error(.typeMismatch, "'ttl' takes a duration", v.range)
                }
            case "attrs":
                guard case .object(let pairs) = v.kind else {
                    error(.typeMismatch, "'attrs' takes { name: value, … }", v.range)
                    continue
                }
                for pair in pairs {
                    switch pair.value.kind {
                    case .string(let s): event.attrs[pair.key] = .string(s)
                    case .integer(let n): event.attrs[pair.key] = .number(Double(n))
                    case .decimal(let d): event.attrs[pair.key] = .number(d)
                    case .bool(let b): event.attrs[pair.key] = .bool(b)
                    default: error(.typeMismatch, "attrs hold strings, numbers and booleans", pair.value.range)
                    }
                }
            default: break  // the checker reported unknown keys
            }
        }
        // The keys `check` and `serve` require (EventDecoder), required here too: a test event
        // is an event production would take.
        var missing: [(String, String)] = []
        if !step.fields.contains(where: { $0.key == "account" }) { missing.append(("account", "the acting account")) }
        if type == .send, event.to == nil { missing.append(("to", "a send has recipients")) }
        if type == .send, event.text == nil { missing.append(("text", "a send carries its message text")) }
        if type != .send, event.code == nil { missing.append(("code", "an \(type.rawValue) carries the invite code")) }
        for (key, why) in missing {
            error(
                .missingKey, "this \(type.rawValue) has no '\(key)' (\(why)); check and serve refuse such an event", step.type.range,
                hint: key == "to" ? "write to: [\"someone\"]" : nil)
        }
        return (event, fixed)
    }
}
