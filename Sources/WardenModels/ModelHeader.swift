/// What a model file says about itself, as JSON in its second line: how to read text, which
/// labels were positive, what it was trained on, how its scores are calibrated, and what the
/// cross-validation measured.
public struct ModelHeader: Codable, Sendable, Equatable {
    /// The file format this Warden reads and writes.
    public static let currentFormat = 1

    public var format: Int
    public var kind: String
    public var features: FeatureSpec
    public var labels: LabelRule
    public var data: DataSummary
    /// The UTC day it was trained (`SOURCE_DATE_EPOCH` sets it, for reproducible files).
    public var trained: String
    public var calibration: Calibration
    public var training: TrainingParameters
    /// Cross-validated precision and recall at thresholds of the calibrated score.
    public var estimate: [ThresholdRow]

    public init(
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
public struct LabelRule: Codable, Sendable, Equatable {
    public var textField: String
    public var labelField: String
    public var positive: [String]
    public var negative: [String]

    public init(textField: String, labelField: String, positive: [String], negative: [String]) {
        self.textField = textField
        self.labelField = labelField
        self.positive = positive
        self.negative = negative
    }

    /// true: positive, false: negative, nil: skipped.
    public func isPositive(_ label: String) -> Bool? {
        if positive.contains(label) { return true }
        if negative.contains(label) { return false }
        if negative.isEmpty { return false }
        if positive.isEmpty { return true }
        return nil
    }
}

/// The training data: files, a digest of the examples, and counts.
public struct DataSummary: Codable, Sendable, Equatable {
    public var files: [String]
    /// SHA-256 over every example's label and text, in reading order.
    public var sha256: String
    public var positives: Int
    public var negatives: Int
    /// Negatives from `--benign` files (included in `negatives`).
    public var benign: Int
    /// Per label, how many examples it had.
    public var labels: [String: Int]
    /// Records whose label was neither positive nor negative.
    public var skipped: Int

    public init(files: [String], sha256: String, positives: Int, negatives: Int, benign: Int, labels: [String: Int], skipped: Int) {
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
public struct Calibration: Codable, Sendable, Equatable {
    public var method: String
    public var a: Double
    public var b: Double

    public init(a: Double, b: Double) {
        method = "platt"
        self.a = a
        self.b = b
    }
}

public struct TrainingParameters: Codable, Sendable, Equatable {
    public var algorithm: String
    public var epochs: Int
    public var learningRate: Double
    public var l2: Double
    public var folds: Int

    public init(epochs: Int, learningRate: Double, l2: Double, folds: Int) {
        algorithm = "adagrad logistic regression"
        self.epochs = epochs
        self.learningRate = learningRate
        self.l2 = l2
        self.folds = folds
    }
}

/// Precision and recall when the calibrated score is at least `threshold`.
public struct ThresholdRow: Codable, Sendable, Equatable {
    public var threshold: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Negatives flagged, of all negatives.
    public var falsePositiveRate: Double

    public init(threshold: Double, precision: Double, recall: Double, f1: Double, falsePositiveRate: Double) {
        self.threshold = threshold
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.falsePositiveRate = falsePositiveRate
    }
}
