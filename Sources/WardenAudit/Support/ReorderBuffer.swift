import WardenEngine

/// Holds events until no earlier one can still arrive: an event leaves once the newest event
/// time seen is at least `lateness` past it. Ties keep arrival order.
struct ReorderBuffer {
    struct Item {
        var ts: Double
        var seq: Int
        var event: Event
        /// One per engine.
        var prepared: [PreparedEvent]
        var file: String
        var line: Int
    }

    /// A binary heap of keys; the items stay put in `slots` (moving them in the heap copied
    /// every field of the event at each step).
    private struct Key {
        var ts: Double
        var seq: Int
        var slot: Int
    }

    private var heap: [Key] = []
    private var slots: [Item?] = []
    private var freeSlots: [Int] = []
    let lateness: Double
    /// The newest event time seen.
    private(set) var newest = -Double.infinity
    /// Event time of the last event released: anything earlier arriving now is late.
    private(set) var released = -Double.infinity

    init(lateness: Double) { self.lateness = lateness }

    var count: Int { heap.count }

    /// True when `ts` can no longer be put in order.
    func isLate(_ ts: Double) -> Bool { ts < released }

    mutating func push(_ item: Item) {
        newest = max(newest, item.ts)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = item
        } else {
            slot = slots.count
            slots.append(item)
        }
        heap.append(Key(ts: item.ts, seq: item.seq, slot: slot))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// The next event that is ready (all of them when `draining`).
    mutating func pop(draining: Bool) -> Item? {
        guard let first = heap.first, draining || first.ts <= newest - lateness else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1
                let r = l + 1
                var m = i
                if l < heap.count, less(heap[l], heap[m]) { m = l }
                if r < heap.count, less(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        released = max(released, first.ts)
        let item = slots[first.slot].take()
        freeSlots.append(first.slot)
        return item
    }

    private func less(_ a: Key, _ b: Key) -> Bool { (a.ts, a.seq) < (b.ts, b.seq) }
}
