import Foundation
import Testing

@testable import WardenEngine

/// Evaluation of every built-in, through the public compile-and-check path.
@Suite struct EvaluationTests {
    func engine(_ rules: String) throws -> Engine {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t version \"1\"\n" + rules)
        guard let ruleSet else {
            Issue.record("does not compile: \(diagnostics)")
            throw CancellationError()
        }
        return Engine(ruleSet: ruleSet)
    }

    func send(
        _ text: String, account: String = "u1", ip: String? = nil, to: [String] = ["a"], code: String? = "AB12CD34",
        ts: Double = 1_767_225_600
    ) -> Event {
        var e = Event(id: "m1", type: .send, account: account, ts: ts)
        e.text = text
        e.to = to
        e.ip = ip
        e.code = code
        return e
    }

    /// Distances and patterns as the reader sees the text: `near` does not count invisible
    /// characters and measures a right-to-left override in display order, and a pattern on the
    /// text is tried on the text as shown (the evidence span points into the stored text).
    @Test func nearAndPatternsReadTheTextAsShown() throws {
        let e = try engine(
            """
            list sell = ["出售"]
            list goods = ["邀请码"]
            pattern link = /t\\.cn\\/[a-z]+/
            rule trade { on send when near(text, sell, goods, within: 2, ordered: true) }
            rule linked { on send when text matches link }
            """)
        func fired(_ text: String) -> [String] { e.check(send(text), now: 0).fired.map(\.rule) }
        #expect(fired("出售邀请码") == ["trade"])
        #expect(fired("出售\u{200B}\u{200B}\u{200B}\u{200B}邀请码") == ["trade"])  // padding is no distance
        #expect(fired("出售一些好的邀请码").isEmpty)  // four characters a reader sees
        #expect(fired("\u{202E}码请邀售出") == ["trade"])  // shown 出售邀请码
        #expect(fired("邀请码出售").isEmpty)  // ordered: shown the other way round
        #expect(fired("\u{202E}abc/nc.t") == ["linked"])  // shown t.cn/cba
        let d = e.check(send("看\u{202E}abc/nc.t"), now: 0)
        #expect(d.fired.first?.evidence.first?.span == 2..<10)
        #expect(fired("\u{202B}abc/nc.t\u{202C}").isEmpty)  // an embedding does not reorder Latin
    }

    /// A reviewer sees which folds made a keyword hit.
    @Test func keywordEvidenceSaysWhichFoldsMadeTheHit() throws {
        let e = try engine(
            """
            list w(fold: ["all", "pinyin"]) = ["兼职刷单", "加微信", "返利"]
            rule r { on send when text contains any w }
            """)
        func via(_ text: String) -> [String]? { e.check(send(text), now: 0).fired.first?.evidence.first?.via }
        #expect(via("兼職刷単") == ["traditional", "variants"])
        #expect(via("加 微 信") == ["noise"])
        #expect(via("加威信") == ["pinyin"])
        #expect(via("\u{202E}利返\u{202C}") == ["bidi"])
        #expect(via("返利") == nil)
        let d = e.check(send("兼職刷単"), now: 0)
        #expect(d.json.contains(#""via":["traditional","variants"]"#), "\(d.json)")
        let (_, trace) = e.explain(send("加 微 信"), now: 0)
        #expect(trace.text.contains("via noise"), "\(trace.text)")
    }

    @Test func containsAnyAllAndLiteralWithEvidence() throws {
        let e = try engine(
            """
            list w = ["刷单", "兼职"]
            rule any_ { on send when text contains any w score 1 }
            rule all_ { on send when text contains all w score 2 }
            rule lit { on send when text contains "ＶＸ" score 4 }
            """)
        let d = e.check(send("兼职刷单 加vx"), now: 0)
        #expect(d.fired.map(\.rule) == ["any_", "all_", "lit"])
        #expect(d.score == 7)
        let evidence = d.fired[0].evidence
        #expect(evidence.map(\.entry) == ["兼职", "刷单"])
        #expect(evidence.map(\.span) == [0..<2, 2..<4])
        #expect(evidence[0].list == "w")
        #expect(d.fired[2].evidence.first?.span == 6..<8)
        #expect(e.check(send("刷单"), now: 0).fired.map(\.rule) == ["any_"])
    }

    @Test func matchesPatternsInlineRegexAndNormalize() throws {
        let e = try engine(
            """
            pattern contact = /加\\s*v/i
            rule p { on send when text matches contact }
            rule inline { on send when text matches /\\d{4}/ }
            rule folded { on send when normalize(text) matches /加微信/ }
            """)
        let d = e.check(send("快加 V 1234 加-微信"), now: 0)
        #expect(d.fired.map(\.rule) == ["p", "inline", "folded"])
        #expect(d.fired[0].evidence.first?.span == 1..<4)
        #expect(d.fired[1].evidence.first?.span == 5..<9)
    }

    @Test func inForWordListsLiteralListsAndCIDR() throws {
        let e = try engine(
            """
            list vips = ["u1", "u2"]
            list nets = cidr(["10.0.0.0/8", "2001:db8::/32"])
            rule vip { on send when account in vips }
            rule lit { on send when account in ["u9"] }
            rule net { on send when ip in nets }
            """)
        #expect(e.check(send("x", ip: "10.2.3.4"), now: 0).fired.map(\.rule) == ["vip", "net"])
        #expect(e.check(send("x", account: "u9", ip: "2001:db8::9"), now: 0).fired.map(\.rule) == ["lit", "net"])
        #expect(e.check(send("x", account: "u3", ip: "11.0.0.1"), now: 0).fired.isEmpty)
    }

    @Test func nearHitsLenFingerprintAtLeast() throws {
        let e = try engine(
            """
            list share = ["分享", "转发"]
            list reward = ["红包", "现金"]
            rule near_ { on send when near(text, share, reward, within: 5) }
            rule hits_ { on send when hits(text, reward) >= 2 }
            rule len_ { on send when len(text) == 10 and len(to) == 2 }
            rule fp { on send when fingerprint(text) == fingerprint("分享 领 红包 和 现金 ok") }
            rule k { on send when at_least(2, text contains "ok", len(text) > 100, hits(text, share) == 1) }
            """)
        let d = e.check(send("分享领红包和现金ok", to: ["a", "b"]), now: 0)
        #expect(d.fired.map(\.rule) == ["near_", "hits_", "len_", "fp", "k"])
        let far = e.check(send("分享 这是一段很长很长的话 红包"), now: 0)
        #expect(!far.fired("near_"))
    }

    @Test func fingerprintsAreSixteenHexDigitsOfFNV1a() {
        // FNV-1a 64 of "a" and of "" (the offset basis), from the algorithm's published test vectors.
        #expect(EvaluationContext.fingerprint("a") == "af63dc4c8601ec8c")
        #expect(EvaluationContext.fingerprint("") == "cbf29ce484222325")
    }

    @Test func listFieldsAreScannedElementByElement() throws {
        let e = try engine("rule r { on send when to contains \"刷单\" }")
        #expect(!e.check(send("x", to: ["兼刷", "单"]), now: 0).fired("r"))
        let d = e.check(send("x", to: ["ab", "兼刷单"]), now: 0)
        #expect(try #require(d.fired.first).evidence.first?.span == 4..<6)
    }

    @Test func nullFieldsMakeComparisonsAndTextOperatorsFalse() throws {
        let e = try engine(
            """
            rule a { on issue when text contains "x" }
            rule b { on issue when tier == "personal" }
            rule c { on issue when not (tier == "personal") }
            rule d { on issue when attrs.age > 3 }
            """)
        var issue = Event(id: "i", type: .issue, account: "u", ts: 0)
        issue.code = "C"
        #expect(e.check(issue, now: 0).fired.map(\.rule) == ["c"])
        issue.attrs["age"] = .number(5)
        #expect(e.check(issue, now: 0).fired.map(\.rule) == ["c", "d"])
    }

    @Test func firedOrderDecideShadowAndPenalties() throws {
        let e = try engine(
            """
            rule combo { on send when fired(base) score 30 penalty restrict_send(account, 1d) }
            rule base { on send when text contains "x" score 40 penalty revoke_code(code), delete_content(message) }
            rule trial { on send when true score 500 mode shadow }
            rule hold { on send when text contains "hold" penalty review }
            decide {
              block when score >= 100
              review when score >= 60
            }
            """)
        let d = e.check(send("x"), now: 0)
        #expect(d.fired.map(\.rule) == ["base", "combo"])
        #expect(d.verdict == .review)
        #expect(d.score == 70)
        #expect(d.shadow.map(\.rule) == ["trial"])
        #expect(d.penalties.map(\.action.rawValue) == ["revoke_code", "delete_content", "restrict_send"])
        #expect(d.penalties.map(\.until) == [nil, nil, 1_767_312_000])
        #expect(d.penalties[2].targetValue == "u1")
        #expect(e.check(send("hold", account: "u2", code: nil), now: 0).verdict == .review)
        #expect(e.check(send("nothing", account: "u2", code: nil), now: 0).verdict == .allow)
        // u1 may not send for a day, and the code is dead.
        let blocked = e.check(send("nothing", code: nil), now: 0)
        #expect(blocked.verdict == .block)
        #expect(blocked.fired.map(\.rule) == ["penalty_in_force"])
        #expect(e.check(send("nothing", account: "u3"), now: 0).verdict == .block)
    }

    @Test func rolloutIsStablePerAccount() throws {
        let e = try engine("rule half { on send when true rollout 50% }")
        var enforced = 0
        for i in 0..<1000 {
            let d = e.check(send("x", account: "acct\(i)"), now: 0)
            #expect(d.fired.count + d.shadow.count == 1)
            if !d.fired.isEmpty { enforced += 1 }
            #expect(d.fired.isEmpty == e.check(send("x", account: "acct\(i)"), now: 0).fired.isEmpty)
        }
        #expect((400...600).contains(enforced))
    }

    @Test func matchesFormatPerChannel() throws {
        let e = try engine("rule bad { on issue when not matches_format(code, \"official_account\") }")
        for (code, bad) in [("AB12CD34", false), ("AB1", true), ("ABCDEFGHIJKLM", true), ("AB12-CD34", true), ("ＡＢ12CD34", true)] {
            var issue = Event(id: "i", type: .issue, account: "u", ts: 0)
            issue.code = code
            #expect(e.check(issue, now: 0).fired("bad") == bad, "\(code)")
        }
    }

    @Test func regexLimitIsAWarningNotAHang() throws {
        let e = try engine("rule slow { on send when text matches /(a+)+$/ }")
        let d = e.check(send(String(repeating: "a", count: 5000) + "!"), now: 0)
        #expect(!d.fired("slow"))
        #expect(d.warnings.count == 1)
    }

    /// The cheap part of a condition runs first: a regex that a field comparison makes moot is
    /// not run (its match limit would warn if it were), and a rule that holds keeps its
    /// evidence in source order, as if the parts had run as written.
    @Test func cheapPartsRunFirstAndEvidenceKeepsSourceOrder() throws {
        let e = try engine(
            """
            rule slow { on send when text matches /(a+)+$/ and account == "nobody" }
            rule both { on send when text matches /红包/ and text contains "分享" and account == "u1" }
            """)
        let moot = e.check(send(String(repeating: "a", count: 5000) + "!"), now: 0)
        #expect(moot.warnings.isEmpty)
        #expect(!moot.fired("slow"))
        let d = e.check(send("分享就领红包"), now: 0)
        let both = try #require(d.fired.first { $0.rule == "both" })
        #expect(both.evidence.map(\.kind) == [.regex, .keyword])
    }

    @Test func listFilesLoadAndMayNotLeaveTheRuleSet() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("warden-lists-\(UUID().uuidString)")
        let rules = dir.appendingPathComponent("rules")
        try fm.createDirectory(at: rules.appendingPathComponent("lists"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        try "# comment\n刷单\n\n  兼职  \n".write(to: rules.appendingPathComponent("lists/w.txt"), atomically: true, encoding: .utf8)
        try "secret\n".write(to: dir.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(
            at: rules.appendingPathComponent("lists/link.txt"), withDestinationURL: dir.appendingPathComponent("outside.txt"))
        let path = rules.appendingPathComponent("a.rules").path
        let good = Compiler.compile(
            source: "ruleset t\nlist w = file(\"lists/w.txt\")\nrule r { on send when text contains any w }", path: path, root: rules.path)
        let e = try #require(good.ruleSet).self
        #expect(Engine(ruleSet: e).check(send("做兼职"), now: 0).fired("r"))
        // A list saved with Windows line ends: one entry per line, not one long entry.
        try "刷单\r\n兼职\r\n# 注释\r\n".write(to: rules.appendingPathComponent("lists/crlf.txt"), atomically: true, encoding: .utf8)
        let crlf = try #require(
            Compiler.compile(
                source: "ruleset t\nlist w = file(\"lists/crlf.txt\")\nrule r { on send when text contains any w }", path: path,
                root: rules.path
            ).ruleSet)
        for text in ["做兼职", "刷单返利"] { #expect(Engine(ruleSet: crlf).check(send(text), now: 0).fired("r"), "\(text)") }
        for (source, message) in [
            ("../outside.txt", "list file '../outside.txt' is outside the rule set's directory"),
            ("lists/link.txt", "list file 'lists/link.txt' is outside the rule set's directory"),
            ("/etc/passwd", "list file paths are relative to the rules file; '/etc/passwd' is absolute"),
            ("lists/none.txt", "list file 'lists/none.txt' does not exist"),
        ] {
            let bad = Compiler.compile(
                source: "ruleset t\nlist w = file(\"\(source)\")\nrule r { on send when text contains any w }", path: path, root: rules.path
            )
            #expect(bad.ruleSet == nil)
            #expect(bad.diagnostics.map(\.message) == [message])
            #expect(bad.diagnostics.first?.location?.line == 2)
        }
    }

    @Test func regexCompileErrorPointsInsideTheSlashes() {
        let (_, diagnostics) = Compiler.compile(source: "ruleset t\npattern p = /诈骗(信息/\nrule r { on send when text matches p }")
        #expect(diagnostics.first?.id == "bad-regex")
        #expect(diagnostics.first?.location?.line == 2)
        #expect(diagnostics.first?.location?.column == 19)
    }

    @Test func decisionJSONHasTheShapeOfTheSpec() throws {
        let e = try engine(
            "list w = [\"刷单\"]\nrule f { on send when text contains any w score 80 penalty revoke_code(code) tags \"fraud\" }")
        let json = e.check(send("兼职刷单日赚"), now: 0).json
        let value = try JSONParser.parse(json)
        guard case .object(let pairs) = value else { throw CancellationError() }
        #expect(pairs.map(\.0) == ["id", "type", "decision", "score", "fired", "penalties", "shadow", "ruleset"])
        #expect(json.contains(#""evidence":[{"kind":"keyword","field":"text","list":"w","entry":"刷单","span":[2,4],"excerpt":"兼职刷单日赚"}]"#))
        #expect(
            json.contains(
                #""penalties":[{"action":"revoke_code","target":{"code":"AB12CD34"},"until":"forever","offense":1,"id":"p-1","rule":"f"}]"#)
        )
        #expect(
            value["ruleset"]?["digest"].map { if case .string(let s) = $0 { s.hasPrefix("sha256:") && s.count == 71 } else { false } }
                == true)
    }
}

