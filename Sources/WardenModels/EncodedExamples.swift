/// Every example's features in one flat array: bucket in the low bits, sign in the top bit.
struct EncodedExamples: Sendable {
    static let signBit: UInt32 = 1 << 31
    static let bucketMask: UInt32 = ~signBit
    var features: [UInt32] = []
    var offsets: [Int] = [0]
    /// `FeatureSpec.scale` of the example's n-gram count (the model's length scaling).
    var scales: [Float] = []
    var targets: [Bool] = []

    init(_ examples: [TrainingExample], hasher: FeatureHasher) {
        for e in examples {
            let n = hasher.forEachFeature(e.text) { bucket, negative in
                features.append(UInt32(bucket) | (negative ? Self.signBit : 0))
            }
            offsets.append(features.count)
            scales.append(hasher.spec.scale(n))
            targets.append(e.positive)
        }
    }

    /// The margin of example `i` under a fitted model, summed as `TextModel.margin` sums it.
    func margin(_ i: Int, weights: [Float], bias: Float) -> Double {
        let scale = Double(scales[i])
        var sum: Float = 0
        for k in offsets[i]..<offsets[i + 1] {
            let f = features[k]
            let w = weights[Int(f & Self.bucketMask)]
            sum += f & Self.signBit != 0 ? -w : w
        }
        return Double(bias) + Double(sum) * scale
    }
}
