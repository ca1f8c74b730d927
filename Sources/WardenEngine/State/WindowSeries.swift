/// Per-key state of a `count` or `sum`: the non-empty steps only, sorted by step.
///
/// The newest step lives inline and older ones in an array, so a key seen in one step only
/// (most keys of a large population) costs no allocation beyond its dictionary slot. The value
/// for an event counts every step from its window's start up to the newest step seen, so an
/// in-order event sees exactly its trailing window, and a late one also sees what already
/// happened after it.
struct WindowSeries: Sendable {
    struct Bucket: Sendable {
        var step: Int32
        var value: Float64
    }

    var newest = Bucket(step: .min, value: 0)
    /// Older non-empty steps, ascending.
    var older: [Bucket] = []

    var newestStep: Int32 { newest.step }

    /// All buckets, ascending (snapshots).
    var buckets: [Bucket] {
        get { newest.step == .min ? older : older + [newest] }
        set {
            older = Array(newValue.dropLast())
            newest = newValue.last ?? Bucket(step: .min, value: 0)
        }
    }

    /// Adds `amount` at `step`, drops buckets older than `keepFrom`, returns the value from `windowStart` on.
    mutating func add(_ amount: Double, at step: Int32, windowStart: Int32, keepFrom: Int32) -> Double {
        if step == newest.step {
            newest.value += amount
        } else if step > newest.step {
            if newest.step != .min, newest.step >= keepFrom { older.append(newest) }
            newest = Bucket(step: step, value: amount)
        } else if let i = older.firstIndex(where: { $0.step >= step }) {
            if older[i].step == step { older[i].value += amount } else { older.insert(Bucket(step: step, value: amount), at: i) }
        } else {
            older.append(Bucket(step: step, value: amount))
        }
        if let first = older.first, first.step < keepFrom {
            older.removeAll { $0.step < keepFrom }
        }
        return value(from: windowStart)
    }

    func value(from windowStart: Int32) -> Double {
        guard newest.step >= windowStart else { return 0 }
        var total = newest.value
        for bucket in older.reversed() {
            if bucket.step < windowStart { break }
            total += bucket.value
        }
        return total
    }
}
