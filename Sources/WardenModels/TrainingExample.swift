/// One labelled message for training.
public struct TrainingExample: Sendable {
    public var text: String
    public var positive: Bool
    /// The label as the data wrote it (`benign` for `--benign` lines), for per-label figures.
    public var label: String

    public init(text: String, positive: Bool, label: String) {
        self.text = text
        self.positive = positive
        self.label = label
    }
}
