import Dispatch
import Foundation

/// Computes `count` values on every core, each into its own slot, and hands back the array.
///
/// The slots are written through a raw pointer from several threads at once; this is safe
/// because every iteration of `concurrentPerform` owns a disjoint range of indices and the
/// array is read only after `concurrentPerform` has returned (it waits for all iterations).
struct ParallelSlots<Value> {
    let values: [Value]

    init(count: Int, _ make: @Sendable (Int) -> Value) {
        guard count > 0 else {
            values = []
            return
        }
        let storage = UnsafeMutablePointer<Value>.allocate(capacity: count)
        let slots = Slots(base: storage)
        let chunks = max(1, min(count, ProcessInfo.processInfo.activeProcessorCount * 4))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for k in (chunk * count / chunks)..<((chunk + 1) * count / chunks) {
                (slots.base + k).initialize(to: make(k))
            }
        }
        values = Array(UnsafeBufferPointer(start: storage, count: count))
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// The pointer, carried into the concurrent iterations (see the type's comment for why
    /// sharing it is safe).
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Value>
    }
}
