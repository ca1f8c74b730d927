import Synchronization
import WardenMatching

/// The state of every counter of a rule set, keyed by the counters' key values.
///
/// Keys are spread over `shardCount` shards, each behind its own lock, so events of different
/// accounts update their counters in parallel while two events of one key still count exactly
/// (an update and the value it returns happen under the key's shard lock).
///
/// Steps count from 2020-01-01 so that one-second steps fit in 32 bits for decades. An event is
/// late, and lands in its own step, relative to its own key's newest step (as in Redis): no
/// event of one key can make another key's events too late. A key whose newest step has left
/// every window an acceptable (not too late) event could have is dropped by a sweep, which runs
/// about once per window length of event time.
final class CounterStore: Sendable {
    static let epoch = 1_577_836_800.0  // 2020-01-01T00:00:00Z
    static let shardCount = 64
    /// Keys a counter holds before sweeps visit its shards.
    static let sweepThreshold = 4096

    let specs: [CounterSpec]
    let clock: CalendarClock
    /// Events up to this many seconds older than the newest one still land in their own step.
    let lateness: Double
    /// How far (seconds) an event may be ahead of the clock (`max_future`): the sweep keeps
    /// that much more, since the newest step it measures from may be that far ahead.
    let future: Double
    let shards: [CounterShard]
    /// Per counter: the newest step any event reached (the lateness bound is relative to it).
    private let newest: [NewestStep]
    /// Per counter: the newest step at the last sweep.
    private let swept: [NewestStep]
    /// Keys one counter may hold. A new key past the limit is not stored: its event counts as
    /// the first of its key (the counter fails open) and `refused` goes up. The limit is
    /// checked without a global lock, so the count may pass it by a few keys.
    let maxKeys: Int
    private let keys: [Atomic<Int>.Box]
    let refusedKeys = Atomic<Int>.Box()

    init(specs: [CounterSpec], clock: CalendarClock, lateness: Double = 600, future: Double = 300, maxKeys: Int = 10_000_000) {
        self.specs = specs
        self.future = future
        self.maxKeys = maxKeys
        keys = specs.map { _ in Atomic<Int>.Box() }
        self.clock = clock
        self.lateness = lateness
        shards = (0..<Self.shardCount).map { _ in CounterShard(counters: specs.count) }
        newest = specs.map { _ in NewestStep() }
        swept = specs.map { _ in NewestStep() }
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

    func shard(_ i: Int, _ key: CounterKey) -> CounterShard {
        shards[Int(((key.hash >> 32) &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15) % UInt64(Self.shardCount))]
    }

    /// Counts an event (with `amount` for count/sum or `hashes` for distinct) under `key` in
    /// `step`, and returns the counter's value for it (from `windowStart` on). With `commit`
    /// false nothing changes.
    func observe(
        _ i: Int, key: CounterKey, amount: Double, hashes: [UInt64], step: Int32, windowStart: Int32, keepSteps: Int32, commit: Bool
    ) -> Double {
        let spec = specs[i]
        let newestStep = commit ? newest[i].raise(to: step) : max(newest[i].value, step)
        let value = shard(i, key).state.withLock { s in
            let stored = spec.kind == .distinct ? s.distinct[i][key]?.newestStep : s.series[i][key]?.newestStep
            let keepFrom = max(stored ?? step, step) &- keepSteps
            let keep = commit && (stored != nil || admit(i))
            if spec.kind == .distinct {
                if keep {
                    return s.distinct[i][key, default: DistinctSeries()].add(hashes, at: step, windowStart: windowStart, keepFrom: keepFrom)
                }
                var copy = s.distinct[i][key] ?? DistinctSeries()
                return copy.add(hashes, at: step, windowStart: windowStart, keepFrom: keepFrom)
            }
            if keep {
                return s.series[i][key, default: WindowSeries()].add(amount, at: step, windowStart: windowStart, keepFrom: keepFrom)
            }
            var copy = s.series[i][key] ?? WindowSeries()
            return copy.add(amount, at: step, windowStart: windowStart, keepFrom: keepFrom)
        }
        if commit { sweepIfDue(i, newest: newestStep) }
        return value
    }

    /// Takes a slot for a new key of counter `i`, or counts a refusal when the counter is full.
    private func admit(_ i: Int) -> Bool {
        if keys[i].value.load(ordering: .relaxed) >= maxKeys {
            refusedKeys.value.add(1, ordering: .relaxed)
            return false
        }
        keys[i].value.add(1, ordering: .relaxed)
        return true
    }

    /// Once per window length of event time (whichever thread gets there first), drops the
    /// keys of counter `i` whose newest step no acceptable event's window can reach, shard by
    /// shard.
    private func sweepIfDue(_ i: Int, newest step: Int32) {
        let span = Int32(specs[i].window.span)
        let last = swept[i].value
        guard last == .min || step &- last >= span else { return }
        // A counter with few keys is not worth visiting 64 locked shards for: stale keys are
        // bounded by the threshold, and they go at the first sweep past it.
        guard keys[i].value.load(ordering: .relaxed) >= Self.sweepThreshold else { return }
        guard swept[i].exchange(expected: last, desired: step) else { return }
        let ahead = Int32((future / Double(specs[i].window.step)).rounded(.up))
        let keepFrom = step &- ahead &- lateSteps(i) &- span &+ 1
        for shard in shards {
            let dropped = shard.state.withLock { s in
                let before = s.distinct[i].count + s.series[i].count
                if !s.distinct[i].isEmpty { s.distinct[i] = s.distinct[i].filter { $0.value.newestStep >= keepFrom } }
                if !s.series[i].isEmpty { s.series[i] = s.series[i].filter { $0.value.newestStep >= keepFrom } }
                return before - s.distinct[i].count - s.series[i].count
            }
            keys[i].value.subtract(dropped, ordering: .relaxed)
        }
    }

    /// The value without counting anything (an event that does not pass `where:`).
    func peek(_ i: Int, key: CounterKey, windowStart: Int32) -> Double {
        shard(i, key).state.withLock { s in
            if specs[i].kind == .distinct { return s.distinct[i][key]?.value(from: windowStart) ?? 0 }
            return s.series[i][key]?.value(from: windowStart) ?? 0
        }
    }

    /// Every key of counter `i` with its state, sorted by key (snapshots). Each shard is read
    /// under its lock; a consistent picture of all shards at once takes `freeze`.
    func entries(_ i: Int) -> (series: [(String, WindowSeries)], distinct: [(String, DistinctSeries)]) {
        var series: [(String, WindowSeries)] = []
        var distinct: [(String, DistinctSeries)] = []
        for shard in shards {
            shard.state.withLock { s in
                series += s.series[i].map { ($0.key.text, $0.value) }
                distinct += s.distinct[i].map { ($0.key.text, $0.value) }
            }
        }
        return (series.sorted { $0.0 < $1.0 }, distinct.sorted { $0.0 < $1.0 })
    }

    func put(_ i: Int, key text: String, series: WindowSeries) {
        let key = CounterKey(text)
        if shard(i, key).state.withLock({ $0.series[i].updateValue(series, forKey: key) }) == nil { keys[i].value.add(1, ordering: .relaxed) }
    }

    func put(_ i: Int, key text: String, distinct: DistinctSeries) {
        let key = CounterKey(text)
        if shard(i, key).state.withLock({ $0.distinct[i].updateValue(distinct, forKey: key) }) == nil { keys[i].value.add(1, ordering: .relaxed) }
    }

    /// After a restore: the newest step of each counter, from its keys.
    func recomputeNewest() {
        for i in specs.indices {
            var step = Int32.min
            for shard in shards {
                shard.state.withLock { s in
                    step = max(step, s.series[i].values.map(\.newestStep).max() ?? .min, s.distinct[i].values.map(\.newestStep).max() ?? .min)
                }
            }
            newest[i].reset(to: step)
        }
    }

    /// Number of keys held, all counters together.
    var keyCount: Int {
        shards.reduce(0) { total, shard in
            total + shard.state.withLock { s in s.series.reduce(0) { $0 + $1.count } + s.distinct.reduce(0) { $0 + $1.count } }
        }
    }
}

extension CounterStore: CounterBackend {
    /// The in-memory store as a backend: it never fails. Its lateness bound is the counter's
    /// newest step over all keys (Redis keeps one per key).
    func apply(_ operations: [CounterOperation]) throws(CounterStateError) -> [Double] {
        var values: [Double] = []
        apply(operations, into: &values)
        return values
    }

