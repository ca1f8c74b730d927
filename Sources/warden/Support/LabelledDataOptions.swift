import ArgumentParser
import Foundation
import WardenAudit
import WardenModels

/// Labelled data for `train` and `eval`: files, the text and label fields, which labels are
/// positive, and benign text files.
struct LabelledDataOptions: ParsableArguments {
    @Argument(help: "Labelled CSV (with a header) or JSONL files, gzip or not.")
    var files: [String] = []

    @Option(help: "The column or key that holds the message.")
    var text: String = "text"

    @Option(help: "The column or key that holds the label.")
    var label: String = "label"

    @Option(help: "A label that counts as positive (repeatable); every other label is negative.")
    var positive: [String] = []

    @Option(help: "A label that counts as negative (repeatable); every other label is positive.")
    var negative: [String] = []

    @Option(help: "A file of benign messages, one per line, all negative (repeatable; repeated lines count once).")
    var benign: [String] = []

    @Option(
        help: ArgumentHelp(
            "A file of ordinary chat, one message per line, all negative and counted apart as label 'chat' (repeatable).",
            discussion: "Short greetings and arrangements between people: what a model must leave alone."))
    var benignChat: [String] = []

    struct Loaded {
        var examples: [TrainingExample]
        /// File names (without directories), for the model's header.
        var files: [String]
        var skipped: Int
    }

    /// Called by the commands (not `validate()`, which argument-parser would run for every
    /// command that includes these options, TSV evaluations too).
    func check() throws {
        if files.isEmpty, benign.isEmpty, benignChat.isEmpty { throw ValidationError("give labelled files (and --benign files)") }
        if !files.isEmpty, positive.isEmpty, negative.isEmpty {
            throw ValidationError("say which labels are positive (--positive V) or which are negative (--negative V)")
        }
    }

    var labelRule: LabelRule { LabelRule(textField: text, labelField: label, positive: positive, negative: negative) }

    /// Reads every file; bad records are listed on stderr (the first ten) and skipped. An
    /// unreadable file, a missing column, or an empty class is a usage error (exit 2).
    func load(requireBothClasses: Bool = true) throws -> Loaded {
        let rule = labelRule
        let reader = LabelledReader(textField: text, labelField: label)
        var examples: [TrainingExample] = []
        var counts: [String: Int] = [:]
        var skipped = 0
        var badCount = 0
        func bad(_ message: String) {
            badCount += 1
            if badCount <= 10 { Output.error(message) }
        }
        for path in files {
            let records: [LabelledReader.Record]
            do {
                records = try reader.read(path, bad: bad)
            } catch {
                Output.error("warden: \(error)")
                throw ExitCode(2)
            }
            for r in records {
                counts[r.label, default: 0] += 1
                guard let isPositive = rule.isPositive(r.label) else {
                    skipped += 1
                    continue
                }
                examples.append(TrainingExample(text: r.text, positive: isPositive, label: r.label))
            }
        }
        var seen = Set<String>()
        var benignCount = 0
        var chatCount = 0
        for (path, label) in benign.map({ ($0, Trainer.benignLabel) }) + benignChat.map({ ($0, Trainer.chatLabel) }) {
            let lines: [String]
            do {
                lines = try LabelledReader.lines(path)
            } catch {
                Output.error("warden: \(error)")
                throw ExitCode(2)
            }
            for line in lines where seen.insert(line).inserted {
                examples.append(TrainingExample(text: line, positive: false, label: label))
                if label == Trainer.chatLabel { chatCount += 1 } else { benignCount += 1 }
            }
        }
        if badCount > 10 { Output.error("… \(badCount - 10) more bad records") }
        let seenLabels = counts.keys.sorted().map { "'\($0)' (\(Train.grouped(counts[$0]!)))" }.joined(separator: ", ")
        let positives = examples.filter(\.positive).count
        if requireBothClasses || !files.isEmpty {
            if positives == 0 {
                Output.error(
                    "warden: no positive examples: the labels in the data are \(seenLabels.isEmpty ? "none" : seenLabels)"
                        + (positive.isEmpty ? "" : ", and --positive named \(positive.map { "'\($0)'" }.joined(separator: ", "))"))
                throw ExitCode(2)
            }
            if examples.count == positives {
                Output.error(
                    "warden: no negative examples: the labels in the data are \(seenLabels)"
                        + (negative.isEmpty
                            ? "; name them with --negative, or add --benign files"
                            : ", and --negative named \(negative.map { "'\($0)'" }.joined(separator: ", "))"))
                throw ExitCode(2)
            }
        }
        Output.line(
            "read \(Train.grouped(counts.values.reduce(0, +))) labelled records from \(files.count) file\(files.count == 1 ? "" : "s")"
                + (badCount > 0 ? " (\(badCount) bad, skipped)" : "")
                + (benign.isEmpty
                    ? ""
                    : " and \(Train.grouped(benignCount)) distinct benign lines from \(benign.count) file\(benign.count == 1 ? "" : "s")")
                + (benignChat.isEmpty
                    ? ""
                    : " and \(Train.grouped(chatCount)) distinct chat lines from \(benignChat.count) file\(benignChat.count == 1 ? "" : "s")")
        )
        let negatives = examples.count - positives
        var perLabel = counts.keys.sorted().map { l -> String in
            let side = rule.isPositive(l).map { $0 ? "+" : "-" } ?? "skipped"
            return "\(l) \(side) \(Train.grouped(counts[l]!))"
        }
        if benignCount > 0 { perLabel.append("benign - \(Train.grouped(benignCount))") }
        if chatCount > 0 { perLabel.append("chat - \(Train.grouped(chatCount))") }
        Output.line(
            "examples: \(Train.grouped(positives)) positive, \(Train.grouped(negatives)) negative, \(Train.grouped(skipped)) skipped (\(perLabel.joined(separator: "; ")))"
        )
        return Loaded(
            examples: examples, files: (files + benign + benignChat).map { ($0 as NSString).lastPathComponent },
            skipped: skipped)
    }
}
