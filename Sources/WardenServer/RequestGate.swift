import Synchronization

/// At most `limit` requests of one kind in flight (running or waiting); the rest are turned away.
final class RequestGate: Sendable {
    let limit: Int
    private let count = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Whether the caller may go on; if so, it must `leave()` when done.
    func enter() -> Bool {
        guard count.add(1, ordering: .relaxed).newValue <= limit else {
            count.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func leave() { count.subtract(1, ordering: .relaxed) }
}
