import Synchronization
import WardenLanguage

/// The last decisions other than `allow` this process made for each account, for the account
/// view (`recent`): at most `perAccount` each, for at most `accounts` accounts (the account
/// first recorded goes first). Kept in memory only; a restart or another server starts empty.
final class RecentDecisions: Sendable {
    /// One decision as the account view lists it.
    struct Entry: Sendable {
        var id: String
        var type: String
        var at: Double
        var verdict: Verdict
        var rules: [String]
        var caseID: String?
    }

    let perAccount: Int
    let accounts: Int
    private struct Book {
        var entries: [String: [Entry]] = [:]
        /// Accounts in the order they were first recorded; `head` is the next to evict.
        var order: [String] = []
        var head = 0
    }
    private let book = Mutex(Book())

    init(perAccount: Int = 10, accounts: Int = 50_000) {
        self.perAccount = perAccount
        self.accounts = accounts
    }

    func record(_ account: String, _ entry: Entry) {
        book.withLock { b in
            if b.entries[account] == nil {
                b.order.append(account)
                if b.entries.count >= accounts {
                    b.entries[b.order[b.head]] = nil
                    b.head += 1
                    if b.head > accounts {
                        b.order.removeFirst(b.head)
                        b.head = 0
                    }
                }
            }
            b.entries[account, default: []].append(entry)
            if b.entries[account]!.count > perAccount { b.entries[account]!.removeFirst() }
        }
    }

    /// Newest first.
    func of(_ account: String) -> [Entry] {
        book.withLock { $0.entries[account]?.reversed() ?? [] }
    }
}
