import Foundation
import Synchronization
import Testing

@testable import WardenAudit

@Suite struct WorkerPoolTests {
    /// Every iteration of every job runs exactly once, with that job's body, however the
    /// threads wake: jobs follow each other at once, of sizes from 1 to more than the threads.
    @Test func everyIterationOnceWithItsOwnJob() {
        let pool = WorkerPool(threads: 3)
        defer { pool.close() }
        for job in 0..<2_000 {
            let size = 1 + job % 9
            let runs = Mutex([Int](repeating: 0, count: size))
            let wrongJob = Mutex(0)
            pool.perform(iterations: size) { k in
                runs.withLock { $0[k] += 1 }
                if k >= size { wrongJob.withLock { $0 += 1 } }
            }
            #expect(runs.withLock { $0 } == [Int](repeating: 1, count: size), "job \(job)")
            #expect(wrongJob.withLock { $0 } == 0)
        }
    }

    /// ParallelSlots on the pool gives the values in order, like on dispatch's threads.
    @Test func slotsOnThePool() {
        let pool = WorkerPool(threads: 2)
        defer { pool.close() }
        let values = ParallelSlots<String>(count: 10_000, pool: pool) { "v\($0)" }.values
        #expect(values == (0..<10_000).map { "v\($0)" })
    }
}
