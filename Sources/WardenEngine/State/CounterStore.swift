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
    /// Per counter, its keys and their state. A table outlives a rule set: a reload hands the
    /// tables of unchanged counters to the next store (`adopting`), so both engines count into
    /// the same state during the hand-over and nothing is copied.
    let tables: [CounterTable]
    /// Keys one counter may hold, and all counters together (from a bound in bytes). A new key
    /// past a limit is not stored, `refused` goes up, and the event's counters are a state
    /// error: the rule set's `on_state_error` decides (as when Redis is down), so a full store
    /// is never a silent fail-open. The limits are checked without a global lock, so the count
    /// may pass them by a few keys.
    let maxKeys: Int
    let maxTotalKeys: Int
    let refusedKeys = Atomic<Int>.Box()
    /// While set, sweeps wait for `sweepHeld()`: events of different accounts decided side by
    /// side must not drop keys an event behind them in time still reads.
    let sweepsHeld = Atomic<Bool>(false)
    /// Resident bytes a key costs, measured (`warden bench --counter-keys`: 250–290 for a
    /// count, more for a distinct), to turn a bound in bytes into one in keys.
    static let bytesPerKey = 300

    /// `adopting`: the store of the rule set this one replaces; its tables of counters with the
    /// same identity (and, for calendar windows, the same time zone) are shared, not copied.
    init(
        specs: [CounterSpec], clock: CalendarClock, lateness: Double = 600, future: Double = 300, maxKeys: Int = 10_000_000,
        maxBytes: Int = .max, adopting previous: CounterStore? = nil
    ) {
        self.specs = specs
        self.future = future
        self.maxKeys = maxKeys
        maxTotalKeys = maxBytes / Self.bytesPerKey
        self.clock = clock
        self.lateness = lateness
        var old: [String: CounterTable] = [:]
        if let previous, previous.lateness == lateness {
            for (spec, table) in zip(previous.specs, previous.tables) {
                if case .calendar = spec.window, previous.clock.identifier != clock.identifier { continue }
                old[spec.identity] = table
            }
        }
        tables = specs.map { old[$0.identity] ?? CounterTable() }
    }

    /// The identities of counters that start empty (new, or changed) next to `previous`.
    func fresh(comparedTo previous: CounterStore) -> [String] {
        let kept = Set(previous.tables.map(ObjectIdentifier.init))
        return zip(specs, tables).filter { !kept.contains(ObjectIdentifier($0.1)) }.map(\.0.identity)
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

    /// Counts an event (with `amount` for count/sum or `hashes` for distinct) under `key` in
    /// `step`, and returns the counter's value for it (from `windowStart` on). With `commit`
    /// false nothing changes.
    func observe(
        _ i: Int, key: CounterKey, amount: Double, hashes: [UInt64], step: Int32, windowStart: Int32, keepSteps: Int32, commit: Bool,
        refused: inout Bool
    ) -> Double {
        let spec = specs[i]
        let table = tables[i]
        let newestStep = commit ? table.newest.raise(to: step) : max(table.newest.value, step)
        var full = false
        let value = table.shard(key).state.withLock { s in
            let stored = spec.kind == .distinct ? s.distinct[key]?.newestStep : s.series[key]?.newestStep
            let keepFrom = max(stored ?? step, step) &- keepSteps
            full = commit && stored == nil && !admit(table)
            let keep = commit && !full
            if spec.kind == .distinct {
                if keep {
                    return s.distinct[key, default: DistinctSeries()].add(hashes, at: step, windowStart: windowStart, keepFrom: keepFrom)
                }
                var copy = s.distinct[key] ?? DistinctSeries()
                return copy.add(hashes, at: step, windowStart: windowStart, keepFrom: keepFrom)
            }
            if keep {
                return s.series[key, default: WindowSeries()].add(amount, at: step, windowStart: windowStart, keepFrom: keepFrom)
            }
            var copy = s.series[key] ?? WindowSeries()
            return copy.add(amount, at: step, windowStart: windowStart, keepFrom: keepFrom)
        }
        if commit, !sweepsHeld.load(ordering: .relaxed) { sweepIfDue(i, newest: newestStep) }
        if full { refused = true }
        return value
    }

    /// Takes a slot for a new key of a table, or counts a refusal when the counter is full.
    private func admit(_ table: CounterTable) -> Bool {
        if table.keys.load(ordering: .relaxed) >= maxKeys || totalKeys >= maxTotalKeys {
            refusedKeys.value.add(1, ordering: .relaxed)
            return false
        }
        table.keys.add(1, ordering: .relaxed)
        return true
    }

    /// Once per window length of event time (whichever thread gets there first), drops the
    /// keys of counter `i` whose newest step no acceptable event's window can reach, shard by
    /// shard.
    private func sweepIfDue(_ i: Int, newest step: Int32) {
        let table = tables[i]
        let span = Int32(specs[i].window.span)
        let last = table.swept.value
        guard last == .min || step &- last >= span else { return }
        // A counter with few keys is not worth visiting 64 locked shards for: stale keys are
        // bounded by the threshold, and they go at the first sweep past it.
        guard table.keys.load(ordering: .relaxed) >= Self.sweepThreshold else { return }
        guard table.swept.exchange(expected: last, desired: step) else { return }
        let ahead = Int32((future / Double(specs[i].window.step)).rounded(.up))
        let keepFrom = step &- ahead &- lateSteps(i) &- span &+ 1
        for shard in table.shards {
            let dropped = shard.state.withLock { s in
                let before = s.distinct.count + s.series.count
                if !s.distinct.isEmpty { s.distinct = s.distinct.filter { $0.value.newestStep >= keepFrom } }
                if !s.series.isEmpty { s.series = s.series.filter { $0.value.newestStep >= keepFrom } }
                return before - s.distinct.count - s.series.count
            }
            table.keys.subtract(dropped, ordering: .relaxed)
        }
    }

    /// The sweeps held back while `sweepsHeld` was set, from every counter's newest step.
    func sweepHeld() {
        for i in tables.indices where tables[i].newest.value != .min { sweepIfDue(i, newest: tables[i].newest.value) }
    }

    /// The value without counting anything (an event that does not pass `where:`).
    func peek(_ i: Int, key: CounterKey, windowStart: Int32) -> Double {
        tables[i].shard(key).state.withLock { s in
            if specs[i].kind == .distinct { return s.distinct[key]?.value(from: windowStart) ?? 0 }
            return s.series[key]?.value(from: windowStart) ?? 0
        }
    }

    /// Every key of counter `i` some acceptable event can still read (those the next sweep
    /// would keep; which of the others are still held depends on when sweeps ran, not on the
    /// events), with its state, sorted by key (snapshots). Each shard is read under its lock; a
    /// consistent picture of all shards at once takes `freeze`.
    func entries(_ i: Int) -> (series: [(String, WindowSeries)], distinct: [(String, DistinctSeries)]) {
        var series: [(String, WindowSeries)] = []
        var distinct: [(String, DistinctSeries)] = []
        let newest = tables[i].newest.value
        let ahead = Int32((future / Double(specs[i].window.step)).rounded(.up))
        let keepFrom = newest == .min ? .min : newest &- ahead &- lateSteps(i) &- Int32(specs[i].window.span) &+ 1
        for shard in tables[i].shards {
            shard.state.withLock { s in
                series += s.series.filter { $0.value.newestStep >= keepFrom }.map { ($0.key.text, $0.value) }
                distinct += s.distinct.filter { $0.value.newestStep >= keepFrom }.map { ($0.key.text, $0.value) }
            }
        }
        return (series.sorted { $0.0 < $1.0 }, distinct.sorted { $0.0 < $1.0 })
    }

    func put(_ i: Int, key text: String, series: WindowSeries) {
        let key = CounterKey(text)
        if tables[i].shard(key).state.withLock({ $0.series.updateValue(series, forKey: key) }) == nil {
            tables[i].keys.add(1, ordering: .relaxed)
        }
    }

    func put(_ i: Int, key text: String, distinct: DistinctSeries) {
        let key = CounterKey(text)
        if tables[i].shard(key).state.withLock({ $0.distinct.updateValue(distinct, forKey: key) }) == nil {
            tables[i].keys.add(1, ordering: .relaxed)
        }
    }

    /// After a restore: the newest step of each counter, from its keys.
    func recomputeNewest() {
        for table in tables {
            var step = Int32.min
            for shard in table.shards {
                shard.state.withLock { s in
                    step = max(step, s.series.values.map(\.newestStep).max() ?? .min, s.distinct.values.map(\.newestStep).max() ?? .min)
                }
            }
            table.newest.reset(to: step)
        }
    }

    /// Keys held, all counters together, from the tables' counts (no lock taken).
    var totalKeys: Int { tables.reduce(0) { $0 + $1.keys.load(ordering: .relaxed) } }

    /// Number of keys held, all counters together.
    var keyCount: Int {
        tables.reduce(0) { total, table in
            total + table.shards.reduce(0) { n, shard in n + shard.state.withLock { $0.series.count + $0.distinct.count } }
        }
    }
}

