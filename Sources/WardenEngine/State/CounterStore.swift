/// The state of every counter of a rule set, keyed by the counters' key values.
///
/// Steps count from 2020-01-01 so that one-second steps fit in 32 bits for decades. A key whose
/// newest step has left every window an acceptable (not too late) event could have is dropped
/// by `sweep`, which runs about once per window length of event time.
final class CounterStore {
    static let epoch = 1_577_836_800.0  // 2020-01-01T00:00:00Z

    let specs: [CounterSpec]
    let clock: CalendarClock
    /// Events up to this many seconds older than the newest one still land in their own step.
    let lateness: Double
    var series: [[String: WindowSeries]]
    var distinct: [[String: DistinctSeries]]
    private var newestStep: [Int32]
    private var lastSweep: [Int32]

    init(specs: [CounterSpec], clock: CalendarClock, lateness: Double = 600) {
        self.specs = specs
        self.clock = clock
        self.lateness = lateness
        series = Array(repeating: [:], count: specs.count)
        distinct = Array(repeating: [:], count: specs.count)
        newestStep = Array(repeating: .min, count: specs.count)
        lastSweep = Array(repeating: .min, count: specs.count)
    }

    /// The step of instant `t` for counter `i`.
    func step(_ i: Int, _ t: Double) -> Int32 {
        switch specs[i].window {
        case .rolling:
            let s = Double(specs[i].window.step)
            return Int32(clamping: Int(((t - Self.epoch) / s).rounded(.down)))
        case .calendar(_, let seconds):
            return Int32(clamping: clock.period(t, seconds: seconds))
        }
    }

    func lateSteps(_ i: Int) -> Int32 {
        Int32((lateness / Double(specs[i].window.step)).rounded(.up))
    }

    /// Counts an event (with `amount` for count/sum or `hashes` for distinct) under `key` at
    /// time `t`, and returns the counter's value for it. With `commit` false nothing changes.
    func observe(_ i: Int, key: String, amount: Double, hashes: [UInt64], at t: Double, commit: Bool) -> Double {
        let spec = specs[i]
        let step = step(i, t)
        let windowStart = step &- Int32(spec.window.span - 1)
        newestStep[i] = max(newestStep[i], step)
        let keepFrom = newestStep[i] &- lateSteps(i) &- Int32(spec.window.span - 1)
        let value: Double
        if spec.kind == .distinct {
            if commit {
                value = distinct[i][key, default: DistinctSeries()].add(hashes, at: step, windowStart: windowStart, keepFrom: keepFrom)
            } else {
                var copy = distinct[i][key] ?? DistinctSeries()
                value = copy.add(hashes, at: step, windowStart: windowStart, keepFrom: keepFrom)
            }
        } else {
            if commit {
                value = series[i][key, default: WindowSeries()].add(amount, at: step, windowStart: windowStart, keepFrom: keepFrom)
            } else {
                var copy = series[i][key] ?? WindowSeries()
                value = copy.add(amount, at: step, windowStart: windowStart, keepFrom: keepFrom)
            }
        }
        if commit { sweepIfDue(i) }
        return value
    }

    /// The value without counting anything (an event that does not pass `where:`).
    func peek(_ i: Int, key: String, at t: Double) -> Double {
        let windowStart = step(i, t) &- Int32(specs[i].window.span - 1)
        if specs[i].kind == .distinct { return distinct[i][key]?.value(from: windowStart) ?? 0 }
        return series[i][key]?.value(from: windowStart) ?? 0
    }

    private func sweepIfDue(_ i: Int) {
        let span = Int32(specs[i].window.span)
        guard lastSweep[i] == .min || newestStep[i] &- lastSweep[i] >= span else { return }
        lastSweep[i] = newestStep[i]
        let keepFrom = newestStep[i] &- lateSteps(i) &- span &+ 1
        if specs[i].kind == .distinct {
            distinct[i] = distinct[i].filter { $0.value.newestStep >= keepFrom }
        } else {
            series[i] = series[i].filter { $0.value.newestStep >= keepFrom }
        }
    }

    /// After a restore: the newest step of each counter, from its keys.
    func recomputeNewest() {
        for i in specs.indices {
            let a = series[i].values.map(\.newestStep).max() ?? .min
            let b = distinct[i].values.map(\.newestStep).max() ?? .min
            newestStep[i] = max(a, b)
        }
    }

    /// Number of keys held, all counters together.
    var keyCount: Int { series.reduce(0) { $0 + $1.count } + distinct.reduce(0) { $0 + $1.count } }
}
