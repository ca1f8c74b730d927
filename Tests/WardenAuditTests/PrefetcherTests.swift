import Foundation
import Synchronization
import Testing

@testable import WardenAudit

@Suite struct PrefetcherTests {
    struct Broken: Error {}

    /// Items arrive in order, the producer's error after the items made before it.
    @Test func itemsInOrderThenTheError() throws {
        let made = Mutex(0)
        let prefetcher = Prefetcher<Int>(depth: 2) {
            let n = made.withLock { n in
                n += 1
                return n
            }
            if n > 1000 { throw Broken() }
            return n
        }
        var got: [Int] = []
        #expect(throws: Broken.self) {
            while let n = try prefetcher.next() { got.append(n) }
        }
        #expect(got == Array(1...1000))
    }

    /// A consumer that stops early cancels: the producer stops within its lead, and holds
    /// nothing it has handed over.
    @Test func cancelStopsTheProducer() throws {
        let made = Mutex(0)
        let prefetcher = Prefetcher<Int>(depth: 2) {
            made.withLock { n in
                n += 1
                return n
            }
        }
        for expected in 1...3 { #expect(try prefetcher.next() == expected) }
        prefetcher.cancel()
        Thread.sleep(forTimeInterval: 0.2)
        let count = made.withLock { $0 }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(made.withLock { $0 } == count, "the producer went on after cancel")
        #expect(count <= 3 + 2 + 1)
    }

    final class Live: Sendable {
        let count = Mutex(0)
    }

    final class Token: Sendable {
        let live: Live
        init(_ live: Live) {
            self.live = live
            live.count.withLock { $0 += 1 }
        }
        deinit { live.count.withLock { $0 -= 1 } }
    }

    /// Items taken are not kept: a long audit holds a few batches, not every one it read.
    @Test func takenItemsAreReleased() throws {
        let live = Live()
        let prefetcher = Prefetcher<Token>(depth: 2) { Token(live) }
        // A consumer slower than its producer (as an audit's evaluation is): the producer is
        // always ahead, so the queue is never empty between takes.
        for _ in 0..<50 {
            _ = try prefetcher.next()
            Thread.sleep(forTimeInterval: 0.002)
        }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(live.count.withLock { $0 } <= 3)
        prefetcher.cancel()
    }

    @Test func anEmptyProducerEndsAtOnce() throws {
        let prefetcher = Prefetcher<Int>(depth: 2) { nil }
        #expect(try prefetcher.next() == nil)
        #expect(try prefetcher.next() == nil)
    }
}
