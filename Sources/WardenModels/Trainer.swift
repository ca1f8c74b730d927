import Dispatch
import Foundation
import Synchronization
import WardenMatching

/// Trains a `TextModel`: logistic regression over the hashed n-grams, fitted by AdaGrad over
/// shuffled passes, then Platt-calibrated on k-fold held-out margins.
///
/// The k folds are chosen by a hash of each text, so equal texts never sit on both sides of a
/// split; each fold's model is fitted on the others and scores its own fold, and those held-out
/// margins give both the calibration and the cross-validated estimate. The final model is
/// fitted on everything. Every shuffle comes from a seeded generator and every sum runs in a
/// fixed order, so the same examples give the same bytes; the folds run on every core.
package struct Trainer: Sendable {
    package struct Options: Sendable {
        package var features = FeatureSpec()
        package var epochs = 6
        package var learningRate = 0.2
        package var l2 = 1e-6
        package var folds = 5
        package var thresholds = ThresholdReport.standardThresholds
        package init() {}
    }

    package struct Result: Sendable {
        package var model: TextModel
        /// Cross-validated: every example scored by the model that did not train on it.
        package var estimate: ThresholdReport
        package var heldOutScores: [Double]
    }

    package let options: Options

    package init(options: Options) {
        self.options = options
    }

    /// Trains on `examples`. `progress(done, total)` is called after each pass over the data.
    package func train(
        _ examples: [TrainingExample], labels: LabelRule, files: [String], skipped: Int, trained: String,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> Result {
        let data = EncodedExamples(examples, hasher: FeatureHasher(spec: options.features))
        let k = max(2, options.folds)
        let fold = examples.map { Int(FNV1a.mixed($0.text.utf8) % UInt64(k)) }
        let total = (k + 1) * options.epochs
        let done = Counter()
        let fits = ParallelResults<(weights: [Float], bias: Float)>(count: k + 1)
        DispatchQueue.concurrentPerform(iterations: k + 1) { f in
            let members = (0..<examples.count).filter { f == k || fold[$0] != f }
            fits.set(
                f,
                fit(data, members: members, seed: UInt64(f + 1)) {
                    progress?(done.increment(), total)
                })
        }
        // Held-out margins: each example by the model of its own fold.
        var margins = [Double](repeating: 0, count: examples.count)
        for i in examples.indices {
            let (w, b) = fits.value(fold[i])
            margins[i] = data.margin(i, weights: w, bias: b)
        }
        let positive = examples.map(\.positive)
        let calibration = Calibration.fit(margins: margins, positive: positive)
        let scores = margins.map { TextModel.probability(margin: $0, calibration) }
        let estimate = ThresholdReport(scores: scores, positive: positive, labels: examples.map(\.label), thresholds: options.thresholds)

        var digest = SHA256()
        var counts: [String: Int] = [:]
        for e in examples {
            digest.update("\(e.label)\t\(e.positive ? 1 : 0)\t")
            digest.update(e.text)
            digest.update([0x0A])
            counts[e.label, default: 0] += 1
        }
        let positives = positive.filter { $0 }.count
        let summary = DataSummary(
            files: files, sha256: digest.hexDigest(), positives: positives, negatives: examples.count - positives,
            benign: (counts[Self.benignLabel] ?? 0) + (counts[Self.chatLabel] ?? 0), labels: counts, skipped: skipped)
        let header = ModelHeader(
            features: options.features, labels: labels, data: summary, trained: trained, calibration: calibration,
            training: TrainingParameters(epochs: options.epochs, learningRate: options.learningRate, l2: options.l2, folds: k),
            estimate: estimate.rows)
        let (weights, bias) = fits.value(k)
        let bytes = ModelFile.encode(header: header, bias: bias, weights: weights)
        // Read back what was written: the model in use is exactly the file.
        let model = try! TextModel(bytes: bytes)
        return Result(model: model, estimate: estimate, heldOutScores: scores)
    }

    /// The label of `--benign` lines.
    package static let benignLabel = "benign"
    /// The label of `--benign-chat` lines: ordinary chat, counted apart.
    package static let chatLabel = "chat"

    /// AdaGrad over shuffled passes of `members`; L2 applied to the weights an example touches.
    func fit(_ data: EncodedExamples, members: [Int], seed: UInt64, afterEpoch: () -> Void) -> ([Float], Float) {
        let dim = 1 << options.features.bits
        var weights = [Float](repeating: 0, count: dim)
        var squares = [Float](repeating: 0, count: dim)
        var bias: Float = 0
        var biasSquares: Float = 0
        var order = members
        var rng = SplitMix64(seed: seed ^ options.features.seed)
        let rate = Float(options.learningRate)
        let l2 = Float(options.l2)
        weights.withUnsafeMutableBufferPointer { w in
            squares.withUnsafeMutableBufferPointer { g in
                data.features.withUnsafeBufferPointer { features in
                    for _ in 0..<options.epochs {
                        rng.shuffle(&order)
                        for e in order {
                            let range = data.offsets[e]..<data.offsets[e + 1]
                            let scale = data.scales[e]
                            var sum: Float = 0
                            for k in range {
                                let f = features[k]
                                let i = Int(f & EncodedExamples.bucketMask)
                                sum += f & EncodedExamples.signBit != 0 ? -w[i] : w[i]
                            }
                            let z = bias + scale * sum
                            let p = 1 / (1 + expf(-z))
                            let error = p - (data.targets[e] ? 1 : 0)
                            for k in range {
                                let f = features[k]
                                let i = Int(f & EncodedExamples.bucketMask)
                                let x = f & EncodedExamples.signBit != 0 ? -scale : scale
                                let gradient = error * x + l2 * w[i]
                                g[i] += gradient * gradient
                                if g[i] > 0 { w[i] -= rate * gradient / g[i].squareRoot() }
                            }
                            biasSquares += error * error
                            if biasSquares > 0 { bias -= rate * error / biasSquares.squareRoot() }
                        }
                        afterEpoch()
                    }
                }
            }
        }
        return (weights, bias)
    }
}
