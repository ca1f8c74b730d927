import Foundation
import Testing
import WardenModelTestSupport
import WardenTestSupport

/// The review loop as a risk team runs it: a server opens cases, reviewers resolve them over
/// HTTP (an overturn lifts the decision's penalties), the verdicts are exported and a model is
/// trained and evaluated on them with the commands as they are.
@Suite(.serialized) struct ReviewLoopTests {
    let cli = CLITests()

    /// Every send goes to review with a one-hour sending restriction: a sampling rule.
    static let rules = """
        ruleset loop version "1" timezone "UTC"

        rule sample "every message is sampled for review" {
          on send
          when len(text) > 0
          score 10
          penalty restrict_send(account, 1h), review
          tags "sample"
        }

        decide {
          block when score >= 100
        }

        """

    @Test func twoHundredCasesResolvedExportedTrainedAndEvaluated() async throws {
        let server = try ServeTests.Server(
            token: "adm",
            setup: { dir in
                for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".rules") {
                    try FileManager.default.removeItem(at: dir.appendingPathComponent(file))
                }
                try Self.rules.write(to: dir.appendingPathComponent("loop.rules"), atomically: true, encoding: .utf8)
                try "rev\n".write(to: dir.appendingPathComponent("reviewer.token"), atomically: true, encoding: .utf8)
            }, extraFromRules: { dir in ["--reviewer-token-file", dir.appendingPathComponent("reviewer.token").path] })
        var g = Synthetic(seed: 7)
        var truth: [String: Bool] = [:]  // case id → spam
        let now = ISO8601DateFormatter().string(from: Date())
        for i in 0..<200 {
            let spam = i % 2 == 0
            let text = spam ? g.positive() : g.negative()
            let (status, body) = try await server.request(
                "POST", "/v1/check", body: ServeTests.send("m\(i)", account: "u\(i)", text: text, ts: now))
            #expect(status == 200)
            guard let range = body.range(of: #""case":"c\d+""#, options: .regularExpression) else {
                Issue.record("no case in \(body)")
                return
            }
            truth[String(body[range].dropFirst(8).dropLast())] = spam
        }
        #expect(truth.count == 200)
        let (_, open) = try await server.request("GET", "/v1/cases?status=open&limit=1000")
        #expect(open.components(separatedBy: #""status":"open""#).count - 1 == 200)

