/// The HELP line of every metric the server exports (swift-metrics has no place for one, and
/// Prometheus' own checker, `promtool check metrics`, wants it), added to the registry's text.
enum MetricsHelp {
    static let help: [String: String] = [
        "warden_requests_total": "HTTP requests answered, by route and status.",
        "warden_request_seconds": "Time to answer an HTTP request, by route.",
        "warden_decisions_total": "Events decided, by verdict.",
        "warden_rule_hits_total": "Rules fired, by rule.",
        "warden_penalties_total": "Penalties in answers, by action.",
        "warden_reloads_total": "Rule-set reloads, accepted or refused.",
        "warden_state_errors_total": "Checks that could not reach the shared state.",
        "warden_ledger_failures_total": "Penalty writes that failed.",
        "warden_window_keys": "Counter keys held by the rule set serving.",
        "warden_window_keys_refused_total": "New counter keys refused at the per-counter limit.",
        "warden_ledger_commits_total": "SQLite group-commit transactions.",
        "warden_ledger_writes_total": "Penalty writes carried by the group commits.",
        "warden_review_cases_open": "Review cases open now.",
        "warden_review_cases_refused_total": "Review cases not opened because the queue was full.",
        "warden_archive_events_total": "Events written to the archive.",
        "warden_archive_dropped_total": "Events the archive dropped (a full disk, a queue past its bound).",
        "warden_ledger_records_skipped_total":
            "Stored penalty records that did not read (out-of-range numbers, missing fields) and were skipped.",
        "warden_outbox_messages": "Penalty webhook messages, by state.",
        "warden_unknown_event_keys_total": "Unknown top-level event keys ignored.",
        "warden_build_info": "Warden's version and the rule set it serves.",
    ]

    /// `text` with `# HELP` before each `# TYPE` line (a generic one for a name not listed).
    static func annotate(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 4096)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE "), let name = line.dropFirst(7).split(separator: " ").first {
                out += "# HELP \(name) \(help[String(name)] ?? "Warden's \(name).")\n"
            }
            out += line + "\n"
        }
        while out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }

    /// One family written by hand: HELP, TYPE and its samples.
    static func family(_ name: String, _ type: String, _ samples: [(labels: [(String, String)], value: Double)], help: String? = nil)
        -> String
    {
        var out = "# HELP \(name) \(help ?? Self.help[name] ?? "Warden's \(name).")\n# TYPE \(name) \(type)\n"
        for (labels, value) in samples {
            let pairs = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
            let number = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
            out += name + (pairs.isEmpty ? "" : "{\(pairs)}") + " \(number)\n"
        }
        return out
    }

    /// A label value as the text format writes it.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(
            of: "\n", with: "\\n")
    }
}
