import ArgumentParser
import Foundation
import WardenEngine
import WardenMatching
import WardenModels

/// `warden bench`: throughput of `check` on sample events and of keyword matching on a corpus.
///
/// Numbers only mean something next to a peer measured in the same run on the same machine:
/// `Benchmarks/run.sh` runs this and `grep -F` side by side.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure check and keyword-matching throughput.")

    @OptionGroup var ruleSet: RuleSetOptions

    @Option(help: "JSONL events to check (each pass starts from the first).")
    var events: String = "samples/events.jsonl"

    @Option(help: "Seconds to spend on check throughput.")
    var seconds: Double = 3

    @Option(help: "A word list, one entry per line, for keyword throughput.")
    var words: String?

    @Option(help: "A UTF-8 text corpus, one document per line, for keyword throughput.")
    var corpus: String?

    @Flag(help: "Match words exactly (no folds), as grep -F does.")
    var exact = false

    @Option(help: "Also measure check with this many threads at once (different accounts per thread, then the same accounts).")
    var threads: Int = 1

    @Option(help: "Counter keys to create for the counter benchmark (0 skips it).")
    var counterKeys: Int = 0

    @Option(help: "Invite edges to create for the invite-graph benchmark (0 skips it).")
    var inviteEdges: Int = 0

    @Option(help: "Accounts below one leader for the downline benchmark (0 skips it).")
    var downline: Int = 0

    @Option(help: "A file of regexes, one per line ('#' comments), tried on every line of --corpus.")
    var regexes: String?

    @Option(
        help: "A model (warden train): classify every line of --corpus, beside a scan of the same lines with the rule set's word lists.")
    var model: String?

    func run() throws {
        try benchCheck()
        if threads > 1 { try benchParallel() }
        if let words, let corpus { try benchKeywords(words: words, corpus: corpus) }
        if let regexes, let corpus { try benchRegexes(regexes, corpus: corpus) }
        if let model, let corpus { try benchModel(model, corpus: corpus) }
        if inviteEdges > 0 { benchInvites() }
        if downline > 0 { benchDownline() }
        if counterKeys > 0 {
            benchCounter("count", "count(by: account, within: 1d) > 1000")
            benchCounter("distinct", "distinct(to, by: account, within: 1d) > 50")
        }
    }

    /// One event per key through `Engine.check` with a single counter rule; the growth of the
    /// resident set gives the bytes held per key (an upper bound: it includes allocator slack).
    func benchCounter(_ name: String, _ condition: String) {
        guard let ruleSet = Compiler.compile(source: "ruleset bench\nrule r { on send when \(condition) }").ruleSet else { return }
        let engine = Engine(ruleSet: ruleSet)
        let before = Self.residentBytes()
        let start = Date()
        for i in 0..<counterKeys {
            var event = Event(id: "e", type: .send, account: "account\(i)", ts: 1_767_225_600 + Double(i) * (3600 / Double(counterKeys)))
            event.to = ["r\(i % 97)"]
            event.text = "hi"
            _ = engine.check(event, now: event.ts ?? 0)
        }
        let elapsed = Date().timeIntervalSince(start)
        let bytes = Double(Self.residentBytes() - before) / Double(counterKeys)
        Output.line(
            String(
                format: "counters: %@ at 1d, %d keys: %.0f updates/s through Engine.check; %.0f bytes resident per key (%d keys held)",
                name, counterKeys, Double(counterKeys) / elapsed, bytes, engine.counterKeyCount))
    }

    /// A random invite tree of `inviteEdges` redemptions through `Engine.check` (each account
    /// issues a code; the next account redeems any earlier code) under one rule reading the
    /// graph; the growth of the resident set gives the bytes held per edge (an upper bound: it
    /// includes allocator slack, and the codes' owners).
    func benchInvites() {
        let rule = "rule r { on redeem when redeemers(inviter_of(account), within: 1d) >= 20 and invite_depth(account) > 3 }"
        guard let ruleSet = Compiler.compile(source: "ruleset bench\n" + rule).ruleSet else { return }
        let engine = Engine(ruleSet: ruleSet)
        let before = Self.residentBytes()
        let start = Date()
        var rng = SystemRandomNumberGenerator()
        let t0 = 1_767_225_600.0
        let step = 3 * 86_400 / Double(inviteEdges)
        for i in 0..<inviteEdges {
            let t = t0 + Double(i) * step
            var issue = Event(id: "i\(i)", type: .issue, account: "account\(i)", ts: t)
            issue.code = "CODE\(i)"
            issue.device = "phone\(i)"
            issue.ip = "10.\(i % 200).\(i / 200 % 256).\(i % 250 + 1)"
            _ = engine.check(issue, now: issue.ts ?? 0)
            var redeem = Event(id: "r\(i)", type: .redeem, account: "account\(i + 1)", ts: t + step / 2)
            redeem.code = "CODE\(Int.random(in: 0...i, using: &rng))"
            redeem.device = "phone\(i + 1)"
            redeem.ip = "10.\((i + 1) % 200).\((i + 1) / 200 % 256).\((i + 1) % 250 + 1)"
            _ = engine.check(redeem, now: redeem.ts ?? 0)
        }
        let elapsed = Date().timeIntervalSince(start)
        let edges = engine.inviteEdges
        let bytes = Double(Self.residentBytes() - before) / Double(max(edges, 1))
        Output.line(
            String(
                format:
                    "invites: %d edges (and as many codes) in %.1f s, %.0f issue+redeem pairs/s through Engine.check; %.0f bytes resident per edge",
                edges, elapsed, Double(inviteEdges) / elapsed, bytes))
    }

    func sampleEvents() throws -> [Event] {
        guard let data = FileManager.default.contents(atPath: events) else {
            Output.error("warden: cannot read '\(events)'")
            throw ExitCode(2)
        }
        let decoder = EventDecoder()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? decoder.decode(line: String($0)).event
        }
    }

    func benchCheck() throws {
        let parsed = try sampleEvents()
        guard !parsed.isEmpty else { return }
        let engine = Engine(ruleSet: try ruleSet.load())
        var latencies: [Double] = []
        var count = 0
        let start = Date()
        var fired = 0
        // Each pass replays the samples a day later with fresh ids, like a stream that goes on.
        let first = parsed.compactMap(\.ts).min() ?? 0
        var pass = 0
        while Date().timeIntervalSince(start) < seconds {
            pass += 1
            for var event in parsed {
                event.id += "-\(pass)"
                event.ts = (event.ts ?? first) + Double(pass) * 86_400
                let t0 = DispatchTime.now().uptimeNanoseconds
                let decision = engine.check(event, now: event.ts ?? 0)
                let t1 = DispatchTime.now().uptimeNanoseconds
                fired += decision.fired.count
                latencies.append(Double(t1 - t0) / 1000)
                count += 1
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        Output.line(
            String(
                format: "check: %d events in %.2f s = %.0f events/s on one core; latency p50 %.1f µs, p99 %.1f µs (%d rules fired)",
                count, elapsed, Double(count) / elapsed, percentile(0.5), percentile(0.99), fired))
    }

    /// (regex, line) pairs that match, through the prefiltered set and, as a baseline, PCRE2 JIT
    /// trying every pattern on every line.
    func benchRegexes(_ path: String, corpus: String) throws {
        guard let r = FileManager.default.contents(atPath: path), let c = FileManager.default.contents(atPath: corpus) else {
            Output.error("warden: cannot read '\(path)' or '\(corpus)'")
            throw ExitCode(2)
        }
        let patterns = String(decoding: r, as: UTF8.self).split(separator: "\n").map(String.init).filter {
            !$0.isEmpty && !$0.hasPrefix("#")
        }
        let set: RegexSet
        do { set = try RegexSet(patterns: patterns.map { ($0, "") }) } catch {
            Output.error("warden: regex \(error.index + 1) does not compile: \(error.error.message)")
            throw ExitCode(2)
        }
        let lines = String(decoding: c, as: UTF8.self).split(separator: "\n").map(String.init)
        let mib = Double(c.count) / 1_048_576
        var best = Double.infinity
        var pairs = 0
        var matchingLines = 0
        let scratch = try? MatchScratch()
        for _ in 0..<3 {
            pairs = 0
            matchingLines = 0
            let t0 = Date()
            for line in lines {
                let n = set.matching(line, scratch: scratch).matches.count
                pairs += n
                if n > 0 { matchingLines += 1 }
            }
            best = min(best, Date().timeIntervalSince(t0))
        }
        let tc = Date()
        var candidateCount = 0
        for line in lines { candidateCount += set.candidates(in: line).count }
        let prefilterTime = Date().timeIntervalSince(tc)
        Output.line(
            String(
                format: "regexes: prefilter alone %.1f MiB/s; %.2f patterns run per line; ", mib / prefilterTime,
                Double(candidateCount) / Double(lines.count)) + set.prefilterSummary)
        Output.line(
            String(
                format:
                    "regexes: %d patterns (%d without literals); %.1f MiB in %.3f s = %.1f MiB/s (prefiltered; best of 3); %d lines with a match, %d (regex, line) pairs",
                patterns.count, set.unguardedCount, mib, best, mib / best, matchingLines, pairs))
        guard c.count <= 16 << 20 else { return }  // the baseline takes minutes on the 50 MiB corpus
        let t0 = Date()
        var plainPairs = 0
        for var line in lines {
            line.withUTF8 { buffer in
                for regex in set.regexes where (try? regex.firstMatch(inUTF8: buffer)) != nil { plainPairs += 1 }
            }
        }
        let plain = Date().timeIntervalSince(t0)
        Output.line(
            String(
                format: "regexes: every pattern on every line: %.1f MiB/s (PCRE2 JIT, one pass); %d (regex, line) pairs", mib / plain,
                plainPairs))
    }

    /// VmRSS of this process, from /proc.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    func benchKeywords(words: String, corpus: String) throws {
        guard let w = FileManager.default.contents(atPath: words), let c = FileManager.default.contents(atPath: corpus) else {
            Output.error("warden: cannot read '\(words)' or '\(corpus)'")
            throw ExitCode(2)
        }
        let entries = String(decoding: w, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let buildStart = Date()
        let matcher = KeywordMatcher(lists: [KeywordList(name: "words", entries: entries, folds: exact ? [] : .all)])
        let buildTime = Date().timeIntervalSince(buildStart)
        let lines = String(decoding: c, as: UTF8.self).split(separator: "\n").map(String.init)
        var best = Double.infinity
        var matches = 0
        var matchingLines = 0
        for _ in 0..<3 {
            matches = 0
            matchingLines = 0
            let t0 = Date()
            for line in lines {
                let n = matcher.scan(line)[0].count
                matches += n
                if n > 0 { matchingLines += 1 }
            }
            best = min(best, Date().timeIntervalSince(t0))
        }
        let mib = Double(c.count) / 1_048_576
        Output.line(
            String(
                format:
                    "keywords: %d words built in %.2f s; %.1f MiB in %.3f s = %.1f MiB/s (%@; best of 3); %d lines with a match, %d matches",
                entries.count, buildTime, mib, best, mib / best, exact ? "exact" : "all folds", matchingLines, matches))
    }

    /// `classify` per message and per 100 characters, the model's load time, the cost of its
    /// evidence, and the keyword scan of the same lines with the rule set's lists for scale.
    func benchModel(_ path: String, corpus: String) throws {
        guard let c = FileManager.default.contents(atPath: corpus) else {
            Output.error("warden: cannot read '\(corpus)'")
            throw ExitCode(2)
        }
        let loadStart = Date()
        guard let bytes = FileManager.default.contents(atPath: path) else {
            Output.error("warden: cannot read '\(path)'")
            throw ExitCode(2)
        }
        let textModel: TextModel
        do {
            textModel = try TextModel(bytes: [UInt8](bytes))
        } catch {
            Output.error("warden: \(path): \(error)")
            throw ExitCode(2)
        }
        let loadTime = Date().timeIntervalSince(loadStart)
        let lines = String(decoding: c, as: UTF8.self).split(separator: "\n").map(String.init)
        let characters = lines.reduce(0) { $0 + $1.unicodeScalars.count }
        let mib = Double(c.count) / 1_048_576
        func best(_ body: () -> Void) -> Double {
            var best = Double.infinity
            for _ in 0..<3 {
                let t0 = Date()
                body()
                best = min(best, Date().timeIntervalSince(t0))
            }
            return best
        }
        var flagged = 0
        let classify = best {
            flagged = 0
            for line in lines where textModel.probability(line) >= 0.5 { flagged += 1 }
        }
        let matcher = try ruleSet.load().keywordMatcher
        var hits = 0
        let scan = best {
            hits = 0
            for line in lines { hits += matcher.scan(line).reduce(0) { $0 + $1.count } }
        }
        let sample = lines.prefix(10_000)
        let t0 = Date()
        var phrases = 0
        for line in sample { phrases += textModel.explain(line).count }
        let explain = Date().timeIntervalSince(t0)
        let per100 = { (seconds: Double) in seconds * 1e6 / (Double(characters) / 100) }
        Output.line(
            String(
                format: "model: %@, 2^%d weights, %.1f MiB, loaded and verified in %.1f ms",
                path as NSString, textModel.header.features.bits, Double(textModel.size) / 1_048_576, loadTime * 1000))
        Output.line(
            String(
                format:
                    "model: classify %d lines (%.1f characters on average): %.2f µs per message, %.2f µs per 100 characters, %.1f MiB/s (best of 3; %d scored >= 0.5)",
                lines.count, Double(characters) / Double(max(1, lines.count)), classify * 1e6 / Double(max(1, lines.count)),
                per100(classify), mib / classify, flagged))
        Output.line(
            String(
                format:
                    "model: keyword scan of the same lines with the rule set's %d lists: %.2f µs per 100 characters, %.1f MiB/s (%d hits)",
                matcher.lists.count, per100(scan), mib / scan, hits))
        Output.line(
            String(
                format: "model: evidence (the phrases behind a score), first %d lines: %.2f µs per message", sample.count,
                explain * 1e6 / Double(max(1, sample.count))))
    }
}