        // Bad input: unknown case, a claim another reviewer holds, resolving twice, no outcome.
        #expect(try await server.request("POST", "/v1/cases/c9999/claim", body: "{}", token: "rev").0 == 404)
        #expect(try await server.request("POST", "/v1/cases/c1/claim", body: #"{"by":"alice"}"#, token: "rev").0 == 200)
        let (held, heldBody) = try await server.request("POST", "/v1/cases/c1/claim", body: #"{"by":"bob"}"#, token: "rev")
        #expect(held == 409 && heldBody.contains("claimed by alice"), "\(heldBody)")
        #expect(try await server.request("POST", "/v1/cases/c1/resolve", body: #"{"by":"bob","outcome":"confirm"}"#, token: "rev").0 == 409)
        #expect(try await server.request("POST", "/v1/cases/c1/resolve", body: #"{"by":"alice"}"#, token: "rev").0 == 400)
        #expect(try await server.request("POST", "/v1/cases/c1/claim", body: "{}").0 == 401)

        for (id, spam) in truth.sorted(by: { $0.key < $1.key }) {
            #expect(try await server.request("POST", "/v1/cases/\(id)/claim", body: #"{"by":"alice"}"#, token: "rev").0 == 200)
            let body =
                spam
                ? #"{"by":"alice","outcome":"confirm","label":"spam"}"#
                : #"{"by":"alice","outcome":"overturn","label":"ham","note":"ordinary chat"}"#
            let (status, answer) = try await server.request("POST", "/v1/cases/\(id)/resolve", body: body, token: "rev")
            #expect(status == 200, "\(answer)")
        }
        let (again, againBody) = try await server.request(
            "POST", "/v1/cases/c2/resolve", body: #"{"by":"alice","outcome":"confirm"}"#, token: "rev")
        #expect(again == 409 && againBody.contains("was resolved"), "\(againBody)")

        // Overturned: the restriction is lifted. Confirmed: it stands.
        #expect(try await server.request("GET", "/v1/penalties?account=u1").1 == #"{"penalties":[]}"#)
        #expect(try await server.request("GET", "/v1/penalties?account=u0").1.contains(#""action":"restrict_send""#))
        let (_, changes) = try await server.request("GET", "/v1/changes?kind=case_resolve&limit=1000")
        #expect(changes.components(separatedBy: #""kind":"case_resolve""#).count - 1 == 200)
        let (_, lifts) = try await server.request("GET", "/v1/changes?kind=lift&limit=1000")
        #expect(lifts.components(separatedBy: #""kind":"lift""#).count - 1 == 100)

        // The loop closes: the route and the command give the same CSV, which train and eval read.
        let (csvStatus, csv) = try await server.request("GET", "/v1/cases/labels.csv")
        #expect(csvStatus == 200 && csv.hasPrefix("label,content,case,event,resolved_at\r\n"))
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 201)
        let dir = server.rules
        let exported = dir.appendingPathComponent("labels.csv").path
        let export = try cli.run(["cases", "export", "--state", "sqlite:\(dir.path)/state.db", "--out", exported])
        #expect(export.status == 0 && export.stderr.contains("200 labelled cases"), "\(export.stderr)")
        let written = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(written == csv, "\(written.prefix(400))\n---\n\(csv.prefix(400))")
        let modelRules = dir.appendingPathComponent("with-model")
        try FileManager.default.createDirectory(at: modelRules, withIntermediateDirectories: true)
        let model = modelRules.appendingPathComponent("spam.model").path
        let train = try cli.run(["train", exported, "--positive", "spam", "--out", model, "--bits", "14"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("examples: 100 positive, 100 negative, 0 skipped"), "\(train.stdout)")
        try """
        ruleset reviewed version "1" timezone "UTC"
        model spam = file("spam.model")
        rule spam_model "the model trained on reviewers' verdicts" {
          on send
          when classify(spam, text) >= 0.5
          score 50
        }
        decide {
          review when score >= 50
        }

        """.write(to: modelRules.appendingPathComponent("m.rules"), atomically: true, encoding: .utf8)
        let eval = try cli.run(["eval", "--rules", modelRules.path, exported, "--positive", "spam"])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains("model spam alone: classify(spam, text)"), "\(eval.stdout)")
    }

    static let sharedRules = """
        ruleset shared version "1" timezone "UTC"
        list scam_words(live: true) = ["占位词"]
        rule live_scam "a live list" {
          on send
          when text contains any scam_words
          score 100
          penalty restrict_send(account, 1h), review
        }
        rule farm "a labelled farm" {
          on send
          when has_label(account, "farm")
          score 100
        }
        decide {
          block when score >= 100
        }

        """

