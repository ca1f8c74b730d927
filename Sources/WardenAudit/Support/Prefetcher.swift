import Foundation

/// Runs a producer on a thread of its own, at most `depth` items ahead of the consumer: the
/// audit reads and prepares the next batches while the current one is evaluated.
///
/// The producer's state is touched only by that thread once started, and items cross over
/// under the condition's lock, which is why the class can be `@unchecked Sendable`.
final class Prefetcher<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Made and not yet taken (at most `depth`: removing from the front is cheap).
    private var items: [Item] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private let depth: Int
    /// Whether the last `next()` found no item made and waited for one: the producer is the
    /// slower side. Read by the consumer, which alone calls `next()`.
    private(set) var waited = false
    /// What the consumer is done with, freed on the producer's thread (see `discard`).
    private var garbage: [Any] = []

    /// Starts `produce` at once; it is called until it returns nil or throws.
    init(depth: Int, produce: @escaping () throws -> Item?) {
        self.depth = depth
        let box = UncheckedBox(produce)
        let thread = Thread { [self] in self.run(box.value) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func run(_ produce: () throws -> Item?) {
        while true {
            condition.lock()
            while items.count >= depth && !cancelled { condition.wait() }
            let stop = cancelled
            var spent: [Any] = []
            swap(&spent, &garbage)
            condition.unlock()
            spent.removeAll()  // the frees happen here, on this thread
            if stop { return }
            let item: Item?
            do {
                item = try produce()
            } catch {
                finish(failure: error)
                return
            }
            guard let item else {
                finish(failure: nil)
                return
            }
            condition.lock()
            items.append(item)
            condition.broadcast()
            condition.unlock()
        }
    }

    private func finish(failure: (any Error)?) {
        condition.lock()
        finished = true
        self.failure = failure
        condition.broadcast()
        condition.unlock()
    }

    /// The next item in order; nil when the producer is done; rethrows its error once the
    /// items made before it are consumed.
    func next() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        waited = items.isEmpty && !finished
        while items.isEmpty && !finished { condition.wait() }
        if !items.isEmpty {
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// Hands over values the consumer is done with, to be freed on the producer's thread: an
    /// audit's evaluation is the serial stage, and freeing a batch's events is not free.
    func discard(_ values: [Any]) {
        condition.lock()
        garbage.append(contentsOf: values)
        condition.unlock()
    }

    /// Stops the producer after its current item (the consumer gave up).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Carries a value into a `@Sendable` closure where the code that shares it makes the access
/// safe (one thread at a time, or reads only).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
