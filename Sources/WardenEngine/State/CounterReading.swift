/// One key of one counter with its value at a time: what `warden state` lists.
package struct CounterReading: Sendable {
    /// The counter as written: `count by account within 1d on send`.
    package var counter: String
    /// The rules that read it.
    package var rules: [String]
    /// The key's parts, by name: `[("account", "u1")]`.
    package var key: [(name: String, value: String)]
    package var value: Double
}

extension CounterSpec {
    /// `count by account within 1d on send`, `distinct to by account, fingerprint(text) per day`.
    var reading: String {
        let identityParts = identity.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let field = identityParts.count > 1 && !identityParts[1].isEmpty ? " " + identityParts[1] : ""
        let filter = identityParts.count > 4 && !identityParts[4].isEmpty ? " where " + identityParts[4] : ""
        let span: String =
            switch window {
            case .rolling: "within \(window.label)"
            case .calendar(let period, _): "per \(period)"
            }
        return
            "\(kind.rawValue)\(field) by \(keyNames.joined(separator: ", ")) \(span)\(filter) on \(on.map(\.rawValue).sorted().joined(separator: ", "))"
    }
}

extension Engine {
    /// Every key of every counter with a non-zero value at `t`, as the next event at `t` would
    /// read it (before counting itself). In-memory counters only: a shared backend (Redis) is
    /// read by its own client.
    package func counterReadings(at t: Double) -> [CounterReading] {
        let store = state.counters
        var out: [CounterReading] = []
        for (i, spec) in store.specs.enumerated() {
            let step = store.step(i, t)
            let windowStart = step &- Int32(spec.window.span - 1)
            let entries = store.entries(i)
            let values: [(String, Double)] =
                spec.kind == .distinct
                ? entries.distinct.map { ($0.0, $0.1.value(from: windowStart)) }
                : entries.series.map { ($0.0, $0.1.value(from: windowStart)) }
            for (key, value) in values where value != 0 { out.append(counterReading(index: i, key: key, value: value)) }
        }
        return out
    }

    /// The latest start of the newest step of a rolling counter: at most the time of the newest
    /// event the state counted, and within the finest counter's step of it, so every counter
    /// read there includes the newest event's step (nil when nothing was counted).
    package var newestCountedTime: Double? {
        let store = state.counters
        var newest: Double?
        for (i, spec) in store.specs.enumerated() {
            guard case .rolling = spec.window, store.tables[i].keys.load(ordering: .relaxed) > 0 else { continue }
            let step = Double(spec.window.step)
            let start = CounterStore.epoch + Double(Int(store.tables[i].newest.value)) * step
            newest = max(newest ?? start, start)
        }
        return newest
    }
}

extension Engine {
    /// For a shared backend's reader: the counter a backend name (`CounterOperation.counter`)
    /// stands for, and the first step its value at `t` includes.
    package func counterWindow(backendName: String, at t: Double) -> (index: Int, windowStart: Int32, distinct: Bool)? {
        guard let i = state.backendNames.firstIndex(of: backendName) else { return nil }
        let spec = state.counters.specs[i]
        return (i, state.counters.step(i, t) &- Int32(spec.window.span - 1), spec.kind == .distinct)
    }

    /// A reading of counter `index` for a key (its parts joined by U+001F) and its value.
    package func counterReading(index: Int, key: String, value: Double) -> CounterReading {
        let spec = state.counters.specs[index]
        let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return CounterReading(
            counter: spec.reading, rules: ruleSet.counterRules.indices.contains(index) ? ruleSet.counterRules[index] : [],
            key: zip(spec.keyNames, parts).map { ($0, $1) }, value: value)
    }
}
