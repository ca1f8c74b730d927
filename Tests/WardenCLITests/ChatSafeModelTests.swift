import Foundation
import Testing

/// Models trained the way the README says, beside the default rules, must leave ordinary chat
/// alone: the written chat set (`samples/labelled/chat.tsv`) stays below the review threshold,
/// and the rule set's own tests still pass with the models installed. The models are trained
/// here, at test time, on the shared labelled data (none of it, and no model, is committed).
@Suite(.serialized) struct ChatSafeModelTests {
    let cli = CLITests()
    static let labelled = CLITests.root.deletingLastPathComponent().appendingPathComponent("shared/data/labelled")

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-chat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The written chat lines, one per line, as `--benign-chat` reads them.
    func writtenChat(in dir: URL) throws -> (path: String, count: Int) {
        let tsv = try String(contentsOf: CLITests.root.appendingPathComponent("samples/labelled/chat.tsv"), encoding: .utf8)
        let lines = tsv.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "\t").last }
        let path = dir.appendingPathComponent("chat.txt").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (path, lines.count)
    }

    @Test func theReadmeRecipeLeavesChatAloneAndTheRuleTestsPass() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: CLITests.root.appendingPathComponent("rules"), to: rules)
        let chat = Self.labelled.appendingPathComponent("chat-dev.txt").path
        let spam = try cli.run([
            "train", Self.labelled.appendingPathComponent("sms-dev.csv").path, "--text", "content", "--label", "label", "--positive", "1",
            "--benign-chat", chat, "--out", rules.appendingPathComponent("spam.model").path,
        ])
        #expect(spam.status == 0, "\(spam.stderr)")
        // Chat among the negatives: no warning, and calibration is shown per length.
        #expect(!spam.stderr.contains("warning"), "\(spam.stderr)")
        #expect(spam.stdout.contains("calibration by length"), "\(spam.stdout)")
        #expect(spam.stdout.contains("- chat"), "\(spam.stdout)")
        let fraud = try cli.run([
            "train", Self.labelled.appendingPathComponent("fraud-dev.csv").path, "--text", "content", "--label", "label", "--negative",
            "normal", "--benign-chat", chat, "--out", rules.appendingPathComponent("fraud.model").path,
        ])
        #expect(fraud.status == 0, "\(fraud.stderr)")

        // The rule set's own tests, with the models installed (the default 80-models.rules reads them).
        let test = try cli.run(["test", "--rules", rules.path])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains(" 0 failed"), "\(test.stdout)")

        // Every written chat line: allowed by the rule set, each model below 0.5.
        let written = try writtenChat(in: dir)
        let eval = try cli.run(["eval", "--rules", rules.path, "--benign-chat", written.path, "--misses", "0"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let rows = eval.stdout.split(separator: "\n").filter { $0.hasPrefix("  - chat ") }
        // The rule set's row, then one per model (spam, fraud).
        #expect(rows.count == 3, "\(eval.stdout)")
        for row in rows {
            let cells = row.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cells.count >= 4 && cells[2] == "\(written.count)" && cells[3] == "0.00%", "\(row)")
        }
        let tsv = try cli.run(["eval", "--rules", rules.path, CLITests.root.appendingPathComponent("samples/labelled/chat.tsv").path])
        #expect(tsv.stdout.contains("false-positive rate 0.00% (0 of \(written.count) benign)"), "\(tsv.stdout)")
    }

    @Test func trainingWithoutShortChatWarns() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "label,content\n"
        for i in 0..<60 {
            csv += "spam,本公司常年代开各类发票，价格优惠，质量保证，欢迎来电咨询第\(i)号\n"
            csv += "ham,今天开会讨论了下个季度的工作安排，大家都提了不少意见，第\(i)次\n"
        }
        let path = dir.appendingPathComponent("long.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("m.model").path
        let bare = try cli.run(["train", path, "--text", "content", "--label", "label", "--positive", "spam", "--out", out, "--bits", "12"])
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stderr.contains("warning: only 0 of the 60 negative examples are 8 characters or shorter"), "\(bare.stderr)")
        #expect(bare.stderr.contains("--benign-chat"))
        let chatLines = (0..<600).map { "好的\($0)" }.joined(separator: "\n")
        let chat = dir.appendingPathComponent("chat.txt").path
        try chatLines.write(toFile: chat, atomically: true, encoding: .utf8)
        let withChat = try cli.run([
            "train", path, "--text", "content", "--label", "label", "--positive", "spam", "--benign-chat", chat, "--out", out, "--bits",
            "12",
        ])
        #expect(withChat.status == 0, "\(withChat.stderr)")
        #expect(!withChat.stderr.contains("warning: only"), "\(withChat.stderr)")
        #expect(withChat.stdout.contains("chat - 600"), "\(withChat.stdout)")
        let floor = try cli.run([
            "train", path, "--text", "content", "--label", "label", "--positive", "spam", "--out", out, "--evidence-floor", "20000",
        ])
        #expect(floor.status == 2)
        #expect(floor.stderr.contains("--evidence-floor is from 0 to"), "\(floor.stderr)")
    }
}
