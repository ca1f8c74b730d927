extension Decision {
    /// One line of JSON, keys in the order of SPEC §4.
    public var json: String {
        var w = JSONWriter(capacity: 512)
        write(to: &w)
        return w.output
    }

    /// Appends the decision's JSON to a writer (one reused for a stream of decisions).
    public func write(to w: inout JSONWriter) {
        w.raw("{\"id\":")
        w.string(id)
        w.raw(",\"type\":")
        w.string(type.rawValue)
        w.raw(",\"decision\":")
        w.string(verdict.rawValue)
        w.raw(",\"score\":")
        w.number(score)
        w.raw(",\"fired\":")
        Self.write(fired, to: &w)
        w.raw(",\"penalties\":[")
        for (k, p) in penalties.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"action\":")
            w.string(p.action.rawValue)
            if let key = p.targetKey, let value = p.targetValue {
                w.raw(",\"target\":{")
                w.string(key.rawValue)
                w.raw(":")
                w.string(value)
                w.raw("}")
            }
            w.member("until", PenaltyRecord.endText(until: p.until, forever: p.forever))
            w.member("offense", integer: p.offense)
            w.member("id", p.id)
            w.member("durability", p.durability?.rawValue)
            w.member("label", p.label)
            w.raw(",\"rule\":")
            w.string(p.rule)
            w.raw("}")
        }
        w.raw("]")
        w.member("case", caseID)
        w.raw(",\"shadow\":")
        Self.write(shadow, to: &w)
        w.raw(",\"ruleset\":{\"name\":")
        w.string(ruleset.name)
        w.member("version", ruleset.version)
        w.raw(",\"digest\":")
        w.string(ruleset.digest)
        w.raw("}")
        if !warnings.isEmpty {
            w.raw(",\"warnings\":")
            w.strings(warnings)
        }
        w.raw("}")
    }

    static func write(_ rules: [FiredRule], to w: inout JSONWriter) {
        w.raw("[")
        for (k, f) in rules.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"rule\":")
            w.string(f.rule)
            w.raw(",\"score\":")
            w.number(f.score)
            if !f.tags.isEmpty {
                w.raw(",\"tags\":")
                w.strings(f.tags)
            }
            w.raw(",\"evidence\":[")
            for (e, ev) in f.evidence.enumerated() {
                if e > 0 { w.raw(",") }
                write(ev, to: &w)
            }
            w.raw("]}")
        }
        w.raw("]")
    }

    /// One evidence object, its absent parts left out.
    public static func write(_ ev: Evidence, to w: inout JSONWriter) {
        w.raw("{\"kind\":")
        w.string(ev.kind.rawValue)
        w.member("field", ev.field)
        w.member("list", ev.list)
        w.member("entry", ev.entry)
        w.member("pattern", ev.pattern)
        if let span = ev.span {
            w.raw(",\"span\":[")
            w.integer(span.lowerBound)
            w.raw(",")
            w.integer(span.upperBound)
            w.raw("]")
        }
        w.member("excerpt", ev.excerpt)
        if let via = ev.via {
            w.raw(",\"via\":[")
            for (k, fold) in via.enumerated() {
                if k > 0 { w.raw(",") }
                w.string(fold)
            }
            w.raw("]")
        }
        w.member("value", number: ev.value)
        w.member("limit", number: ev.limit)
        if let key = ev.key {
            w.raw(",\"key\":")
            w.raw("{")
            for (k, (name, value)) in key.enumerated() {
                if k > 0 { w.raw(",") }
                w.string(name)
                w.raw(":")
                w.string(value)
            }
            w.raw("}")
        }
        w.member("window", ev.window)
        if let p = ev.penalty {
            w.raw(",\"action\":")
            w.string(p.action.rawValue)
            w.raw(",\"target\":{")
            w.string(p.targetKind.rawValue)
            w.raw(":")
            w.string(p.target)
            w.raw("}")
            w.member("until", PenaltyRecord.endText(until: p.until, forever: p.forever))
            w.raw(",\"id\":")
            w.string(p.id)
        }
        w.member("model", ev.model)
        if let score = ev.score {
            w.raw(",\"score\":")
            w.number((score * 10_000).rounded() / 10_000)
        }
        w.member("builtin", ev.builtin)
        w.member("account", ev.account)
        if let path = ev.path {
            w.raw(",\"path\":")
            Self.write(path, to: &w)
        }
        if let redeemers = ev.redeemers {
            w.raw(",\"redeemers\":")
            Self.write(redeemers, to: &w)
        }
        if let features = ev.features {
            w.raw(",\"features\":[")
            for (k, f) in features.enumerated() {
                if k > 0 { w.raw(",") }
                w.raw("{\"text\":")
                w.string(f.text)
                w.raw(",\"span\":[")
                w.integer(f.span.lowerBound)
                w.raw(",")
                w.integer(f.span.upperBound)
                w.raw("],\"weight\":")
                w.number(f.weight)
                w.raw("}")
            }
            w.raw("]")
        }
        w.raw("}")
    }

    /// Invite steps as `[{"account":…,"at":…,"device":…,"network":…,"code":…}]`, absent parts left out.
    static func write(_ steps: [InviteStep], to w: inout JSONWriter) {
        w.raw("[")
        for (k, step) in steps.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"account\":")
            w.string(step.account)
            if let t = step.joined {
                w.raw(",\"at\":")
                w.string(Timestamp.format(t))
            }
            w.member("device", step.device)
            w.member("network", step.network)
            w.member("code", step.code)
            w.raw("}")
        }
        w.raw("]")
    }
}
