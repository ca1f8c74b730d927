import Foundation
import Synchronization
import WardenEngine

/// Prometheus metrics: requests by route and status, a latency histogram, decisions by verdict,
/// rule hits, reloads. Rendered in the text exposition format for `GET /metrics`.
public final class Metrics: Sendable {
    static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]

    struct Counts {
        var requests: [String: Int] = [:]
        var latencyBuckets = [Int](repeating: 0, count: Metrics.buckets.count)
        var latencyCount = 0
        var latencySum = 0.0
        var decisions: [String: Int] = [:]
        var ruleHits: [String: Int] = [:]
        var reloads: [String: Int] = [:]
        var penalties: [String: Int] = [:]
        /// Decisions taken without the counter state (the backend failed; counters read 0).
        var stateErrors = 0
        /// Penalty writes (records, extensions, lifts) the ledger did not store.
        var ledgerErrors = 0
    }

    private let counts = Mutex(Counts())
    /// Outbox messages by state (pending, delivered, dead), when there is an outbox.
    let outbox: (@Sendable () -> [String: Int])?

    /// Counter keys held, and new keys refused at the per-counter limit (current rule set).
    let counters: (@Sendable () -> (keys: Int, refused: Int))?

    public init(outbox: (@Sendable () -> [String: Int])? = nil, counters: (@Sendable () -> (keys: Int, refused: Int))? = nil) {
        self.outbox = outbox
        self.counters = counters
    }

    func request(route: String, status: Int, seconds: Double) {
        counts.withLock { c in
            c.requests["route=\"\(route)\",status=\"\(status)\"", default: 0] += 1
            c.latencyCount += 1
            c.latencySum += seconds
            for (i, bound) in Metrics.buckets.enumerated() where seconds <= bound { c.latencyBuckets[i] += 1 }
        }
    }

    func decision(_ d: Decision) {
        counts.withLock { c in
            c.decisions[d.verdict.rawValue, default: 0] += 1
            for f in d.fired { c.ruleHits[f.rule, default: 0] += 1 }
            for p in d.penalties { c.penalties[p.action.rawValue, default: 0] += 1 }
            if d.stateUnavailable { c.stateErrors += 1 }
            if d.ledgerFailed { c.ledgerErrors += 1 }
        }
    }

    func ledgerFailure() {
        counts.withLock { $0.ledgerErrors += 1 }
    }

    func reload(accepted: Bool) {
        counts.withLock { $0.reloads[accepted ? "accepted" : "refused", default: 0] += 1 }
    }

    public var text: String {
        let c = counts.withLock { $0 }
        var out: [String] = []
        func family(_ name: String, _ help: String, _ type: String, _ values: [String: Int], label: String? = nil) {
            out.append("# HELP \(name) \(help)")
            out.append("# TYPE \(name) \(type)")
            for (key, n) in values.sorted(by: { $0.key < $1.key }) {
                out.append(label.map { "\(name){\($0)=\"\(key)\"} \(n)" } ?? "\(name){\(key)} \(n)")
            }
        }
        family("warden_requests_total", "HTTP requests by route and status.", "counter", c.requests)
        out.append("# HELP warden_request_seconds Request latency.")
        out.append("# TYPE warden_request_seconds histogram")
        for (i, bound) in Metrics.buckets.enumerated() { out.append("warden_request_seconds_bucket{le=\"\(bound)\"} \(c.latencyBuckets[i])") }
        out.append("warden_request_seconds_bucket{le=\"+Inf\"} \(c.latencyCount)")
        out.append("warden_request_seconds_sum \(c.latencySum)")
        out.append("warden_request_seconds_count \(c.latencyCount)")
        family("warden_decisions_total", "Decisions by verdict.", "counter", c.decisions, label: "verdict")
        family("warden_rule_hits_total", "Enforced rule hits.", "counter", c.ruleHits, label: "rule")
        family("warden_penalties_total", "Penalties by action.", "counter", c.penalties, label: "action")
        family("warden_reloads_total", "Rule set reloads.", "counter", c.reloads, label: "result")
        out.append("# HELP warden_state_errors_total Decisions taken without the shared counter state (Redis failed; counters read 0).")
        out.append("# TYPE warden_state_errors_total counter")
        out.append("warden_state_errors_total \(c.stateErrors)")
        out.append("# HELP warden_ledger_failures_total Penalty writes the ledger did not store (the answer left the penalty out; on_state_error decided).")
        out.append("# TYPE warden_ledger_failures_total counter")
        out.append("warden_ledger_failures_total \(c.ledgerErrors)")
        if let counters {
            let (keys, refused) = counters()
            out.append("# HELP warden_counter_keys Counter keys held, all counters together.")
            out.append("# TYPE warden_counter_keys gauge")
            out.append("warden_counter_keys \(keys)")
            out.append("# HELP warden_counter_keys_refused New counter keys not kept at the per-counter limit (--max-counter-keys), since the rule set was loaded.")
            out.append("# TYPE warden_counter_keys_refused counter")
            out.append("warden_counter_keys_refused \(refused)")
        }
        if let outbox {
            family("warden_outbox_messages", "Penalty outbox messages by state (dead: given up after retries).", "gauge", outbox(), label: "state")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