    func apply(_ operations: [CounterOperation], into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        for op in operations {
            let key = CounterKey(op.key)
            values.append(
                op.counts
                    ? observe(
                        op.index, key: key, amount: op.amount, hashes: op.hashes, step: op.step, windowStart: op.windowStart,
                        keepSteps: op.keepSteps, commit: op.commit)
                    : peek(op.index, key: key, windowStart: op.windowStart))
        }
    }
}

/// One shard of a counter store: per counter, the keys that hash here.
final class CounterShard: Sendable {
    struct State {
        var series: [[CounterKey: WindowSeries]]
        var distinct: [[CounterKey: DistinctSeries]]
    }

    let state: Mutex<State>

    init(counters: Int) {
        state = Mutex(State(
            series: Array(repeating: [:], count: counters), distinct: Array(repeating: [:], count: counters)))
    }
}

extension Atomic where Value == Int {
    /// An atomic integer with an address of its own, to keep in arrays.
    final class Box: Sendable {
        let value = Atomic<Int>(0)
    }
}

/// The newest step of one counter, raised by events on any thread.
final class NewestStep: Sendable {
    private let step = Atomic<Int32>(.min)

    var value: Int32 { step.load(ordering: .relaxed) }

    /// Raises the step to at least `candidate`; returns the step after.
    func raise(to candidate: Int32) -> Int32 {
        var current = step.load(ordering: .relaxed)
        while candidate > current {
            let (exchanged, original) = step.compareExchange(expected: current, desired: candidate, ordering: .relaxed)
            if exchanged { return candidate }
            current = original
        }
        return current
    }

    func reset(to value: Int32) { step.store(value, ordering: .relaxed) }

    /// Sets the step if it still is `expected`; true when this call did.
    func exchange(expected: Int32, desired: Int32) -> Bool {
        step.compareExchange(expected: expected, desired: desired, ordering: .relaxed).exchanged
    }
}
