/// Per-key state of a `count` or `sum`: the non-empty steps only, sorted by step.
///
/// A key that sends once a day holds one bucket; a busy key at most the window's span plus the
/// lateness allowance. The value for an event counts every step from its window's start up to
/// the newest step seen, so an in-order event sees exactly its trailing window, and a late one
/// also sees what already happened after it.
struct WindowSeries: Sendable {
    struct Bucket: Sendable {
        var step: Int32
        var value: Float64
    }

    var buckets: [Bucket] = []

    var newestStep: Int32 { buckets.last?.step ?? .min }

    /// Adds `amount` at `step`, drops buckets older than `keepFrom`, returns the value from `windowStart` on.
    mutating func add(_ amount: Double, at step: Int32, windowStart: Int32, keepFrom: Int32) -> Double {
        if let last = buckets.last, last.step == step {
            buckets[buckets.count - 1].value += amount
        } else if buckets.isEmpty || buckets[buckets.count - 1].step < step {
            buckets.append(Bucket(step: step, value: amount))
        } else {
            let i = buckets.firstIndex { $0.step >= step }!
            if buckets[i].step == step {
                buckets[i].value += amount
            } else {
                buckets.insert(Bucket(step: step, value: amount), at: i)
            }
        }
        if let first = buckets.first, first.step < keepFrom {
            buckets.removeAll { $0.step < keepFrom }
        }
        return value(from: windowStart)
    }

    func value(from windowStart: Int32) -> Double {
        var total = 0.0
        for bucket in buckets.reversed() {
            if bucket.step < windowStart { break }
            total += bucket.value
        }
        return total
    }
}
