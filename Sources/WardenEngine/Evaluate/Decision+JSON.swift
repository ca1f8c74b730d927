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
            if p.forever {
                w.raw(",\"until\":\"forever\"")
            } else if let until = p.until {
                w.raw(",\"until\":")
                w.string(Timestamp.format(until))
            }
            if let offense = p.offense {
                w.raw(",\"offense\":")
                w.integer(offense)
            }
            if let id = p.id {
                w.raw(",\"id\":")
                w.string(id)
            }
            w.raw(",\"rule\":")
            w.string(p.rule)
            w.raw("}")
        }
        w.raw("],\"shadow\":")
        Self.write(shadow, to: &w)
        w.raw(",\"ruleset\":{\"name\":")
        w.string(ruleset.name)
        if let version = ruleset.version {
            w.raw(",\"version\":")
            w.string(version)
        }
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
        if let field = ev.field {
            w.raw(",\"field\":")
            w.string(field)
        }
        if let list = ev.list {
            w.raw(",\"list\":")
            w.string(list)
        }
        if let entry = ev.entry {
            w.raw(",\"entry\":")
            w.string(entry)
        }
        if let pattern = ev.pattern {
            w.raw(",\"pattern\":")
            w.string(pattern)
        }
        if let span = ev.span {
            w.raw(",\"span\":[")
            w.integer(span.lowerBound)
            w.raw(",")
            w.integer(span.upperBound)
            w.raw("]")
        }
        if let excerpt = ev.excerpt {
            w.raw(",\"excerpt\":")
            w.string(excerpt)
        }
        if let via = ev.via {
            w.raw(",\"via\":[")
            for (k, fold) in via.enumerated() {
                if k > 0 { w.raw(",") }
                w.string(fold)
            }
            w.raw("]")
        }
        if let value = ev.value {
            w.raw(",\"value\":")
            w.number(value)
        }
        if let limit = ev.limit {
            w.raw(",\"limit\":")
            w.number(limit)
        }
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
        if let window = ev.window {
            w.raw(",\"window\":")
            w.string(window)
        }
        if let p = ev.penalty {
            w.raw(",\"action\":")
            w.string(p.action.rawValue)
            w.raw(",\"target\":{")
            w.string(p.targetKind.rawValue)
            w.raw(":")
            w.string(p.target)
            w.raw("}")
            if p.forever { w.raw(",\"until\":\"forever\"") } else if let until = p.until {
                w.raw(",\"until\":")
                w.string(Timestamp.format(until))
            }
            w.raw(",\"id\":")
            w.string(p.id)
        }
        if let model = ev.model {
            w.raw(",\"model\":")
            w.string(model)
        }
        if let score = ev.score {
            w.raw(",\"score\":")
            w.number((score * 10_000).rounded() / 10_000)
        }
        if let builtin = ev.builtin {
            w.raw(",\"builtin\":")
            w.string(builtin)
        }
        if let account = ev.account {
            w.raw(",\"account\":")
            w.string(account)
        }
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
            if let d = step.device {
                w.raw(",\"device\":")
                w.string(d)
            }
            if let n = step.network {
                w.raw(",\"network\":")
                w.string(n)
            }
            if let c = step.code {
                w.raw(",\"code\":")
                w.string(c)
            }
            w.raw("}")
        }
        w.raw("]")
    }
}
