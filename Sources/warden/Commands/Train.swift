import ArgumentParser
import Foundation
import WardenAudit
import WardenModels

/// `warden train`: a text classifier from labelled messages, for `model NAME = file(…)`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a text model from labelled messages.",
        discussion: """
            DATA is CSV with a header row or JSON Lines, gzip or not. --positive names the labels \
            that count as positive (every other label is negative); --negative names the negative \
            ones (every other label is positive); with both, other labels are skipped. --benign \
            files hold one message per line, all negative; --benign-chat files too (ordinary chat, \
            counted apart as label 'chat'; train with it, or the model may flag greetings). The model is logistic regression over \
            hashed character n-grams of the folded text, Platt-calibrated on cross-validation \
            folds; the figures printed are those folds' held-out scores. The same data gives a \
            byte-identical model (the date in its header comes from SOURCE_DATE_EPOCH when set).
            """)

    @OptionGroup var data: LabelledDataOptions

    @Option(help: "Where to write the model.")
    var out: String

    @Option(help: "log2 of the number of hashed features (8–22; 18 is a 1 MiB model).")
    var bits: Int = 18

    @Option(help: "The longest character n-gram (1–5).")
    var maxNgram: Int = 3

    @Option(help: "Passes over the data.")
    var epochs: Int = 6

    @Option(help: "AdaGrad's learning rate.")
    var learningRate: Double = 0.2

    @Option(help: "L2 regularization per update.")
    var l2: Double = 1e-6

    @Option(help: "Cross-validation folds (for calibration and the estimate).")
    var folds: Int = 5

    @Flag(help: "Keep digits apart (by default every digit reads as 0).")
    var keepDigits = false

    @Option(
        help: ArgumentHelp(
            "The fewest n-grams a message is scaled as (0 scales by the square root of its own count).",
            discussion: "A short message's few n-grams then move its score only a little from the prior."))
    var evidenceFloor: Int = FeatureSpec.defaultEvidenceFloor

    func validate() throws {
        guard (8...FeatureSpec.maxBits).contains(bits) else { throw ValidationError("--bits is from 8 to \(FeatureSpec.maxBits)") }
        guard (1...FeatureSpec.maxNgram).contains(maxNgram) else {
            throw ValidationError("--max-ngram is from 1 to \(FeatureSpec.maxNgram)")
        }
        // Past these bounds the weights overflow to infinity and the model scores nothing.
        guard (0...FeatureSpec.maxEvidenceFloor).contains(evidenceFloor) else {
            throw ValidationError("--evidence-floor is from 0 to \(FeatureSpec.maxEvidenceFloor)")
        }
        guard epochs >= 1, folds >= 2, learningRate > 0, learningRate <= 10, l2 >= 0, l2 <= 10 else {
            throw ValidationError("--epochs is at least 1, --folds at least 2, --learning-rate in (0, 10], --l2 in [0, 10]")
        }
        try data.check()
    }

    func run() throws {
        let started = Date()
        let loaded = try data.load()
        var options = Trainer.Options()
        options.features = FeatureSpec(maxN: maxNgram, bits: bits, digitClass: !keepDigits, evidenceFloor: evidenceFloor)
        Self.warnWithoutChat(loaded.examples)
        options.epochs = epochs
        options.learningRate = learningRate
        options.l2 = l2
        options.folds = folds
        let progress = Output.stderrIsTerminal ? ProgressLine() : nil
        let result = Trainer(options: options).train(
            loaded.examples, labels: data.labelRule, files: loaded.files, skipped: loaded.skipped, trained: Self.trainingDate()
        ) { done, total in progress?.update(done: done, total: total, events: done, unit: "passes") }
        progress?.finish()
        let bytes = result.model.encoded()
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            Output.error("warden: cannot write '\(out)': \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let seconds = Date().timeIntervalSince(started)
        let summary = result.model.header.data
        Output.line("cross-validated (\(folds) folds by text hash; each message scored by the model that did not train on it, calibrated):")
        Output.line(result.estimate.text)
        Output.line("")
        let byLength = LengthCalibration(
            texts: loaded.examples.map(\.text), scores: result.heldOutScores, positive: loaded.examples.map(\.positive))
        Output.line("calibration by length (the same held-out scores):")
        Output.line(byLength.text)
        for row in byLength.overconfident {
            Output.error(
                String(
                    format:
                        "warden: warning: messages of %@ characters score %.3f on average but %.3f of them are positive: the model is surer than its data there",
                    row.lengths.upperBound == Int.max
                        ? "\(row.lengths.lowerBound)+" : "\(row.lengths.lowerBound)–\(row.lengths.upperBound)",
                    row.meanScore, row.observed))
        }
        Output.line("")
        Output.line(
            String(
                format: "trained in %.1f s on %d cores: %@, %@ bytes (2^%d weights), checksum %@",
                seconds, ProcessInfo.processInfo.activeProcessorCount, out as NSString, Self.grouped(bytes.count) as NSString, bits,
                result.model.checksum as NSString))
        Output.line("data: sha256:\(summary.sha256)")
    }

    /// Short messages among the negatives: fewer than this many, or under 2% of them, and the
    /// model has not seen what ordinary chat looks like (你好, 好的, 到家了).
    static let shortChatLength = 8
    static let fewestShortNegatives = 500

    /// Warns when the negatives hold almost no short messages: a model trained on long
    /// messages alone learns that the positive class owns the common characters of greetings.
    static func warnWithoutChat(_ examples: [TrainingExample]) {
        let negatives = examples.filter { !$0.positive }
        let short = negatives.filter { LengthCalibration.length($0.text) <= shortChatLength }.count
        guard short < fewestShortNegatives || Double(short) < 0.02 * Double(negatives.count) else { return }
        Output.error(
            "warden: warning: only \(grouped(short)) of the \(grouped(negatives.count)) negative examples are \(shortChatLength) characters or shorter: "
                + "the model has not seen ordinary chat (你好, 好的, 到家了) and may flag it; add your platform's chat with --benign-chat FILE")
    }

    /// The UTC day of training, or of `SOURCE_DATE_EPOCH` (reproducible-builds convention).
    static func trainingDate() -> String {
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) ?? Date().timeIntervalSince1970
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: epoch))
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
