import Foundation
import Testing
import WardenLanguage
import WardenModelTestSupport
import WardenModels

@testable import WardenEngine

/// `model NAME = file(…)` and `classify(NAME, FIELD)` through compile, check, explain and reload.
@Suite struct ModelRuleTests {
    static let model = Synthetic.modelBytes()
    static let flipped = Synthetic.modelBytes(flipped: true)

    static let rules = """
        ruleset m version "1"
        model spam = file("spam.model")
        rule spam_model "the model is confident" {
          on send
          when classify(spam, text) >= 0.5
          score 60
          tags "spam"
        }
        decide { review when score >= 50 }

        """

    /// A rule set directory with `a.rules` and the model bytes as `spam.model`.
    func directory(_ rules: String = Self.rules, model: [UInt8]? = Self.model) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try rules.write(to: dir.appendingPathComponent("a.rules"), atomically: true, encoding: .utf8)
        if let model { try Data(model).write(to: dir.appendingPathComponent("spam.model")) }
        return dir
    }

    func compile(_ dir: URL) throws -> CompiledRuleSet {
        let (ruleSet, diagnostics) = Compiler.compile(path: dir.path)
        guard let ruleSet else {
            Issue.record("does not compile: \(diagnostics)")
            throw CancellationError()
        }
        return ruleSet
    }

    func send(_ text: String, id: String = "m1") -> Event {
        var e = Event(id: id, type: .send, account: "u1", ts: 1_767_225_600)
        e.text = text
        e.to = ["a"]
        return e
    }

    @Test func classifyFiresWithTheScoreAndThePhrasesAsEvidence() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let engine = Engine(ruleSet: try compile(dir))
        let text = "好消息：兼職刷單，代開發票，加🌟微🌟信"
        let d = engine.check(send(text), now: 0)
        #expect(d.verdict == .review)
        let evidence = try #require(d.fired.first { $0.rule == "spam_model" }?.evidence.first)
        #expect(evidence.kind == .model)
        #expect(evidence.model == "spam")
        #expect(evidence.field == "text")
        #expect((evidence.score ?? 0) >= 0.5)
        let features = try #require(evidence.features)
        #expect(!features.isEmpty && features.count <= 5)
        let scalars = Array(text.unicodeScalars)
        for f in features {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[f.span])
            #expect(String(s) == f.text)
        }
        #expect(d.json.contains("{\"kind\":\"model\",\"field\":\"text\",\"model\":\"spam\",\"score\":"))
        #expect(d.json.contains("\"features\":[{\"text\":"))
        // A message the model does not like: allowed, nothing fired.
        let quiet = engine.check(send("周末去爬山，这本书很好看", id: "m2"), now: 0)
        #expect(quiet.verdict == .allow)
        #expect(quiet.fired.isEmpty)
    }

    @Test func explainShowsTheScoreAndThePhrases() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let engine = Engine(ruleSet: try compile(dir))
        let (_, trace) = engine.explain(send("兼职刷单，代开发票"), now: 0)
        #expect(trace.text.contains("✓ classify(spam, text) >= 0.5 → true"))
        #expect(trace.text.contains("model spam on text: score 1.0000; pushed up by \"兼职刷单，代开发票\" [0,9) +"))
    }

    @Test func preparedChecksAgreeWithDirectOnes() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ruleSet = try compile(dir)
        var g = Synthetic(seed: 5)
        for i in 0..<20 {
            let text = i % 2 == 0 ? g.positive() : g.negative()
            let direct = Engine(ruleSet: ruleSet).check(send(text), now: 0)
            let engine = Engine(ruleSet: ruleSet)
            let prepared = engine.check(engine.prepare(send(text)), now: 0)
            #expect(direct.json == prepared.json)
        }
    }

    @Test func theDigestTakesTheModel() throws {
        let a = try directory()
        let b = try directory(model: Self.flipped)
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        #expect(try compile(a).info.digest != compile(b).info.digest)
        #expect(try compile(a).info.digest == compile(a).info.digest)
    }

    @Test func aReloadPicksUpARetrainedModel() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let service = try WardenService(rulesAt: dir.path)
        let text = "兼职刷单，代开发票，日赚三百"
        let before = service.check(send(text, id: "r1"))
        #expect(before.verdict == .review)
        try Data(Self.flipped).write(to: dir.appendingPathComponent("spam.model"))
        let reload = service.reload()
        #expect(reload.accepted)
        let after = service.check(send(text, id: "r2"))
        #expect(after.verdict == .allow)
        #expect(after.ruleset.digest != before.ruleset.digest)
        // A corrupt retrained file is refused, and the model in use keeps serving.
        try Data(Self.model.prefix(1000)).write(to: dir.appendingPathComponent("spam.model"))
        let refused = service.reload()
        #expect(!refused.accepted)
        #expect(refused.diagnostics.contains { $0.message.contains("the model is truncated") })
        #expect(service.check(send(text, id: "r3")).verdict == .allow)
    }

    /// Lint: each model problem at its own line and column, with a clear message.
    func diagnostics(_ rules: String, model: [UInt8]? = Self.model) throws -> [Diagnostic] {
        let dir = try directory("ruleset m\n" + rules, model: model)
        defer { try? FileManager.default.removeItem(at: dir) }
        return Compiler.compile(path: dir.path).diagnostics
    }

    func place(_ d: Diagnostic?) -> String { d.flatMap { $0.location.map { "\($0.line):\($0.column)" } } ?? "none" }

    @Test func missingCorruptAndWrongVersionModelFilesAreLintErrorsAtThePath() throws {
        let use = "\nrule r { on send when classify(spam, text) > 0.5 }\n"
        let missing = try diagnostics("model spam = file(\"nope.model\")" + use).first { $0.id == "model-file" }
        #expect(missing?.message == "model file 'nope.model' does not exist")
        #expect(place(missing) == "2:19")
        let truncated = try diagnostics("model spam = file(\"spam.model\")" + use, model: Array(Self.model.prefix(5000)))
            .first { $0.id == "model-file" }
        #expect(
            truncated?.message == "model file 'spam.model': the model is truncated: 5000 bytes where its header needs \(Self.model.count)")
        #expect(place(truncated) == "2:19")
        let cutInHeader = try diagnostics("model spam = file(\"spam.model\")" + use, model: Array(Self.model.prefix(100))).first {
            $0.id == "model-file"
        }
        #expect(cutInHeader?.message == "model file 'spam.model': the model is truncated: 100 bytes, ending inside its header")
        var newer = Self.model
        newer[13] = UInt8(ascii: "7")
        let version = try diagnostics("model spam = file(\"spam.model\")" + use, model: newer).first { $0.id == "model-file" }
        #expect(
            version?.message
                == "model file 'spam.model': model format version 7; this Warden reads version 1 (retrain it with 'warden train')")
        let text = try diagnostics("model spam = file(\"spam.model\")" + use, model: Array("label,content\n1,hello\n".utf8)).first {
            $0.id == "model-file"
        }
        #expect(text?.message.contains("not a Warden model") == true)
        let outside = try diagnostics("model spam = file(\"../spam.model\")" + use).first { $0.id == "model-file" }
        #expect(outside?.message == "model file '../spam.model' is outside the rule set's directory")
    }

    @Test func classifyIsCheckedLikeEveryOtherBuiltin() throws {
        let decl = "model spam = file(\"spam.model\")\n"
        func errors(_ when: String) throws -> [(String, String, String?)] {
            try diagnostics(decl + "rule r { on send when \(when) }\n").filter { $0.severity == .error }.map {
                ($0.message, place($0), $0.hint)
            }
        }
        let unknown = try errors("classify(spma, text) > 0.5")
        #expect(unknown.first?.0 == "unknown model 'spma'")
        #expect(unknown.first?.1 == "3:32")
        #expect(unknown.first?.2 == "did you mean 'spam'?")
        #expect(try errors("classify(spam, 3) > 0.5").first?.0 == "classify needs a string, but this is a number")
        #expect(
            try errors("classify(text, spam) > 0.5").map(\.0) == [
                "classify's first argument is a model, not the field 'text'", "'spam' is a model; write classify(spam, text) for its score",
            ])
        #expect(try errors("spam > 0.5").first?.0 == "'spam' is a model; write classify(spam, text) for its score")
        #expect(try errors("classify(spam) > 0.5").first?.0 == "classify takes (MODEL, TEXT)")
        #expect(try errors("classify(spam, text) contains \"x\"").first?.0 == "'contains' reads text, but this is a number")
        #expect(try errors("classify(spam, text) > 0.5 and classify(spam, normalize(text)) < 2").isEmpty)
        let unused = try diagnostics(decl + "rule r { on send when true }\n").first { $0.id == "unused" }
        #expect(unused?.message == "model 'spam' is never used")
    }
}
