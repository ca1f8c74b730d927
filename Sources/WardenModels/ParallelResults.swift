import Synchronization

/// One result slot per parallel task, written once each.
final class ParallelResults<Value: Sendable>: Sendable {
    private let values: Mutex<[Value?]>
    init(count: Int) { values = Mutex(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ value: Value) { values.withLock { $0[i] = value } }
    func value(_ i: Int) -> Value { values.withLock { $0[i]! } }
}

/// A thread-safe count of finished steps, for progress.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() -> Int {
        count.withLock {
            $0 += 1
            return $0
        }
    }
}
