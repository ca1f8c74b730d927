import WardenMatching

/// One of N parts of a log, by a hash of the event's account: `warden audit --partition K/N`
/// on N processes (sharing state through `--state redis://…`) covers every event once.
///
/// Decisions are exact when every counter and every penalty of the rule set is keyed by
/// account (all of one account's events are in one part, in event-time order); counters or
/// penalties keyed otherwise (ip, device, code, recipient) still count every event, through the
/// shared state, but the parts run side by side, so which event of such a key comes first across
/// parts is not the log's order. `warden lint --keys` says which keys a rule set uses.
package struct AuditPartition: Sendable, Equatable {
    /// 0-based.
    package let index: Int
    package let count: Int

    /// `K/N` with 1 ≤ K ≤ N.
    package init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        index = k - 1
        count = n
    }

    package func contains(account: String) -> Bool {
        count == 1 || Self.part(of: account, count: count) == index
    }

    /// Which of `count` parts an account is in (0-based): processes (`--partition`) and an
    /// audit's evaluation threads split accounts alike.
    package static func part(of account: String, count: Int) -> Int {
        Int(FNV1a.mixed(account.utf8) % UInt64(count))
    }
}
