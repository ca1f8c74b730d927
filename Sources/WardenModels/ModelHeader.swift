/// What a model file says about itself, as JSON in its second line: how to read text, which
/// labels were positive, what it was trained on, how its scores are calibrated, and what the
/// cross-validation measured.
package struct ModelHeader: Codable, Sendable, Equatable {
    /// The file format this Warden reads and writes.
    package static let currentFormat = 1

    package var format: Int
    package var kind: String
    package var features: FeatureSpec
    package var labels: LabelRule
    package var data: DataSummary
    /// The UTC day it was trained (`SOURCE_DATE_EPOCH` sets it, for reproducible files).
    package var trained: String
    package var calibration: Calibration
    package var training: TrainingParameters
    /// Cross-validated precision and recall at thresholds of the calibrated score.
    package var estimate: [ThresholdRow]

    package init(
        features: FeatureSpec, labels: LabelRule, data: DataSummary, trained: String, calibration: Calibration,
        training: TrainingParameters, estimate: [ThresholdRow]
    ) {
        format = Self.currentFormat
        kind = "logistic regression over hashed character n-grams"
        self.features = features
        self.labels = labels
        self.data = data
        self.trained = trained
        self.calibration = calibration
        self.training = training
        self.estimate = estimate
    }
}

/// Which labels count as positive. With only `positive`, every other label is negative; with
/// only `negative`, every other label is positive; with both, other labels are skipped.
package struct LabelRule: Codable, Sendable, Equatable {
    package var textField: String
    package var labelField: String
    package var positive: [String]
    package var negative: [String]

    package init(textField: String, labelField: String, positive: [String], negative: [String]) {
        self.textField = textField
        self.labelField = labelField
        self.positive = positive
        self.negative = negative
    }

    /// true: positive, false: negative, nil: skipped.
    package func isPositive(_ label: String) -> Bool? {
        if positive.contains(label) { return true }
        if negative.contains(label) { return false }
        if negative.isEmpty { return false }
        if positive.isEmpty { return true }
        return nil
    }
}

/// The training data: files, a digest of the examples, and counts.
package struct DataSummary: Codable, Sendable, Equatable {
    package var files: [String]
    /// SHA-256 over every example's label and text, in reading order.
    package var sha256: String
    package var positives: Int
    package var negatives: Int
    /// Negatives from `--benign` files (included in `negatives`).
    package var benign: Int
    /// Per label, how many examples it had.
    package var labels: [String: Int]
    /// Records whose label was neither positive nor negative.
    package var skipped: Int

    package init(files: [String], sha256: String, positives: Int, negatives: Int, benign: Int, labels: [String: Int], skipped: Int) {
        self.files = files
        self.sha256 = sha256
        self.positives = positives
        self.negatives = negatives
        self.benign = benign
        self.labels = labels
        self.skipped = skipped
    }
}

/// Platt scaling: probability = 1 / (1 + exp(-(a · margin + b))).
package struct Calibration: Codable, Sendable, Equatable {
    package var method: String
    package var a: Double
    package var b: Double

    package init(a: Double, b: Double) {
        method = "platt"
        self.a = a
        self.b = b
    }
}

package struct TrainingParameters: Codable, Sendable, Equatable {
    package var algorithm: String
    package var epochs: Int
    package var learningRate: Double
    package var l2: Double
    package var folds: Int

    package init(epochs: Int, learningRate: Double, l2: Double, folds: Int) {
        algorithm = "adagrad logistic regression"
        self.epochs = epochs
        self.learningRate = learningRate
        self.l2 = l2
        self.folds = folds
    }
}

/// Precision and recall when the calibrated score is at least `threshold`.
package struct ThresholdRow: Codable, Sendable, Equatable {
    package var threshold: Double
    package var precision: Double
    package var recall: Double
    package var f1: Double
    /// Negatives flagged, of all negatives.
    package var falsePositiveRate: Double

    package init(threshold: Double, precision: Double, recall: Double, f1: Double, falsePositiveRate: Double) {
        self.threshold = threshold
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.falsePositiveRate = falsePositiveRate
    }
}