    /// Two servers on one Redis (or a cluster): what one is told, the other acts on.
    func twoServersShareTheLoop(state: String) async throws {
        func start() throws -> ServeTests.Server {
            try ServeTests.Server(
                token: "adm", state: state, extra: ["--redis-timeout", "1"],
                setup: { dir in
                    for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".rules") {
                        try FileManager.default.removeItem(at: dir.appendingPathComponent(file))
                    }
                    try Self.sharedRules.write(to: dir.appendingPathComponent("shared.rules"), atomically: true, encoding: .utf8)
                })
        }
        let (a, b) = (try start(), try start())
        let now = ISO8601DateFormatter().string(from: Date())
        func send(_ id: String, _ account: String, _ text: String) -> String { ServeTests.send(id, account: account, text: text, ts: now) }
        #expect(try await b.request("POST", "/v1/check", body: send("m1", "u1", "加我vx领码")).1.contains(#""decision":"allow""#))
        // An entry added through A is matched by B's next check, without a reload.
        #expect(
            try await a.request("POST", "/v1/lists/scam_words/entries", body: #"{"entry":"vx领码","reason":"wave"}"#, token: "adm").0 == 200)
        let (_, blocked) = try await b.request("POST", "/v1/check", body: send("m2", "u1", "加我vx领码"))
        #expect(blocked.contains(#""decision":"block""#) && blocked.contains(#""case":"c"#), "\(blocked)")
        let caseID = blocked.components(separatedBy: #""case":""#)[1].prefix { $0 != "\"" }
        // The case B opened is in A's queue; a claim through A holds on B.
        #expect(try await a.request("GET", "/v1/cases?status=open").1.contains(#""id":"\#(caseID)""#))
        #expect(try await a.request("POST", "/v1/cases/\(caseID)/claim", body: #"{"by":"alice"}"#, token: "adm").0 == 200)
        #expect(try await b.request("POST", "/v1/cases/\(caseID)/claim", body: #"{"by":"bob"}"#, token: "adm").0 == 409)
        let (resolved, resolvedBody) = try await b.request(
            "POST", "/v1/cases/\(caseID)/resolve", body: #"{"by":"alice","outcome":"overturn","label":"ham","note":"a joke"}"#, token: "adm"
        )
        #expect(resolved == 200 && resolvedBody.contains(#""lifted":["p-"#), "\(resolvedBody)")
        #expect(try await a.request("GET", "/v1/penalties?account=u1").1 == #"{"penalties":[]}"#)
        // A label put through B is read by A's rules.
        #expect(
            try await b.request("POST", "/v1/labels", body: #"{"target":{"account":"u7"},"label":"farm","reason":"r"}"#, token: "adm").0
                == 200)
        #expect(try await a.request("POST", "/v1/check", body: send("m3", "u7", "hi")).1.contains(#""rule":"farm""#))
        // Both servers wrote to one change log.
        let (_, changes) = try await a.request("GET", "/v1/changes")
        for kind in ["list_add", "case_claim", "lift", "case_resolve", "label_add"] {
            #expect(changes.contains(#""kind":"\#(kind)""#), "\(kind)")
        }
    }

    @Test func twoServersOnOneRedisShareTheLoop() async throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        try await twoServersShareTheLoop(state: "redis://127.0.0.1:\(redis.port)")
    }

    @Test func twoServersOnAClusterShareTheLoop() async throws {
        let cluster = try RedisClusterServer()
        try await twoServersShareTheLoop(state: cluster.url)
    }

