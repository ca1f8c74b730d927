import Foundation

/// A trained text classifier: `probability(text)` is the calibrated chance that the text belongs
/// to the positive class, and `explain(text)` names the phrases that pushed it up.
///
/// Immutable after loading: any number of threads score with one model and no lock.
package final class TextModel: Sendable {
    package let header: ModelHeader
    /// The checksum stored in the file, in hex: changes whenever any byte of the model does.
    package let checksum: String
    /// The size of the model file in bytes.
    package let size: Int
    let hasher: FeatureHasher
    let weights: [Float]
    let bias: Float

    init(header: ModelHeader, bias: Float, weights: [Float], checksum: UInt64, size: Int) {
        self.header = header
        self.bias = bias
        self.weights = weights
        self.checksum = String(checksum, radix: 16)
        self.size = size
        hasher = FeatureHasher(spec: header.features)
    }

    /// Reads and verifies a model file's bytes.
    package convenience init(bytes: [UInt8]) throws(ModelFile.Failure) {
        let (header, bias, weights, sum) = try ModelFile.decode(bytes)
        self.init(header: header, bias: bias, weights: weights, checksum: sum, size: bytes.count)
    }

    /// The uncalibrated score: bias plus the weights of the text's n-grams, scaled by one over
    /// the square root of their number (so long texts do not win on length alone), and of at
    /// least the spec's evidence floor (so a short text does not win on one n-gram alone).
    package func margin(_ text: String) -> Double {
        let (sum, n) = weights.withUnsafeBufferPointer { hasher.sum(text, $0) }
        return Double(bias) + Double(sum) * Double(header.features.scale(n))
    }

    /// The calibrated probability in [0, 1].
    package func probability(_ text: String) -> Double {
        Self.probability(margin: margin(text), header.calibration)
    }

    static func probability(margin: Double, _ c: Calibration) -> Double {
        1 / (1 + exp(-(c.a * margin + c.b)))
    }

    /// The phrases that pushed the score up most, strongest first, with their spans in the
    /// original text (Unicode scalars) and their weight in calibrated log-odds.
    ///
    /// Each n-gram's contribution is shared out over its characters; a phrase is a run of
    /// characters whose share is at least a third of the strongest character's, and its weight
    /// is the sum of the n-grams inside it. So `代开发票` comes out as one phrase when its
    /// n-grams all push, rather than as `代开`, `开发` and `发票`, and a weak character ends it.
    package func explain(_ text: String, limit: Int = 5) -> [ModelFeature] {
        let (occurrences, unitSpans) = hasher.occurrences(text)
        guard !occurrences.isEmpty, limit > 0 else { return [] }
        let scale = Double(header.features.scale(occurrences.count))
        let contributions = occurrences.map { o in Double(o.negative ? -weights[o.bucket] : weights[o.bucket]) * scale }
        var share = [Double](repeating: 0, count: unitSpans.count)
        for (o, c) in zip(occurrences, contributions) {
            for u in o.units { share[u] += c / Double(o.units.count) }
        }
        guard let strongest = share.max(), strongest > 0 else { return [] }
        var runs: [Range<Int>] = []
        var start: Int?
        for u in 0...share.count {
            let strong = u < share.count && share[u] >= strongest / 3
            if strong, start == nil { start = u }
            if !strong, let s = start {
                runs.append(s..<u)
                start = nil
            }
        }
        let scalars = Array(text.unicodeScalars)
        let a = header.calibration.a
        var features: [ModelFeature] = []
        for run in runs {
            var weight = 0.0
            for (o, c) in zip(occurrences, contributions) where o.units.lowerBound >= run.lowerBound && o.units.upperBound <= run.upperBound
            {
                weight += c
            }
            guard weight > 0 else { continue }
            let span = unitSpans[run.lowerBound].lowerBound..<unitSpans[run.upperBound - 1].upperBound
            var phrase = String.UnicodeScalarView()
            phrase.append(contentsOf: scalars[span])
            features.append(ModelFeature(text: String(phrase), span: span, weight: (a * weight * 100).rounded() / 100))
        }
        features.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.span.lowerBound < $1.span.lowerBound }
        return Array(features.prefix(limit))
    }

    /// The file's bytes (what `warden train --out` writes).
    package func encoded() -> [UInt8] {
        ModelFile.encode(header: header, bias: bias, weights: weights)
    }
}

/// A phrase of the text that pushed a model's score up.
public struct ModelFeature: Sendable, Equatable {
    /// The phrase as the original text wrote it (folded characters and noise included).
    public var text: String
    /// Unicode-scalar offsets in the original text.
    public var span: Range<Int>
    /// Its contribution to the calibrated log-odds.
    public var weight: Double

    public init(text: String, span: Range<Int>, weight: Double) {
        self.text = text
        self.span = span
        self.weight = weight
    }
}
