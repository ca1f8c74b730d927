import Foundation
import Testing
import WardenLanguage
import WardenMatching

@testable import WardenEngine

/// Input written by an attacker or by mistake: each case gets its exact error, quickly, and
/// nothing else is lost.
@Suite struct HostileInputTests {
    let decoder = EventDecoder()

    func message(_ line: String) -> String? {
        do {
            _ = try decoder.decode(line: line, file: "f.jsonl", line: 7)
            return nil
        } catch {
            return error.description
        }
    }

    func sendJSON(text: String = "hi", to: [String] = ["r"], extra: String = "") -> String {
        let recipients = to.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"id":"m","type":"send","account":"u","text":"\#(text)","to":[\#(recipients)]\#(extra)}"#
    }

    @Test func eventLimitsAreExactAtTheEdge() {
        let limits = EventLimits.default
        #expect(message(sendJSON(text: String(repeating: "a", count: limits.maxTextBytes))) == nil)
        #expect(
            message(sendJSON(text: String(repeating: "a", count: limits.maxTextBytes + 1)))
                == "f.jsonl:7: key 'text': 65537 bytes; the limit is 65536")
        // 21,846 three-byte characters: the limit counts bytes, not characters.
        #expect(
            message(sendJSON(text: String(repeating: "刷", count: 21_846)))
                == "f.jsonl:7: key 'text': 65538 bytes; the limit is 65536")
        #expect(message(sendJSON(to: (0..<limits.maxRecipients).map { "r\($0)" })) == nil)
        #expect(
            message(sendJSON(to: (0...limits.maxRecipients).map { "r\($0)" }))
                == "f.jsonl:7: key 'to': 1001 recipients; the limit is 1000")
        #expect(
            message(sendJSON(to: [String(repeating: "x", count: 1025)]))
                == "f.jsonl:7: key 'to': element 0 has 1025 bytes; the limit is 1024")
        let attrs = (0...limits.maxAttributes).map { "\"a\($0)\":1" }.joined(separator: ",")
        #expect(message(sendJSON(extra: ",\"attrs\":{\(attrs)}")) == "f.jsonl:7: key 'attrs': 65 attributes; the limit is 64")
        #expect(
            message(sendJSON(extra: ",\"device\":\"\(String(repeating: "d", count: 1025))\""))
                == "f.jsonl:7: key 'device': 1025 bytes; the limit is 1024")
        let line = sendJSON() + String(repeating: " ", count: limits.maxEventBytes)
        #expect(line.utf8.count == 1_048_637)
        #expect(message(line) == "f.jsonl:7: event of 1048637 bytes; the limit is 1048576")
    }

    @Test func jsonBombsStopAtTheDepthLimit() {
        #expect(message(String(repeating: "[", count: 100_000)) == "f.jsonl:7:65: not valid JSON: JSON nested deeper than 64 levels")
        // The event is level 1 and attrs level 2: the 64th `{"a":` inside attrs opens level 65,
        // at column 69 (the text before attrs' first brace) + 63 × 5 + 1.
        #expect(
            message(sendJSON(extra: ",\"attrs\":" + String(repeating: "{\"a\":", count: 70)))
                == "f.jsonl:7:385: not valid JSON: JSON nested deeper than 64 levels")
    }

    @Test func invalidUTF8IsReportedWithItsByteOffset() throws {
        var bytes = Array(sendJSON(text: "刷单").utf8)
        let at = bytes.firstIndex(of: 0xE5)! + 1  // the middle of 刷
        bytes[at] = 0x41
        #expect(throws: EventError(file: "f.jsonl", line: 3, message: "invalid UTF-8 at byte \(at - 1)")) {
            try decoder.decode(bytes: bytes, file: "f.jsonl", line: 3)
        }
        // Wherever the bad byte is (a value, an unknown key, attrs, between tokens), the line is
        // refused with its offset, never decoded with the byte repaired.
        for extra in [",\"x\u{FF}\":1", ",\"attrs\":{\"k\":\"\u{FF}\"}", " \u{FF}"] {
            var line = Array(sendJSON(extra: extra).utf8)
            let marker = line.firstIndex(of: 0xC3)!  // U+00FF is C3 BF: make it one bare byte
            line.replaceSubrange(marker...(marker + 1), with: [0xFF])
            #expect(throws: EventError(file: "f.jsonl", line: 3, message: "invalid UTF-8 at byte \(marker)"), "\(extra)") {
                try decoder.decode(bytes: line, file: "f.jsonl", line: 3)
            }
        }
        // Every position of a line with text in every place: a bare 0xFF there, or a character
        // cut short, is reported at its offset (the fast decoder validates strings as it makes
        // them; nothing else may get through it).
        let full = Array(
            sendJSON(text: "兼职刷单 🎁", extra: ",\"nick\":\"小明\",\"attrs\":{\"备注\":[\"加微信\",1,{\"键\":\"值\"}]}").utf8)
        for k in full.indices {
            var line = full
            line[k] = 0xFF
            // In a character, the character's first byte is the offset.
            let offset = try #require(UTF8Validation.firstInvalidByte(line))
            #expect(offset <= k && k - offset < 4)
            #expect(throws: EventError(file: "f.jsonl", line: 3, message: "invalid UTF-8 at byte \(offset)")) {
                try decoder.decode(bytes: line, file: "f.jsonl", line: 3)
            }
            guard full[k] >= 0xC0 else { continue }
            line = full
            line[k + 1] = 0x41  // the lead byte now starts a character that does not continue
            #expect(throws: EventError(file: "f.jsonl", line: 3, message: "invalid UTF-8 at byte \(k)")) {
                try decoder.decode(bytes: line, file: "f.jsonl", line: 3)
            }
        }
        for (bad, offset) in [([0xC0, 0x80], 0), ([0x61, 0xED, 0xA0, 0x80], 1), ([0xF4, 0x90, 0x80, 0x80], 0), ([0x61, 0xE4, 0xB8], 1)]
            as [([UInt8], Int)]
        {
            #expect(UTF8Validation.firstInvalidByte(bad) == offset, "\(bad)")
        }
        #expect(UTF8Validation.firstInvalidByte(Array("ok 刷单 🎁".utf8)) == nil)
    }

    /// The validator against Swift's own on random byte strings made mostly of pieces of UTF-8
    /// (ASCII runs for the eight-byte path, CJK for the three-byte one, and every kind of bad
    /// byte): the same verdict, and the bytes before a reported offset are valid.
    @Test func validatorAgreesWithSwiftsOnRandomBytes() {
        var rng = SplitMix(seed: 16)
        let pieces: [[UInt8]] = [
            Array("abcdefghij".utf8), Array("刷单".utf8), Array("兼职刷单日赚，加微信".utf8), Array("é".utf8), Array("🎁".utf8), Array("\u{FFFF}".utf8),
            [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0xFF],
            [0xEE, 0x80, 0x80],
        ]
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 12) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if rng.next() % 2 == 0, !bytes.isEmpty { bytes.removeLast() }  // cut a sequence short
            let offset = UTF8Validation.firstInvalidByte(bytes)
            #expect((offset == nil) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
            if let offset { #expect(String(validating: bytes[..<offset], as: UTF8.self) != nil, "\(bytes)") }
        }
    }

    @Test func catastrophicBacktrackingComesBackFlaggedAndFast() throws {
        let (ruleSet, diagnostics) = Compiler.compile(
            source: "ruleset t\nrule slow { on send when text matches /(a+)+$/ }\nrule other { on send when text contains \"a\" }")
        #expect(diagnostics.map(\.id) == ["backtracking"])
        let broken = Compiler.compile(source: "ruleset t\nrule r { on send when text matches /(?:ab|cd){20000}/ }")
        #expect(broken.diagnostics.map(\.id) == ["bad-regex"], "an inline regex error is reported once")
        let engine = Engine(ruleSet: try #require(ruleSet))
        var event = Event(id: "m", type: .send, account: "u", ts: 1_767_225_600)
        event.text = String(repeating: "a", count: 60_000) + "!"
        event.to = ["r"]
        let clock = ContinuousClock()
        let start = clock.now
        let d = engine.check(event, now: 0)
        #expect(clock.now - start < .seconds(1))
        #expect(d.warnings.count == 1)
        #expect(d.warnings.first?.hasPrefix("rule slow: pattern") == true, "\(d.warnings)")
        #expect(!d.fired.contains { $0.rule == "slow" })
        #expect(d.fired.contains { $0.rule == "other" })
    }

    @Test func regexSizeLimits() {
        #expect(throws: RegexError.self) { try CompiledRegex(String(repeating: "a", count: CompiledRegex.maxPatternBytes + 1)) }
        // Group repeats are copied into the compiled code. PCRE2 built with 2-byte links (as
        // Debian's is) refuses past 64 KiB itself; with 4-byte links our 1 MiB limit does.
        do {
            _ = try CompiledRegex("(?:ab|cd){20000}")
            Issue.record("a 20,000-fold group repeat compiled")
        } catch {
            #expect(
                error.message == "regular expression is too large"
                    || (error.message.hasPrefix("compiles to ")
                        && error.message.hasSuffix("the limit is 1048576 (large counted repeats such as {1000} multiply the code)")),
                "\(error.message)")
        }
        #expect((try? CompiledRegex("[a-z0-9]{20}")) != nil)
    }

    @Test func deepExpressionsAreRefusedWithALimit() {
        let deep = String(repeating: "(", count: 300) + "true" + String(repeating: ")", count: 300)
        let (ruleSet, diagnostics) = Compiler.compile(source: "ruleset t\nrule r { on send when \(deep) }")
        #expect(ruleSet == nil)
        // Only the limit: the 'when' that failed to parse is not also reported as missing.
        #expect(diagnostics.map(\.message) == ["expression nested deeper than 200 levels"])
        #expect(diagnostics.first?.location?.line == 2)
    }

    /// A chain of operators is as tall a tree as it has terms, and every later walk (checker,
    /// compiler, evaluation, formatter) recurses that deep: 7,000 terms used to overflow the
    /// stack. Chains, and lets read through lets, are refused past the nesting limit; a chain
    /// under it compiles and decides.
    @Test func longChainsAndLetChainsAreRefusedWithALimit() throws {
        func diagnostics(_ source: String) -> [String] {
            Compiler.compile(source: "ruleset t\n" + source).diagnostics.filter { $0.severity == .error }.map(\.message)
        }
        let limit = "expression more than 200 levels deep (each operator of a chain is a level)"
        let ones = Array(repeating: "1", count: 7_000)
        #expect(diagnostics("rule r { on send when true score \(ones.joined(separator: "+")) }") == [limit])
        #expect(diagnostics("rule r { on send when true score \(ones.joined(separator: "*")) }") == [limit])
        let words = (0..<8_000).map { "text contains \"w\($0)\"" }
        #expect(diagnostics("rule r { on send when \(words.joined(separator: " or ")) }") == [limit])
        #expect(diagnostics("rule r { on send when \(words.joined(separator: " and ")) }") == [limit])
        let lets = ["let a0 = 1"] + (1..<5_000).map { "let a\($0) = a\($0 - 1) + 1" }
        let refused = Compiler.compile(source: "ruleset t\n" + lets.joined(separator: "\n") + "\nrule r { on send when a4999 > 3 }")
            .diagnostics
        #expect(
            refused.filter { $0.severity == .error }.map(\.message) == ["'a100' is more than 200 levels deep through the lets it reads"])
        #expect(!refused.contains { $0.id == "unused" }, "lets read by a refused one are not 'never used'")

        let short = words.prefix(150).joined(separator: " or ")
        let (ruleSet, errors) = Compiler.compile(
            source: "ruleset t\nrule r { on send when \(short) score 10 }\ndecide { review when score >= 10 }")
        #expect(errors.filter { $0.severity == .error }.isEmpty)
        var e = Event(id: "m1", type: .send, account: "a", ts: 1_767_225_600)
        e.text = "说w149"
        e.to = ["b"]
        #expect(Engine(ruleSet: try #require(ruleSet)).check(e, now: 0).verdict == .review)
    }

    @Test func listEntryLimits() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("warden-limits-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        try "ok\n\(String(repeating: "长", count: 257))\n".write(
            to: dir.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("a.rules").path
        let (ruleSet, diagnostics) = Compiler.compile(
            source: "ruleset t\nlist w = file(\"long.txt\")\nrule r { on send when text contains any w }", path: path, root: dir.path)
        #expect(ruleSet == nil)
        #expect(diagnostics.map(\.message) == ["list file 'long.txt' line 2: an entry of 257 characters; the limit is 256"])
    }

    @Test func counterKeysStopAtTheLimitAndAreCounted() throws {
        let (ruleSet, _) = Compiler.compile(source: "ruleset t\nrule r { on send when count(by: account, within: 1h) > 1 }")
        let engine = Engine(ruleSet: try #require(ruleSet), maxCounterKeys: 10)
        for k in 0..<25 {
            var e = Event(id: "m\(k)", type: .send, account: "a\(k % 20)", ts: 1_767_225_600 + Double(k))
            e.text = "hi"
            e.to = ["r"]
            let d = engine.check(e, now: 0)
            // Accounts a0…a9 are kept and their second send fires; a10…a19 fail open.
            #expect(d.fired.contains { $0.rule == "r" } == (k >= 20 && k % 20 < 10), "event \(k)")
        }
        #expect(engine.counterKeyCount == 10)
        #expect(engine.counterKeysRefused == 10)
    }

    /// Issue 19: a full store is a state error, not a silent fail-open: the decision says so,
    /// `on_state_error` decides, and a bound in bytes works like the one in keys.
    @Test func aFullCounterStoreIsAStateError() throws {
        let (ruleSet, _) = Compiler.compile(
            source:
                "ruleset t on_state_error closed\nrule r { on send when count(by: account, within: 1h) > 1 }\ndecide { block when score >= 100 }"
        )
        let engine = Engine(ruleSet: try #require(ruleSet), maxCounterBytes: 5 * 300)
        var decisions: [Decision] = []
        for k in 0..<8 {
            var e = Event(id: "m\(k)", type: .send, account: "a\(k)", ts: 1_767_225_600 + Double(k))
            e.text = "hi"
            e.to = ["r"]
            decisions.append(engine.check(e, now: 0))
        }
        #expect(decisions.map(\.stateUnavailable) == [false, false, false, false, false, true, true, true])
        #expect(decisions[5].verdict == .review)
        #expect(decisions[5].warnings.first?.contains("the counter store is full") == true)
        #expect(engine.counterKeyCount == 5)
    }
}
