import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `transform` of `0..<count`, in order, worked out in contiguous parts on every core:
    /// for loading work that is independent per item (a large word list's entries, the fold
    /// steps' parts).
    static func parallel(_ count: Int, parts: Int = 8, _ transform: @Sendable (Int) -> Element) -> [Element] {
        guard count >= parts, parts > 1 else { return (0..<count).map(transform) }
        let done = Mutex([[Element]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let part = (count * p / parts..<count * (p + 1) / parts).map(transform)
            done.withLock { $0[p] = part }
        }
        return done.withLock { $0.flatMap { $0 } }
    }
}
