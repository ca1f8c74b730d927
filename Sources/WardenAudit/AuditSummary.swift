import Foundation
import WardenEngine

/// What an audit saw: counts for the summary and the report.
package struct AuditSummary: Sendable {
    package var files: [String] = []
    package var events = 0
    package var verdicts: [Verdict: Int] = [:]
    package var ruleHits: [String: Int] = [:]
    package var shadowHits: [String: Int] = [:]
    package var penalties: [String: Int] = [:]
    package var accounts: [String: Int] = [:]
    package var codes: [String: Int] = [:]
    package var badLines = 0
    package var badExamples: [String] = []
    package var late = 0
    /// Events of other partitions (`--partition`), read and skipped.
    package var otherPartitions = 0
    package var unknownKeys = 0
    package var bytes = 0
    package var seconds = 0.0
    /// Decisions per hour of event time, by verdict (for the report's chart).
    package var timeline: [Int: [Verdict: Int]] = [:]
    /// The digest of the rule set that decided.
    package var ruleset = ""
    /// How the evaluation ran: split by account over threads, or on one thread and why.
    package var evaluation = ""
    /// Batches decided, and of those decided with the accounts split over threads.
    package var batches = 0
    package var batchesSplit = 0

    mutating func add(_ d: Decision, ts: Double, account: String, code: String?) {
        events += 1
        verdicts[d.verdict, default: 0] += 1
        for f in d.fired { ruleHits[f.rule, default: 0] += 1 }
        for f in d.shadow { shadowHits[f.rule, default: 0] += 1 }
        for p in d.penalties { penalties[p.action.rawValue, default: 0] += 1 }
        if d.verdict != .allow {
            accounts[account, default: 0] += 1
            if let code { codes[code, default: 0] += 1 }
        }
        timeline[Int((ts / 3600).rounded(.down)), default: [:]][d.verdict, default: 0] += 1
    }

    static func top(_ counts: [String: Int], _ n: Int) -> [(String, Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n).map { ($0.key, $0.value) }
    }

    /// The plain-text summary printed at the end of an audit.
    package var text: String {
        var out: [String] = []
        let rate = seconds > 0 ? Double(events) / seconds : 0
        out.append(
            "audited \(events) events from \(files.count) file\(files.count == 1 ? "" : "s") in \(String(format: "%.2f", seconds)) s (\(Int(rate)) events/s, \(String(format: "%.1f", Double(bytes) / 1_048_576 / max(seconds, 1e-9))) MiB/s)"
        )
        out.append("decisions: " + Verdict.allCases.map { "\($0.rawValue) \(verdicts[$0] ?? 0)" }.joined(separator: ", "))
        out.append(
            "bad lines: \(badLines); late events (evaluated out of order): \(late)"
                + (unknownKeys > 0 ? "; unknown keys ignored: \(unknownKeys)" : "")
                + (otherPartitions > 0 ? "; events of other partitions skipped: \(otherPartitions)" : ""))
        for example in badExamples { out.append("  \(example)") }
        if !evaluation.isEmpty { out.append("evaluation: \(evaluation)") }
        if badLines > badExamples.count { out.append("  … \(badLines - badExamples.count) more") }
        out.append("rule hits:")
        for (rule, n) in Self.top(ruleHits, 1000) { out.append(String(format: "  %8d  %@", n, rule)) }
        for (rule, n) in Self.top(shadowHits, 1000) { out.append(String(format: "  %8d  %@ (shadow)", n, rule)) }
        out.append(
            "penalties: " + (penalties.isEmpty ? "none" : Self.top(penalties, 100).map { "\($0.0) \($0.1)" }.joined(separator: ", ")))
        // Top lists only when they say something: accounts and codes with three findings or more.
        let topAccounts = Self.top(accounts, 10).filter { $0.1 >= 3 }
        if !topAccounts.isEmpty {
            out.append("accounts with 3 or more findings: " + topAccounts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        }
        let topCodes = Self.top(codes, 10).filter { $0.1 >= 3 }
        if !topCodes.isEmpty { out.append("codes with 3 or more findings: " + topCodes.map { "\($0.0) \($0.1)" }.joined(separator: ", ")) }
        return out.joined(separator: "\n")
    }
}
