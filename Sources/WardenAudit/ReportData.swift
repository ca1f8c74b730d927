import WardenEngine

/// What the HTML report shows beyond the summary: a sample of findings.
public struct ReportData {
    public struct Example {
        public var id: String
        public var ts: Double
        public var account: String
        public var verdict: Verdict
        public var rules: [String]
        public var text: String
    }

    public var examples: [Example] = []
    /// Accounts whose redemption was flagged (a verdict other than allow), for the invite trees.
    public var flaggedRedeemers: Set<String> = []
    public let limit: Int

    public init(limit: Int = 200) { self.limit = limit }

    public mutating func add(_ finding: Auditor.Finding) {
        if finding.decision.verdict != .allow, finding.event.type == .redeem, flaggedRedeemers.count < 1_000_000 {
            flaggedRedeemers.insert(finding.event.account)
        }
        guard finding.decision.verdict != .allow, examples.count < limit else { return }
        examples.append(Example(
            id: finding.event.id, ts: finding.event.ts ?? 0, account: finding.event.account, verdict: finding.decision.verdict,
            rules: finding.decision.fired.map(\.rule), text: String((finding.event.text ?? finding.event.code ?? "").prefix(120))))
    }
}
