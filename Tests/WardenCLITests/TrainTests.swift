import Foundation
import Testing
import WardenModelTestSupport

/// `warden train` and `warden eval` as a user runs them, and a model beside the default rules
/// through lint, check, explain and audit.
@Suite struct TrainTests {
    let cli = CLITests()

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A CSV of synthetic messages (`label,content`; labels `spam` and `ham`), with a record
    /// that spans two lines inside quotes.
    func syntheticCSV(in dir: URL) throws -> String {
        var g = Synthetic()
        var csv = "label,content\n"
        for e in g.examples(positives: 150, negatives: 300) {
            csv += "\(e.positive ? "spam" : "ham"),\"\(e.text)\"\n"
        }
        csv += "ham,\"第一行，\n第二行 \"\"引号\"\"\"\n"
        let path = dir.appendingPathComponent("labelled.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func badInputGetsAClearMessageAndExitTwo() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try syntheticCSV(in: dir)
        let out = dir.appendingPathComponent("m.model").path
        let column = try cli.run(["train", csv, "--text", "content", "--label", "lbl", "--positive", "spam", "--out", out])
        #expect(column.status == 2)
        #expect(column.stderr.contains("labelled.csv:1: no column 'lbl' in the header (columns: label, content)"), "\(column.stderr)")
        let empty = try cli.run(["train", csv, "--text", "content", "--label", "label", "--positive", "fraud", "--out", out])
        #expect(empty.status == 2)
        #expect(
            empty.stderr.contains(
                "no positive examples: the labels in the data are 'ham' (301), 'spam' (150), and --positive named 'fraud'"),
            "\(empty.stderr)")
        let noNegatives = try cli.run(["train", csv, "--text", "content", "--label", "label", "--negative", "nothing", "--out", out])
        #expect(noNegatives.status == 2)
        #expect(noNegatives.stderr.contains("no negative examples"), "\(noNegatives.stderr)")
        let missing = try cli.run([
            "train", dir.appendingPathComponent("nope.csv").path, "--text", "content", "--label", "label", "--positive", "spam", "--out",
            out,
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.csv: cannot open"), "\(missing.stderr)")
        let unsaid = try cli.run(["train", csv, "--text", "content", "--label", "label", "--out", out])
        #expect(unsaid.status == 2)
        #expect(unsaid.stderr.contains("say which labels are positive"), "\(unsaid.stderr)")
        let jsonl = dir.appendingPathComponent("l.jsonl").path
        try "{\"body\":\"a\",\"label\":1}\n{\"body\":\"b\",\"label\":0}\n".write(toFile: jsonl, atomically: true, encoding: .utf8)
        let key = try cli.run(["train", jsonl, "--text", "content", "--label", "label", "--positive", "1", "--out", out])
        #expect(key.status == 2)
        #expect(key.stderr.contains("l.jsonl: no record has a 'content' key"), "\(key.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A learning rate that overflows the weights, and a directory given as a file, crashed.
    @Test func outOfRangeRatesAndDirectoriesAreRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try syntheticCSV(in: dir)
        let out = dir.appendingPathComponent("m.model").path
        let rate = try cli.run(["train", csv, "--positive", "spam", "--learning-rate", "1e308", "--out", out])
        #expect(rate.status != 0 && rate.stderr.contains("--learning-rate in (0, 10]"), "\(rate.stderr)")
        let benign = try cli.run(["train", csv, "--positive", "spam", "--benign", dir.path, "--out", out])
        #expect(benign.status == 2 && benign.stderr.contains("is a directory"), "\(benign.stderr)")
        let audit = try cli.run(["audit", "--rules", "rules", dir.path])
        #expect(audit.status == 2 && audit.stderr.contains("is a directory"), "\(audit.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func trainedModelWorksBesideTheDefaultRules() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try syntheticCSV(in: dir)
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: CLITests.root.appendingPathComponent("rules"), to: rules)
        let model = rules.appendingPathComponent("spam.model").path
        let train = try cli.run([
            "train", csv, "--text", "content", "--label", "label", "--positive", "spam", "--out", model, "--bits", "14",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("read 451 labelled records from 1 file"), "\(train.stdout)")
        #expect(train.stdout.contains("examples: 150 positive, 301 negative, 0 skipped"))
        #expect(train.stdout.contains("cross-validated (5 folds"))
        #expect(train.stdout.contains("  >= 0.50  "))
        #expect(train.stdout.contains("+ spam"))
        // The default rule set declares spam.model as an optional model: the file is enough.
        try """
        rule spam_model "the spam model is confident" {
          on send
          when classify(spam, text) >= 0.5
          score 50
          penalty review
          tags "spam"
        }

        """.write(to: rules.appendingPathComponent("80-models.rules"), atomically: true, encoding: .utf8)
        let lint = try cli.run(["lint", "--rules", rules.path])
        #expect(lint.stdout == "0 errors, 0 warnings\n", "\(lint.stdout)\(lint.stderr)")
        var g = Synthetic(seed: 99)
        let text = g.positive()
        let event = #"{"id":"m1","type":"send","ts":"2026-11-26T09:00:00Z","account":"u1","to":["u2"],"text":"\#(text)"}"#
        let check = try cli.run(["check", "--rules", rules.path, event])
        #expect(check.status == 0)
        #expect(
            check.stdout.contains(
                "{\"rule\":\"spam_model\",\"score\":50,\"tags\":[\"spam\"],\"evidence\":[{\"kind\":\"model\",\"field\":\"text\",\"model\":\"spam\""
            ), "\(check.stdout)")
        let explain = try cli.run(["check", "--rules", rules.path, "--explain", event])
        #expect(explain.stdout.contains("rule spam_model \"the spam model is confident\" — FIRED, score 50"), "\(explain.stdout)")
        #expect(explain.stdout.contains("model spam on text: score "))
        let log = dir.appendingPathComponent("log.jsonl").path
        try (0..<20).map { i in
            #"{"id":"a\#(i)","type":"send","ts":\#(1_767_225_600 + i),"account":"u\#(i)","to":["x"],"text":"\#(i % 2 == 0 ? g.positive() : g.negative())"}"#
        }.joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let findings = dir.appendingPathComponent("findings.jsonl").path
        let audit = try cli.run(["audit", "--rules", rules.path, log, "--out", findings])
        #expect(audit.status == 0, "\(audit.stderr)")
        let lines = try String(contentsOfFile: findings, encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.contains("\"rule\":\"spam_model\"") }.count >= 8)
        // eval on the labelled CSV with the rule set: the rules, then the model alone.
        let eval = try cli.run(["eval", "--rules", rules.path, csv, "--text", "content", "--label", "label", "--positive", "spam"])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains("the rule set (flagged: a verdict of challenge or above)"))
        #expect(eval.stdout.contains("model spam alone: classify(spam, text)"))
        #expect(eval.stdout.contains("+ spam "))
    }

    @Test func theSameDataGivesTheSameFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try syntheticCSV(in: dir)
        var files: [Data] = []
        for name in ["a.model", "b.model"] {
            let out = dir.appendingPathComponent(name).path
            let r = try cli.run(
                ["train", csv, "--text", "content", "--label", "label", "--positive", "spam", "--out", out, "--bits", "12"],
                environment: ["SOURCE_DATE_EPOCH": "1767225600"])
            #expect(r.status == 0, "\(r.stderr)")
            files.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(files[0] == files[1])
        #expect(String(decoding: files[0].prefix(4000), as: UTF8.self).contains("\"trained\":\"2026-01-01\""))
    }

    @Test func mineRanksPhrasesAndWritesADraftListThatLints() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try syntheticCSV(in: dir)
        let table = try cli.run(["mine", csv, "--text", "content", "--label", "label", "--positive", "spam", "--top", "5"])
        #expect(table.status == 0, "\(table.stderr)")
        let rows = table.stdout.split(separator: "\n").filter { $0.hasPrefix("   ") }
        #expect(rows.count == 5, "\(table.stdout)")
        // Every phrase of the synthetic spam vocabulary is planted in positives only.
        #expect(rows.contains { row in Synthetic.spamPhrases.contains { row.contains($0) } }, "\(table.stdout)")
        #expect(table.stdout.contains("⟦"))
        let list = try cli.run([
            "mine", csv, "--text", "content", "--label", "label", "--positive", "spam", "--top", "5", "--format", "list",
        ])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("read ") && !$0.hasPrefix("examples: ") }
        #expect(lines.filter { $0.hasPrefix("# z ") }.count == 5)
        #expect(lines.filter { !$0.hasPrefix("#") }.count == 5)
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try lines.joined(separator: "\n").write(to: rules.appendingPathComponent("draft.txt"), atomically: true, encoding: .utf8)
        try "ruleset r\nlist draft = file(\"draft.txt\")\nrule d { on send when text contains any draft }\n"
            .write(to: rules.appendingPathComponent("a.rules"), atomically: true, encoding: .utf8)
        #expect(try cli.run(["lint", "--rules", rules.path]).stdout == "0 errors, 0 warnings\n")
        let missing = try cli.run(["mine", csv, "--text", "content", "--label", "nope", "--positive", "spam"])
        #expect(missing.status == 2 && missing.stderr.contains("no column 'nope'"))
    }

    @Test func evalGivesPrecisionPerCategoryAndTheClosestMisses() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Written for this test: two fraud scripts, one that no rule catches, and two honest notices.
        let csv = dir.appendingPathComponent("fraud.csv").path
        try """
        label,content
        authority,"您好，我是市公安局的民警，您涉嫌一起洗钱案件，请把资金转入安全账户配合调查"
        acquaintance,"我是你领导，明天来我办公室，先帮我转一下五千给财务"
        acquaintance,"在吗？有点事想请你帮个忙，方便的时候回我"
        normal,"【某某银行】您的信用卡本期账单已出，请按时还款"
        normal,"您的快递已放在小区门口的快递柜，取件码 2468"
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try cli.run([
            "eval", "--rules", "rules", csv, "--text", "content", "--label", "label", "--negative", "normal", "--misses", "3",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("precision per category"))
        #expect(r.stdout.contains("  fraud.authority "), "\(r.stdout)")
        #expect(r.stdout.contains("  fraud.acquaintance "))
        #expect(r.stdout.contains("missed (1), the closest calls first:"))
        #expect(r.stdout.contains("  acquaintance  在吗？有点事想请你帮个忙"))
        // Without model files the model rules cannot fire: they are not shown as near misses.
        #expect(!r.stdout.contains("spam_model (") && !r.stdout.contains("contact_deferred ("), "\(r.stdout)")
        #expect(r.stdout.contains("false hits (0)"))
    }
}
