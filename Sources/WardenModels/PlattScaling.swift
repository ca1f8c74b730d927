import Foundation

extension Calibration {
    /// Fits Platt's sigmoid to held-out margins, by Newton's method with backtracking, on
    /// Platt's smoothed targets (Lin, Lin & Weng 2007, "A note on Platt's probabilistic outputs
    /// for support vector machines"): the positives aim at (N₊+1)/(N₊+2), the negatives at
    /// 1/(N₋+2), so a separable fold does not drive the slope to infinity.
    package static func fit(margins: [Double], positive: [Bool]) -> Calibration {
        let prior1 = Double(positive.filter { $0 }.count)
        let prior0 = Double(positive.count) - prior1
        let hi = (prior1 + 1) / (prior1 + 2)
        let lo = 1 / (prior0 + 2)
        let t = positive.map { $0 ? hi : lo }
        // Their parameterization is p = 1 / (1 + exp(A·f + B)); a = -A, b = -B below.
        var A = 0.0
        var B = log((prior0 + 1) / (prior1 + 1))
        func objective(_ A: Double, _ B: Double) -> Double {
            var f = 0.0
            for (m, ti) in zip(margins, t) {
                let fApB = m * A + B
                f += fApB >= 0 ? ti * fApB + log(1 + exp(-fApB)) : (ti - 1) * fApB + log(1 + exp(fApB))
            }
            return f
        }
        var fval = objective(A, B)
        let sigma = 1e-12
        for _ in 0..<100 {
            var (h11, h22, h21, g1, g2) = (sigma, sigma, 0.0, 0.0, 0.0)
            for (m, ti) in zip(margins, t) {
                let fApB = m * A + B
                let (p, q) =
                    fApB >= 0
                    ? (exp(-fApB) / (1 + exp(-fApB)), 1 / (1 + exp(-fApB)))
                    : (1 / (1 + exp(fApB)), exp(fApB) / (1 + exp(fApB)))
                let d2 = p * q
                h11 += m * m * d2
                h22 += d2
                h21 += m * d2
                let d1 = ti - p
                g1 += m * d1
                g2 += d1
            }
            if abs(g1) < 1e-5 && abs(g2) < 1e-5 { break }
            let det = h11 * h22 - h21 * h21
            let dA = -(h22 * g1 - h21 * g2) / det
            let dB = -(-h21 * g1 + h11 * g2) / det
            let gd = g1 * dA + g2 * dB
            var step = 1.0
            var improved = false
            while step >= 1e-10 {
                let newA = A + step * dA
                let newB = B + step * dB
                let newf = objective(newA, newB)
                if newf < fval + 1e-4 * step * gd {
                    (A, B, fval) = (newA, newB, newf)
                    improved = true
                    break
                }
                step /= 2
            }
            if !improved { break }
        }
        return Calibration(a: -A, b: -B)
    }
}
