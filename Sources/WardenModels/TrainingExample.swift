/// One labelled message for training.
package struct TrainingExample: Sendable {
    package var text: String
    package var positive: Bool
    /// The label as the data wrote it (`benign` for `--benign` lines), for per-label figures.
    package var label: String

    package init(text: String, positive: Bool, label: String) {
        self.text = text
        self.positive = positive
        self.label = label
    }
}
