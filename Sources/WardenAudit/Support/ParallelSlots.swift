import Dispatch
import Foundation

/// Computes `count` values on every core, each into its own slot, and hands back the array.
///
/// The slots are written through a raw pointer from several threads at once; this is safe
/// because every iteration owns a disjoint range of indices and the
/// array is read only after all the iterations have returned (both ways of running them wait for that).
struct ParallelSlots<Value> {
    let values: [Value]

    /// On `pool`'s threads when one is given, else on dispatch's.
    /// `chunks` pieces of work (by default four per core).
    init(count: Int, pool: WorkerPool? = nil, chunks: Int? = nil, _ make: @escaping @Sendable (Int) -> Value) {
        guard count > 0 else {
            values = []
            return
        }
        let storage = UnsafeMutablePointer<Value>.allocate(capacity: count)
        let slots = Slots(base: storage)
        let chunks = max(1, min(count, chunks ?? ProcessInfo.processInfo.activeProcessorCount * 4))
        let run: @Sendable (Int) -> Void = { chunk in
            for k in (chunk * count / chunks)..<((chunk + 1) * count / chunks) {
                (slots.base + k).initialize(to: make(k))
            }
        }
        if let pool {
            pool.perform(iterations: chunks, run)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: run)
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