@Suite struct RegexPrefilterEvaluationTests {
    @Test func manyPatternsOnOneFieldAgreeWithEachRunAlone() throws {
        let rules = """
            ruleset t
            pattern phone = /1[3-9][0-9]{9}/
            pattern link = /https?:\\/\\/[^ ]+/
            pattern money = /[0-9]+元/
            rule p { on send when text matches phone }
            rule l { on send when text matches link }
            rule m { on send when text matches money or text matches /返现[0-9]+/ }
            """
        let engine = Engine(ruleSet: try #require(Compiler.compile(source: rules).ruleSet))
        for (text, fired) in [
            ("call 13812345678", ["p"]), ("see http://x.cn/a", ["l"]), ("only 50元", ["m"]), ("返现10", ["m"]),
            ("nothing here", []), ("13812345678 http://a 5元", ["p", "l", "m"]),
        ] {
            var e = Event(id: "m", type: .send, account: "u", ts: 0)
            e.text = text
            e.to = []
            #expect(engine.check(e, now: 0).fired.map(\.rule) == fired, "\(text)")
        }
    }
}

@Suite struct ComputedNeedleTests {
    @Test func containsWithANeedleFromTheEventFoldsAndKeepsBoundaries() throws {
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t\nrule own { on send when text contains code }")
        let engine = Engine(ruleSet: try #require(ruleSet, "\(diagnostics)"))
        func send(_ text: String, code: String) -> Event {
            var e = Event(id: "m", type: .send, account: "a", ts: 0)
            e.text = text
            e.to = []
            e.code = code
            return e
        }
        #expect(engine.check(send("我的邀请码 ＡＢ１２ＣＤ３４ 快用", code: "AB12CD34"), now: 0).fired("own"))
        #expect(engine.check(send("码是 A-B-1-2-C-D-3-4", code: "AB12CD34"), now: 0).fired("own"))
        #expect(!engine.check(send("XAB12CD34", code: "AB12CD34"), now: 0).fired("own"))
        #expect(!engine.check(send("没有码", code: "AB12CD34"), now: 0).fired("own"))
    }
}
