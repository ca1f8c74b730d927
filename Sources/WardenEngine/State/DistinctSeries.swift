/// Per-key state of a `distinct`: for each value (a 64-bit hash), the newest step it was seen
/// in, plus how many values have each step as their newest.
///
/// A value is in a window when its newest sighting is, so the distinct count is a sum over at
/// most span + lateness step counters. Exact (up to 64-bit hash collisions) until `capacity`
/// values; past that it keeps a uniform sample of the hashes (those whose top `level` bits are
/// zero) and scales by 2^level, which stays within about 2% (the sample never drops below
/// capacity / 2 values, a relative standard error under 0.8%).
struct DistinctSeries: Sendable {
    static let capacity = 32_768

    var newest: [UInt64: Int32] = [:]
    var perStep: [Int32: Int32] = [:]
    var level: UInt64 = 0
    var newestStep: Int32 = .min

    mutating func add(_ hashes: [UInt64], at step: Int32, windowStart: Int32, keepFrom: Int32) -> Double {
        newestStep = max(newestStep, step)
        for h in hashes where sampled(h) {
            if let old = newest[h] {
                guard old < step else { continue }
                perStep[old, default: 0] -= 1
                if perStep[old] == 0 { perStep[old] = nil }
            }
            newest[h] = step
            perStep[step, default: 0] += 1
        }
        if perStep.keys.contains(where: { $0 < keepFrom }) { expire(before: keepFrom) }
        while newest.count > Self.capacity { raiseLevel() }
        return value(from: windowStart)
    }

    func value(from windowStart: Int32) -> Double {
        var total = 0
        for (step, n) in perStep where step >= windowStart { total += Int(n) }
        return Double(total) * Double(UInt64(1) << level)
    }

    private func sampled(_ h: UInt64) -> Bool { level == 0 || h >> (64 - level) == 0 }

    private mutating func expire(before keepFrom: Int32) {
        newest = newest.filter { $0.value >= keepFrom }
        perStep = perStep.filter { $0.key >= keepFrom }
    }

    /// Halves the sample: keep only hashes with one more leading zero bit.
    private mutating func raiseLevel() {
        level += 1
        for (h, step) in newest where !sampled(h) {
            newest[h] = nil
            perStep[step, default: 0] -= 1
            if perStep[step] == 0 { perStep[step] = nil }
        }
    }
}