    /// A 团长's downline from every store: over HTTP on a second server sharing Redis or a
    /// cluster, and with `warden account` from Redis and from a stopped server's SQLite file.
    func downlineEverywhere(state: String?) async throws {
        // The invites two days ago; one invitee comes back now (reward_requires_return 24h).
        let now = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-2 * 86_400))
        let later = ISO8601DateFormatter().string(from: Date())
        let a = try ServeTests.Server(token: nil, state: state, extra: ["--redis-timeout", "1"])
        let b = state == nil ? a : try ServeTests.Server(token: nil, state: state, extra: ["--redis-timeout", "1"])
        func issue(_ account: String, _ code: String) -> String {
            #"{"id":"i-\#(code)","type":"issue","ts":"\#(now)","account":"\#(account)","tier":"personal","code":"\#(code)"}"#
        }
        func redeem(_ account: String, _ code: String) -> String {
            #"{"id":"r-\#(account)","type":"redeem","ts":"\#(now)","account":"\#(account)","code":"\#(code)","device":"d-\#(account)"}"#
        }
        var bodies =
            [
                #"{"id":"i-lead","type":"issue","ts":"\#(now)","account":"leader","tier":"personal","code":"LEADCODE1","device":"lp","ip":"100.64.1.7"}"#
            ]
            + (0..<11).map { redeem("m\($0)", "LEADCODE1") }
        // On the leader's phone from another network: reviewed, so flagged for the reward.
        bodies.append(#"{"id":"r-m11","type":"redeem","ts":"\#(now)","account":"m11","code":"LEADCODE1","device":"lp","ip":"100.65.2.9"}"#)
        bodies += [issue("m0", "MCODE0001"), redeem("n0", "MCODE0001"), redeem("n1", "MCODE0001")]
        bodies.append(#"{"id":"s-m1","type":"send","ts":"\#(later)","account":"m1","to":["x"],"text":"在吗"}"#)
        for body in bodies { #expect(try await a.request("POST", "/v1/check", body: body).0 == 200) }
        let (_, view) = try await b.request("GET", "/v1/accounts/leader")
        // m0 issued a code (active again, but within the day: pending); m1 sent the next day.
        #expect(view.contains(#""direct":12,"descendants":14,"qualified":1,"pending":10,"flagged":1,"tier":1"#), "\(view)")
        #expect(try await b.request("GET", "/v1/accounts/m11").1.contains(#""decision":"review""#) == (state == nil))
        let (_, page) = try await b.request("GET", "/v1/accounts/leader/downline?limit=13")
        #expect(
            page.components(separatedBy: #""inviter":"leader""#).count - 1 == 12
                && page.contains(#""account":"n0","inviter":"m0","depth":2"#)
                && page.contains(#""account":"m11","inviter":"leader","depth":1"#) && page.contains(#""status":"flagged""#), "\(page)")
        var cliState = state ?? "sqlite:\(a.rules.path)/state.db"
        if state == nil { a.stop() }  // SQLite: the graph is in the snapshot written at a clean stop
        if state == nil { cliState = "sqlite:\(a.rules.path)/state.db" }
        let shown = try cli.run(["account", "leader", "--rules", a.rules.path, "--state", cliState, "--downline", "--format", "json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(
            shown.stdout.contains(#""direct":12,"descendants":14,"qualified":1,"pending":10,"flagged":1,"tier":1"#)
                && shown.stdout.contains(#""account":"n1","inviter":"m0","depth":2"#),
            "\(shown.stdout)")
        let text = try cli.run(["account", "m0", "--rules", a.rules.path, "--state", cliState, "--downline"])
        #expect(
            text.stdout.contains("invited by leader, depth 1") && text.stdout.contains("2 direct invitees, 2 accounts below"),
            "\(text.stdout)")
        let missing = try cli.run(["account", "nobody", "--rules", a.rules.path, "--state", cliState])
        #expect(missing.status == 1 && missing.stderr.contains("Warden has never seen it"))
    }

    @Test func downlinesFromSQLite() async throws { try await downlineEverywhere(state: nil) }

    @Test func downlinesFromRedis() async throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        try await downlineEverywhere(state: "redis://127.0.0.1:\(redis.port)")
    }

    @Test func downlinesFromACluster() async throws {
        let cluster = try RedisClusterServer()
        try await downlineEverywhere(state: cluster.url)
    }

    /// The review and account commands refuse bad input with a message and a non-zero exit.
    @Test func badInputToTheCommands() throws {
        let missing = try cli.run(["account", "u1", "--state", "sqlite:/nonexistent/state.db"])
        #expect(missing.status == 2 && missing.stderr.contains("no such state file"), "\(missing.stderr)")
        let depth = try cli.run(["account", "u1", "--state", "sqlite:/nonexistent/state.db", "--depth", "0"])
        #expect(depth.status != 0 && depth.stderr.contains("--depth takes 1 to 64"), "\(depth.stderr)")
        let since = try cli.run(["cases", "export", "--state", "sqlite:/nonexistent/state.db", "--since", "yesterday"])
        #expect(since.status == 2 && since.stderr.contains("--since takes an RFC 3339 time"), "\(since.stderr)")
        let status = try cli.run(["cases", "list", "--state", "memory"])
        #expect(status.status == 2 && status.stderr.contains("--state takes"), "\(status.stderr)")
    }
}
