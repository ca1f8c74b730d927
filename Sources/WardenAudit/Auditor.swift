import Dispatch
import Foundation
import WardenEngine

/// Streams logs through an engine: lines are read, decoded and their text prepared on every
/// core, ahead of the evaluation (`BatchReader` on a `Prefetcher`); a reorder buffer restores
/// event-time order within the lateness bound, and the stateful evaluation runs one event at a
/// time in that order — so an audit decides exactly what `check` decides for the same events in
/// event-time order. When the rule set keeps all its state by account (`Engine.apartObstacle`)
/// and the evaluation is the slower stage, a batch's accounts are split over threads, each
/// account's events still in order (`decideApart`), with the same decisions.
package final class Auditor {
    package struct Options: Sendable {
        package var lateness: Double = 600
        package var strict = false
        package var maxErrorsShown = 20
        /// Only the events of this part of the accounts (the others are read and skipped).
        package var partition: AuditPartition?
        /// Every thread of the run at a low priority (nice 19), on threads of its own: a
        /// backtest inside a server, which must leave the cores to the checks.
        package var background = false
        /// Called by every thread of the run every few hundred events (a backtest steps aside
        /// while the server answers checks).
        package var pause: (@Sendable () -> Void)?
        /// Batches found ready in a row before the readers start judging the rules that read
        /// only the event (`Engine.prepare`); nil: never. The decisions do not depend on it.
        package var judgeAheadAfter: Int? = 4
        /// Threads the evaluation splits the accounts over when that decides exactly as one
        /// thread does (`Engine.apartObstacle`); 1: one thread, in event-time order.
        package var evaluators = ProcessInfo.processInfo.activeProcessorCount
        /// Batches found ready in a row before the evaluation splits the accounts over
        /// `evaluators` threads (while the readers keep up, their cores are better left to
        /// them). The decisions do not depend on it.
        package var splitAfter = 2
        package init() {}
    }

    /// Everything known about one decided event.
    package struct Finding {
        /// One decision per engine, in the order the engines were given.
        package var decisions: [Decision]
        package var event: Event
        package var file: String
        package var line: Int
        package var decision: Decision { decisions[0] }
    }

    let engines: [Engine]
    let options: Options
    let batchSize = 4096
    /// Events between two calls of `Options.pause` on a thread.
    static let pauseEvery = 128

    /// One engine for an audit; two for a dry run (the events are read and decoded once).
    package init(engines: [Engine], options: Options) {
        precondition(!engines.isEmpty)
        self.engines = engines
        self.options = options
    }

    package convenience init(engine: Engine, options: Options) {
        self.init(engines: [engine], options: options)
    }

    /// Audits `paths` in order, calling `onFinding` for every decided event in event-time order
    /// and `onProgress` between batches.
    package func run(
        paths: [String], onFinding: (Finding) throws -> Void,
        onProgress: ((_ done: Int, _ total: Int?, _ events: Int) throws -> Void)? = nil
    ) throws -> AuditSummary {
        try run(sources: try paths.map { try LineSource(path: $0) }, onFinding: onFinding, onProgress: onProgress)
    }

    /// Audits the lines of `sources` in order (files, or an archive's merged segments).
    package func run(
        sources: [LineSource], onFinding: (Finding) throws -> Void,
        onProgress: ((_ done: Int, _ total: Int?, _ events: Int) throws -> Void)? = nil
    ) throws -> AuditSummary {
        var summary = AuditSummary()
        summary.files = sources.map(\.path)
        summary.ruleset = engines[0].ruleSet.info.digest
        let started = Date()
        var buffer = ReorderBuffer(lateness: options.lateness)
        var seq = 0
        let totalBytes = sources.allSatisfy { $0.size != nil } ? sources.reduce(0) { $0 + ($1.size ?? 0) } : nil
        var doneBytes = 0

        // Events in the order they are decided, evaluated a batch at a time (two engines side by
        // side: each still sees every event in order), then freed on the reader's thread (see
        // `Prefetcher.discard`).
        var spent: [ReorderBuffer.Item] = []
        var ready: [ReorderBuffer.Item] = []
        func emit(_ item: consuming ReorderBuffer.Item) { ready.append(item) }
        let engines = self.engines
        let background = options.background
        let pause = options.pause
        let obstacle = options.evaluators > 1 ? engines.lazy.compactMap(\.apartObstacle).first : "one thread asked for"
        let parts = obstacle == nil ? options.evaluators : 1
        let threads = engines.count * parts
        let side =
            threads > 1 ? WorkerPool(threads: threads - 1, name: "warden-evaluate") { if background { ThreadPriority.background() } } : nil
        defer { side?.close() }
        // The newest event time decided so far; a batch is decided apart only when none of its
        // events trails it by more than the lateness (`span`).
        var newest = -Double.infinity
        // Batches in a row that were ready before the evaluation asked for them.
        var aheadOfUs = 0
        let span = engines.map(\.lateness).min() ?? 0
        func decide() throws {
            guard !ready.isEmpty else { return }
            let items = UncheckedBox(ready)
            let (oldest, latest) = ready.reduce((Double.infinity, newest)) { (min($0.0, $1.ts), max($0.1, $1.ts)) }
            // Apart when no event of the batch trails the newest one decided before it by more
            // than the lateness: the sweeps so far dropped no key such an event reads.
            let apart = parts > 1 && aheadOfUs >= options.splitAfter && oldest >= newest - span
            summary.batches += 1
            if apart { summary.batchesSplit += 1 }
            newest = latest
            // By index, not by item: an item copied out of the array retains and releases every
            // string of its event.
            let perEngine =
                apart
                ? Self.decideApart(items, engines: engines, parts: parts, pool: side, pause: pause)
                : ParallelSlots<[Decision]>(count: engines.count, pool: side, chunks: engines.count) { e in
                    items.value.indices.map { k in
                        if k % Self.pauseEvery == 0 { pause?() }
                        return engines[e].check(items.value[k].prepared[e], now: items.value[k].ts)
                    }
                }.values
            for k in ready.indices {
                let decisions = perEngine.map { $0[k] }
                summary.add(decisions[0], ts: ready[k].ts, account: ready[k].event.account, code: ready[k].event.code)
                try onFinding(Finding(decisions: decisions, event: ready[k].event, file: ready[k].file, line: ready[k].line))
            }
            if spent.isEmpty {
                swap(&spent, &ready)
            } else {
                spent.append(contentsOf: ready)
            }
            ready.removeAll(keepingCapacity: true)
        }

        var pool: WorkerPool?
        if options.background {
            ThreadPriority.background()
            pool = WorkerPool(threads: max(1, ProcessInfo.processInfo.activeProcessorCount - 1)) { ThreadPriority.background() }
        }
        defer { pool?.close() }
        let reader = BatchReader(
            sources: sources, engines: engines, strict: options.strict, batchSize: batchSize, partition: options.partition, pool: pool,
            pause: options.pause)
        reader.judgingAhead.store(options.judgeAheadAfter == 0, ordering: .relaxed)
        let prefetcher = Prefetcher(depth: 2) { try reader.next() }
        defer { prefetcher.cancel() }
        while let next = try prefetcher.next() {
            // The rules that read only the event are judged on the readers' threads while the
            // evaluation here is the slower stage (several batches in a row were waiting for
            // it), and here as soon as it waits for one: judging ahead costs the readers a
            // little more than it saves here, which only pays while they have time to spare.
            // Either way the decisions are the same.
            aheadOfUs = prefetcher.waited ? 0 : aheadOfUs + 1
            reader.judgingAhead.store(options.judgeAheadAfter.map { aheadOfUs >= $0 } ?? false, ordering: .relaxed)
            guard case .batch(let batch) = next else {
                if case .endOfFile(let bytes) = next {
                    doneBytes += bytes
                    summary.bytes += bytes
                }
                continue
            }
            // In order: count errors, buffer events, release those that are ready.
            for (k, result) in batch.results.enumerated() {
                switch result {
                case .failure(let error):
                    summary.badLines += 1
                    if summary.badExamples.count < options.maxErrorsShown { summary.badExamples.append(error.description) }
                    if options.strict { throw AuditError.strict(error.description) }
                case .success(let (prepared, unknown)):
                    summary.unknownKeys += unknown
                    if prepared.isEmpty {
                        summary.otherPartitions += 1
                        continue
                    }
                    let event = prepared[0].event
                    let ts = event.ts ?? 0
                    let item = ReorderBuffer.Item(
                        ts: ts, seq: seq, event: event, prepared: prepared, file: batch.path, line: batch.lineNumbers[k])
                    seq += 1
                    // One event at a time, as it arrived: results never depend on batch boundaries.
                    if buffer.isLate(ts) {
                        summary.late += 1
                        emit(item)
                    } else {
                        buffer.push(item)
                        while let next = buffer.pop(draining: false) { emit(next) }
                    }
                }
            }
            try decide()
            try onProgress?(doneBytes + batch.bytesRead, totalBytes, summary.events)
            prefetcher.discard([batch, spent])
            spent = []
            spent.reserveCapacity(batchSize)
        }
        while let item = buffer.pop(draining: true) { emit(item) }
        try decide()
        summary.seconds = Date().timeIntervalSince(started)
        summary.evaluation =
            obstacle.map { "one thread, in event-time order (not split by account: \($0))" }
            ?? "accounts split over \(parts) threads in \(summary.batchesSplit) of \(summary.batches) batches"
            + (summary.batchesSplit < summary.batches
                ? " (the others: reading was the slower stage, or an event trailed by more than the lateness)" : "")
        return summary
    }

    /// One batch's decisions, its accounts split over `parts` threads per engine (see
    /// `Engine.apartObstacle`): each account's events in order on one thread, then the ledger's
    /// ids and the invite graph put in the events' order.
    static func decideApart(
        _ items: UncheckedBox<[ReorderBuffer.Item]>, engines: [Engine], parts: Int, pool: WorkerPool?, pause: (@Sendable () -> Void)?
    ) -> [[Decision]] {
        var shares = [[Int]](repeating: [], count: parts)
        for k in items.value.indices {
            shares[AuditPartition.part(of: items.value[k].event.account, count: parts)].append(k)
        }
        let owned = UncheckedBox(shares)
        let marks = engines.map(\.penaltyMark)
        for engine in engines { engine.holdSweeps(true) }
        let decided = ParallelSlots<[Decision]>(count: engines.count * parts, pool: pool, chunks: engines.count * parts) { t in
            let (e, share) = (t / parts, owned.value[t % parts])
            return share.indices.map { j in
                if j % pauseEvery == 0 { pause?() }
                let item = share[j]
                return engines[e].checkApart(items.value[item].prepared[e], now: items.value[item].ts)
            }
        }.values
        for engine in engines { engine.holdSweeps(false) }
        return engines.indices.map { e in
            var inOrder = [Decision?](repeating: nil, count: items.value.count)
            for p in 0..<parts {
                for (j, k) in shares[p].enumerated() { inOrder[k] = decided[e * parts + p][j] }
            }
            var decisions = inOrder.map { $0! }
            engines[e].renumberPenalties(from: marks[e], in: &decisions)
            for k in items.value.indices {
                engines[e].applyInvite(of: items.value[k].event, verdict: decisions[k].verdict, now: items.value[k].ts)
            }
            return decisions
        }
    }
}
