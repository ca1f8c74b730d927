import CoreMetrics
import Prometheus
import Synchronization
import WardenEngine

/// The server's metrics through swift-metrics, exported by swift-prometheus in the text format
/// at `GET /metrics`, under the names they have always had: requests by route and status, a
/// latency histogram, decisions by verdict, rule hits, penalties by action, reloads, state and
/// ledger failures, counter keys, outbox messages by state.
///
/// Each server has a registry and a factory of its own (no global bootstrap), so several servers
/// in one process, as in tests, keep their figures apart.
package final class Metrics: Sendable {
    static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]

    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Outbox messages by state (pending, delivered, dead), when there is an outbox.
    let outbox: (@Sendable () -> [String: Int])?
    /// Counter keys held, and new keys refused at the per-counter limit (current rule set).
    let counters: (@Sendable () -> (keys: Int, refused: Int))?

    private let stateErrors: CoreMetrics.Counter
    private let ledgerErrors: CoreMetrics.Counter
    private let counterKeys: CoreMetrics.Gauge?
    private let keysRefused: CoreMetrics.Counter?
    /// The refused-key count already reported: the engine keeps a total, a counter takes steps.
    private let refusedReported = TotalReported()

    /// A SQLite ledger's group commit: transactions committed and the penalty writes they carried.
    let commits: (@Sendable () -> (commits: Int, writes: Int))?
    private let commitsReported = TotalReported()
    private let writesReported = TotalReported()
    private let ledgerCommits: CoreMetrics.Counter?
    private let ledgerWrites: CoreMetrics.Counter?

    /// The review queue: cases open now, and cases not opened because it was full.
    let review: (@Sendable () -> (open: Int, refused: Int))?
    private let casesOpen: CoreMetrics.Gauge?
    private let casesRefused: CoreMetrics.Counter?
    private let casesRefusedReported = TotalReported()

    /// The archive: events written, and events dropped (a full disk, a queue past its bound).
    let archive: (@Sendable () -> (written: Int, dropped: Int))?
    private let archived: CoreMetrics.Counter?
    private let archiveDropped: CoreMetrics.Counter?
    private let archivedReported = TotalReported()
    private let droppedReported = TotalReported()

    /// Stored penalty records that did not read and were skipped.
    let skippedRecords: (@Sendable () -> Int)?
    private let recordsSkipped: CoreMetrics.Counter?
    private let skippedReported = TotalReported()

    package init(
        outbox: (@Sendable () -> [String: Int])? = nil, counters: (@Sendable () -> (keys: Int, refused: Int))? = nil,
        commits: (@Sendable () -> (commits: Int, writes: Int))? = nil, review: (@Sendable () -> (open: Int, refused: Int))? = nil,
        archive: (@Sendable () -> (written: Int, dropped: Int))? = nil, skippedRecords: (@Sendable () -> Int)? = nil
    ) {
        self.skippedRecords = skippedRecords
        self.review = review
        self.archive = archive
        self.outbox = outbox
        self.counters = counters
        self.commits = commits
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets["warden_request_seconds"] = Self.buckets
        self.factory = factory
        // Created now, so they read 0 before anything happens.
        stateErrors = CoreMetrics.Counter(label: "warden_state_errors_total", factory: factory)
        ledgerErrors = CoreMetrics.Counter(label: "warden_ledger_failures_total", factory: factory)
        counterKeys = counters.map { _ in CoreMetrics.Gauge(label: "warden_window_keys", factory: factory) }
        keysRefused = counters.map { _ in CoreMetrics.Counter(label: "warden_window_keys_refused_total", factory: factory) }
        ledgerCommits = commits.map { _ in CoreMetrics.Counter(label: "warden_ledger_commits_total", factory: factory) }
        ledgerWrites = commits.map { _ in CoreMetrics.Counter(label: "warden_ledger_writes_total", factory: factory) }
        casesOpen = review.map { _ in CoreMetrics.Gauge(label: "warden_review_cases_open", factory: factory) }
        casesRefused = review.map { _ in CoreMetrics.Counter(label: "warden_review_cases_refused_total", factory: factory) }
        archived = archive.map { _ in CoreMetrics.Counter(label: "warden_archive_events_total", factory: factory) }
        archiveDropped = archive.map { _ in CoreMetrics.Counter(label: "warden_archive_dropped_total", factory: factory) }
        recordsSkipped = skippedRecords.map { _ in CoreMetrics.Counter(label: "warden_ledger_records_skipped_total", factory: factory) }
    }

    private func count(_ label: String, _ dimensions: [(String, String)], by amount: Int = 1) {
        CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory).increment(by: amount)
    }

    func request(route: String, status: Int, seconds: Double) {
        count("warden_requests_total", [("route", route), ("status", String(status))])
        Recorder(label: "warden_request_seconds", dimensions: [("route", route)], aggregate: true, factory: factory).record(seconds)
    }

    func decision(_ d: Decision) {
        count("warden_decisions_total", [("verdict", d.verdict.rawValue)])
        for f in d.fired { count("warden_rule_hits_total", [("rule", f.rule)]) }
        for p in d.penalties { count("warden_penalties_total", [("action", p.action.rawValue)]) }
        if d.stateUnavailable { stateErrors.increment() }
        if d.ledgerFailed { ledgerErrors.increment() }
    }

    /// Top-level event keys ignored as unknown (not labelled by key: clients choose them).
    func unknownKeys(_ n: Int) {
        count("warden_unknown_event_keys_total", [], by: n)
    }

    func ledgerFailure() {
        ledgerErrors.increment()
    }

    func reload(accepted: Bool) {
        count("warden_reloads_total", [("result", accepted ? "accepted" : "refused")])
    }

    /// The metrics in Prometheus' text format, each with its HELP line; the gauges read now;
    /// `warden_build_info` names the version and the rule set serving (servers that drift apart
    /// can be alerted on), and the process' own figures follow.
    package func text(ruleSet info: CompiledRuleSet.Info) -> String {
        var out = MetricsHelp.annotate(collect())
        out += MetricsHelp.family(
            "warden_build_info", "gauge",
            [
                (
                    [
                        ("version", WardenInfo.version), ("ruleset", info.name), ("ruleset_version", info.version ?? ""),
                        ("digest", info.digest),
                    ], 1
                )
            ])
        out += ProcessMetrics.text()
        return out
    }

    private func collect() -> String {
        if let counters {
            let (keys, refused) = counters()
            counterKeys?.record(keys)
            refusedReported.advance(to: refused, keysRefused)
        }
        if let commits {
            // Writes per commit above 1: group commit at work.
            let now = commits()
            commitsReported.advance(to: now.commits, ledgerCommits)
            writesReported.advance(to: now.writes, ledgerWrites)
        }
        if let review {
            let (open, refused) = review()
            casesOpen?.record(open)
            casesRefusedReported.advance(to: refused, casesRefused)
        }
        if let archive {
            let (written, dropped) = archive()
            archivedReported.advance(to: written, archived)
            droppedReported.advance(to: dropped, archiveDropped)
        }
        if let skippedRecords { skippedReported.advance(to: skippedRecords(), recordsSkipped) }
        if let outbox {
            for (state, n) in outbox() {
                CoreMetrics.Gauge(label: "warden_outbox_messages", dimensions: [("state", state)], factory: factory).record(n)
            }
        }
        return registry.emitToString()
    }
}

/// A total kept elsewhere (the engine, the group commit, the review store) reported through a
/// counter, which only takes steps: what was reported so far, and the step to the new total.
final class TotalReported: Sendable {
    private let reported = Mutex(0)

    func advance(to total: Int, _ counter: CoreMetrics.Counter?) {
        if let step = advance(to: total) { counter?.increment(by: step) }
    }

    /// The step to `total` since the last call, or nil when there is none.
    func advance(to total: Int) -> Int? {
        let step = reported.withLock { r in
            defer { r = max(r, total) }
            return max(0, total - r)
        }
        return step > 0 ? step : nil
    }
}
