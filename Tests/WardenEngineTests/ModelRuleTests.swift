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
        // 9 characters: under the evidence floor, so a little short of certain.
        #expect(trace.text.contains("model spam on text: score 0.9999; pushed up by \"兼职刷单，代开发票\" [0,9) +"))
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

    /// `file("…", optional: true)`: absent, the rules that ask `has_model` hold as without it;
    /// present, it is read like any model; `test … without models` pins the rules on their own.
    static let optionalRules = """
        ruleset m version "1"
        model spam = file("spam.model", optional: true)
        rule contact "a number" {
          on send
          when text contains "电话"
          score 50
        }
        rule deferred "the model calls it ordinary" {
          on send
          when fired(contact) and has_model(spam) and classify(spam, text) < 0.5
          score -50
        }
        rule spam_model "the model is confident" {
          on send
          when has_model(spam) and classify(spam, text) >= 0.5
          score 60
        }
        decide { review when score >= 50 }
        test "a number alone is reviewed" without models {
          send { account: "a", text: "联系电话", to: ["b"] } expect review, fired contact, not fired deferred
        }
        test "with the model it defers" {
          send { account: "a", text: "联系电话", to: ["b"] } expect allow, fired deferred
        }

        """

    @Test func anOptionalModelMayBeAbsentAndTestsCanPinTheRulesWithoutIt() throws {
        let absent = try directory(Self.optionalRules, model: nil)
        defer { try? FileManager.default.removeItem(at: absent) }
        let (withoutFile, diagnostics) = Compiler.compile(path: absent.path)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let bare = try #require(withoutFile)
        #expect(bare.models.isEmpty)
        let d = Engine(ruleSet: bare).check(send("联系电话"), now: 0)
        #expect(d.verdict == .review)
        #expect(!d.fired("deferred") && !d.fired("spam_model"))

        // Present: read, and the rule set's digest changes with it.
        let present = try directory(Self.optionalRules)
        defer { try? FileManager.default.removeItem(at: present) }
        let loaded = try compile(present)
        #expect(loaded.models.map(\.name) == ["spam"])
        #expect(loaded.info.digest != bare.info.digest)
        #expect(Engine(ruleSet: loaded).check(send("联系电话"), now: 0).fired("deferred"))

        // Tests: the `without models` one runs on the rules compiled without the optional model.
        let alone = try #require(Compiler.compile(path: present.path, optionalModels: false).ruleSet)
        #expect(alone.models.isEmpty && alone.info.digest == bare.info.digest)
        #expect(loaded.tests.map(\.withoutModels) == [true, false])
        let report = TestRunner.run(loaded, withoutModels: alone)
        #expect(report.failed == 0, "\(report.failures.map(\.actual))")
        // Run on the rules with the model, the pinned test fails: it is not vacuous.
        #expect(TestRunner.run(loaded).failures.map(\.test) == ["a number alone is reviewed"])
        // Without the file, the test that needs the model fails.
        #expect(TestRunner.run(bare, withoutModels: bare).failures.map(\.test) == ["with the model it defers"])
    }

    @Test func hasModelAndTheOptionalFlagAreChecked() throws {
        func errors(_ rules: String) throws -> [String] {
            try diagnostics(rules, model: nil).filter { $0.severity == .error }.map(\.message)
        }
        #expect(
            try errors("model spam = file(\"spam.model\", optional: true)\nrule r { on send when has_model(spma) }\n") == [
                "unknown model 'spma'"
            ])
        #expect(
            try errors("model spam = file(\"spam.model\", optional: maybe)\nrule r { on send when has_model(spam) }\n").first?
                .contains("true or false") == true)
        // Not optional: an absent file is still an error.
        #expect(
            try errors("model spam = file(\"spam.model\")\nrule r { on send when has_model(spam) }\n") == [
                "model file 'spam.model' does not exist"
            ])
        #expect(try errors("model spam = file(\"spam.model\", optional: true)\nrule r { on send when has_model(spam) }\n").isEmpty)
    }
}
