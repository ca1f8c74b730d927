import Foundation
import Synchronization
import WardenAudit
import WardenEngine

/// Backtests (`POST /v1/backtests`): a candidate rule set run beside the live one over the
/// server's archive, each on a fresh engine in memory (never the live counters, ledger, review
/// queue or outbox), on a thread of its own at a lower priority, one at a time. The result is
/// what `warden dry-run --json` writes for the same events.
package final class Backtests: Sendable {
    package enum Status: String, Sendable { case queued, running, done, failed, cancelled }

    package struct Run: Sendable {
        package var id: String
        package var status: Status = .queued
        package var since: Double
        package var until: Double
        package var candidate: String
        package var baseline: String
        package var created: Double
        package var progress = 0.0
        package var events = 0
        package var error: String?
        package var result: String?
        package var html: String?
        package var warnings: [String] = []
        /// Events whose decision changes, once done.
        package var changed: Int?

        /// The run as `GET /v1/backtests/{id}` gives it; without the result in a list.
        package func json(withResult: Bool = true) -> JSONValue {
            var pairs: [(String, JSONValue)] = [
                ("id", .string(id)), ("status", .string(status.rawValue)), ("progress", .number((progress * 1000).rounded() / 1000)),
                ("events", .int(events)), ("since", .string(Timestamp.format(since))), ("until", .string(Timestamp.format(until))),
                ("baseline", .string(baseline)), ("candidate", .string(candidate)), ("created", .string(Timestamp.format(created))),
                ("warnings", .array(warnings.map(JSONValue.string))), ("error", error.map(JSONValue.string) ?? .null),
                ("changed", changed.map(JSONValue.int) ?? .null),
            ]
            guard withResult else { return .object(pairs) }
            var result: JSONValue = .null
            if let text = self.result, let parsed = try? JSONParser.parse(text) { result = parsed }
            pairs.append(("result", result))
            return .object(pairs)
        }
    }

    /// Checks being answered now: a run steps aside while there are any (`yieldToChecks`).
    private let checksInFlight = Atomic<Int>(0)
    private let runs = Mutex<[String: Run]>([:])
    private let cancelled = Mutex<Set<String>>([])
    /// Runs kept for GET after they end (the oldest go first).
    static let kept = 20

    /// Runs at nice 19 (`serve --backtest-priority low`, the default) or as the checks do (a
    /// replica kept for backtests, or a test on a loaded machine).
    let lowPriority: Bool

    package init(lowPriority: Bool = true) { self.lowPriority = lowPriority }

    /// Brackets a check, so that a running backtest yields to it.
    package func checkStarted() { checksInFlight.add(1, ordering: .relaxed) }
    package func checkEnded() { checksInFlight.subtract(1, ordering: .relaxed) }

    /// Called by a run's threads every few hundred events: waits while checks are in flight, for
    /// at most 100 ms at a time, so that under a load that never stops a backtest still moves
    /// (a slice of work, then up to 100 ms aside) and checks keep the cores otherwise. A lower
    /// priority alone is not enough: measured here, a backtest at nice 19 still cost checks a
    /// third of their p99, mostly the time it holds a core when a check wakes up.
    package func yieldToChecks() {
        var waited: UInt32 = 0
        var step: UInt32 = 200
        // Steps that grow to 5 ms: a waiting thread must not itself wake thousands of times a second.
        while checksInFlight.load(ordering: .relaxed) > 0 && waited < 100_000 {
            usleep(step)
            waited += step
            step = min(step * 2, 5_000)
        }
    }

    package func get(_ id: String) -> Run? { runs.withLock { $0[id] } }

    /// The runs kept, newest first.
    package func list() -> [Run] { runs.withLock { Array($0.values) }.sorted { ($0.created, $0.id) > ($1.created, $1.id) } }

    /// Starts a run, or nil when one is queued or running (one at a time).
    package func start(
        live: CompiledRuleSet, candidate: CompiledRuleSet, archive: String, since: Double, until: Double, now: Double,
        lateness: Double = 600
    ) -> Run? {
        let id = "b" + UUID().uuidString.prefix(8).lowercased()
        let run = Run(
            id: id, since: since, until: until, candidate: candidate.info.digest, baseline: live.info.digest, created: now)
        let started = runs.withLock { r -> Bool in
            guard !r.values.contains(where: { $0.status == .queued || $0.status == .running }) else { return false }
            if r.count >= Self.kept, let oldest = r.values.min(by: { $0.created < $1.created }) { r[oldest.id] = nil }
            r[id] = run
            return true
        }
        guard started else { return nil }
        let thread = Thread { [self] in
            // Below the request threads (every thread of the run: `Options.background`).
            self.execute(id, live: live, candidate: candidate, archive: archive, since: since, until: until, lateness: lateness)
        }
        thread.name = "warden-backtest"
        thread.start()
        return run
    }

    /// Asks a run to stop; false when there is no such run or it has ended.
    package func cancel(_ id: String) -> Bool {
        runs.withLock { r in
            guard let run = r[id], run.status == .queued || run.status == .running else { return false }
            cancelled.withLock { _ = $0.insert(id) }
            return true
        }
    }

    private func update(_ id: String, _ change: (inout Run) -> Void) { runs.withLock { r in if r[id] != nil { change(&r[id]!) } } }

    private struct Cancelled: Error {}

    private func execute(
        _ id: String, live: CompiledRuleSet, candidate: CompiledRuleSet, archive: String, since: Double, until: Double, lateness: Double
    ) {
        update(id) { $0.status = .running }
        do {
            let reader = try ArchiveReader(directory: archive, since: since, until: until)
            let engines = [Engine(ruleSet: live, lateness: lateness), Engine(ruleSet: candidate, lateness: lateness)]
            var options = Auditor.Options()
            options.lateness = lateness
            options.background = lowPriority
            options.pause = { [self] in self.yieldToChecks() }
            var comparison = DryRunReport()
            comparison.baseline = "live (\(live.info.name)\(live.info.version.map { " " + $0 } ?? ""), \(live.info.digest))"
            comparison.current =
                "candidate (\(candidate.info.name)\(candidate.info.version.map { " " + $0 } ?? ""), \(candidate.info.digest))"
            if let old = Compiler.syntax(files: live.sources), let new = Compiler.syntax(files: candidate.sources) {
                comparison.diff = RuleSetDiff(old: old, new: new)
            }
            let total = max(reader.totalBytes, 1)
            let summary = try Auditor(engines: engines, options: options).run(
                sources: [reader.lineSource()],
                onFinding: { finding in
                    comparison.add(baseline: finding.decisions[0], current: finding.decisions[1], event: finding.event)
                },
                onProgress: { [self] done, _, events in
                    if cancelled.withLock({ $0.contains(id) }) { throw Cancelled() }
                    update(id) {
                        $0.progress = min(0.99, Double(done) / Double(total))
                        $0.events = events
                    }
                })
            var warnings = reader.warnings
            if summary.badLines > 0 {
                warnings.append("\(summary.badLines) archived lines could not be read: \(summary.badExamples.prefix(3))")
            }
            let (json, html) = (comparison.json, comparison.html(language: .default(timezone: live.info.timezone)))
            update(id) {
                $0.status = .done
                $0.progress = 1
                $0.events = summary.events
                $0.result = json
                $0.html = html
                $0.changed = comparison.changed
                $0.warnings = warnings
            }
        } catch is Cancelled {
            update(id) { $0.status = .cancelled }
        } catch {
            update(id) {
                $0.status = .failed
                $0.error = "\(error)"
            }
        }
        cancelled.withLock { _ = $0.remove(id) }
    }
}