extension CounterStore: CounterBackend {
    /// The in-memory store as a backend: it never fails. Its lateness bound is the counter's
    /// newest step over all keys (Redis keeps one per key).
    func apply(_ operations: [CounterOperation]) throws(CounterStateError) -> [Double] {
        var values: [Double] = []
        try apply(operations, into: &values)
        return values
    }

    /// Every operation is applied; a key refused at a limit makes the whole event a state error.
    func apply(_ operations: [CounterOperation], into values: inout [Double]) throws(CounterStateError) {
        values.removeAll(keepingCapacity: true)
        var refused = false
        for op in operations {
            let key = CounterKey(op.key)
            values.append(
                op.counts
                    ? observe(
                        op.index, key: key, amount: op.amount, hashes: op.hashes, step: op.step, windowStart: op.windowStart,
                        keepSteps: op.keepSteps, commit: op.commit, refused: &refused)
                    : peek(op.index, key: key, windowStart: op.windowStart))
        }
        if refused {
            throw CounterStateError(
                "the counter store is full (at most \(maxKeys) keys a counter, \(maxTotalKeys) in all); new keys are not counted")
        }
    }
}

/// One lock's share of a counter's keys (a class: a `Mutex` cannot sit in an array).
final class CounterShard: Sendable {
    let state = Mutex(CounterTable.Shard())
}

/// One counter's keys and their state, in shards each behind its own lock, so events of
/// different accounts update it in parallel while two events of one key still count exactly
/// (an update and the value it returns happen under the key's shard lock).
final class CounterTable: Sendable {
    struct Shard {
        var series: [CounterKey: WindowSeries] = [:]
        var distinct: [CounterKey: DistinctSeries] = [:]
    }

    let shards: [CounterShard]
    /// Keys held (for the per-counter limit and the sweep threshold).
    let keys = Atomic<Int>(0)
    /// The newest step any event reached (the sweep measures from it).
    let newest = NewestStep()
    /// The newest step at the last sweep.
    let swept = NewestStep()

    init() {
        shards = (0..<CounterStore.shardCount).map { _ in CounterShard() }
    }

    func shard(_ key: CounterKey) -> CounterShard {
        shards[Int((key.hash >> 32) % UInt64(CounterStore.shardCount))]
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
