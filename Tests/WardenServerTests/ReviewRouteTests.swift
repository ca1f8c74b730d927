import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WardenEngine
import WardenServer

@testable import WardenSQLite

/// The review loop's routes in-process, on the memory store and on SQLite: labels read by rules,
/// live lists matched by the next check, rollback, and every refusal with its status.
@Suite struct ReviewRouteTests {
    static let rules = """
        ruleset loop version "1" timezone "UTC"
        list scam_words(live: true, fold: ["case", "width"]) = ["占位词"]
        rule live_scam "a live list" {
          on send
          when text contains any scam_words
          score 100
          penalty restrict_send(account, 1h), review
        }
        rule farm "a labelled farm" {
          on send
          when has_label(account, "farm") and not has_label(account, "trusted")
          score 100
          penalty label(account, "seen", 7d)
        }
        decide {
          block when score >= 100
        }

        """

    final class Server: Sendable {
        let rules: URL
        let server: WardenServer

        init(state: StateStore, requireApproval: Bool = false) throws {
            rules = FileManager.default.temporaryDirectory.appendingPathComponent("warden-review-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
            try ReviewRouteTests.rules.write(to: rules.appendingPathComponent("loop.rules"), atomically: true, encoding: .utf8)
            var configuration = WardenServer.Configuration()
            configuration.adminToken = AdminToken("adm")
            configuration.reviewerToken = AdminToken("rev")
            configuration.maxListEntries = 3
            configuration.requireApproval = requireApproval
            let service = try WardenService(rulesAt: rules.path, state: state)
            server = WardenServer(service: service, configuration: configuration, logger: Logger(label: "test"))
        }

        deinit { try? FileManager.default.removeItem(at: rules) }

        func test(_ body: @escaping @Sendable (RouteTests.Client) async throws -> Void) async throws {
            try await server.application().test(.router) { client in try await body(RouteTests.Client(client: client)) }
        }
    }

    static func stores() throws -> [StateStore] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-review-\(UUID().uuidString).db").path
        let ledger = try SQLiteLedger(path: path)
        return [
            StateStore(review: MemoryReviewStore()),
            StateStore(ledger: ledger, snapshots: ledger, review: try SQLiteReviewStore(ledger: ledger)),
        ]
    }

    static func send(_ id: String, account: String, text: String) -> String {
        #"{"id":"\#(id)","type":"send","account":"\#(account)","to":["b"],"text":"\#(text)"}"#
    }

    @Test func liveListsLabelsAndRefusals() async throws {
        for state in try Self.stores() {
            let server = try Server(state: state)
            let rulesDir = server.rules
            try await server.test { c in
                // A live entry is matched by the next check, with the list's folds (full width, case).
                #expect(
                    try await c.request(.post, "/v1/check", body: Self.send("m1", account: "u1", text: "加我 ＶＸ领码")).1.contains(
                        #""decision":"allow""#))
                let (added, addedBody) = try await c.request(
                    .post, "/v1/lists/scam_words/entries", body: #"{"entry":"vx领码","reason":"new wave","by":"alice"}"#, token: "rev")
                #expect(added == 200, "\(addedBody)")
                let (_, blocked) = try await c.request(.post, "/v1/check", body: Self.send("m2", account: "u1", text: "加我 ＶＸ领码"))
                #expect(
                    blocked.contains(#""decision":"block""#) && blocked.contains(#""entry":"vx领码""#) && blocked.contains(#""case":"c1""#),
                    "\(blocked)")
                // Removed: the next check no longer matches it.
                #expect(
                    try await c.request(.delete, "/v1/lists/scam_words/entries?entry=vx%E9%A2%86%E7%A0%81&reason=mistake", token: "rev").0
                        == 200)
                #expect(
                    try await c.request(.post, "/v1/check", body: Self.send("m3", account: "u2", text: "加我 ＶＸ领码")).1.contains(
                        #""decision":"allow""#))
                // Over the cap, over the length limit, an unknown list, no token.
                for e in ["a1", "a2", "a3"] {
                    #expect(
                        try await c.request(.post, "/v1/lists/scam_words/entries", body: #"{"entry":"\#(e)","reason":"r"}"#, token: "rev").0
                            == 200)
                }
                let (capped, cappedBody) = try await c.request(
                    .post, "/v1/lists/scam_words/entries", body: #"{"entry":"a4","reason":"r"}"#, token: "rev")
                #expect(capped == 400 && cappedBody.contains("cap is 3"), "\(cappedBody)")
                let long = String(repeating: "长", count: 201)
                let (tooLong, tooLongBody) = try await c.request(
                    .post, "/v1/lists/scam_words/entries", body: #"{"entry":"\#(long)","reason":"r"}"#, token: "rev")
                #expect(tooLong == 400 && tooLongBody.contains("the limit is 200"), "\(tooLongBody)")
                #expect(try await c.request(.post, "/v1/lists/nope/entries", body: #"{"entry":"x","reason":"r"}"#, token: "rev").0 == 404)
                #expect(try await c.request(.post, "/v1/lists/scam_words/entries", body: #"{"entry":"x","reason":"r"}"#).0 == 401)
                #expect(try await c.request(.get, "/v1/lists/scam_words").1.contains(#""entry":"a3""#))

                // Labels: read by has_label; a rule's label(…) lands in the store; unknown kinds refused.
                #expect(
                    try await c.request(.post, "/v1/check", body: Self.send("m4", account: "u9", text: "hi")).1.contains(
                        #""decision":"allow""#))
                let (labelled, labelBody) = try await c.request(
                    .post, "/v1/labels", body: #"{"target":{"account":"u9"},"label":"farm","expires":"30d","reason":"known farm"}"#,
                    token: "rev")
                #expect(labelled == 200, "\(labelBody)")
                let (_, farm) = try await c.request(.post, "/v1/check", body: Self.send("m5", account: "u9", text: "hi"))
                #expect(farm.contains(#""decision":"block""#) && farm.contains(#""label":"seen""#), "\(farm)")
                #expect(try await c.request(.get, "/v1/labels?account=u9").1.contains(#""label":"seen""#))
                #expect(
                    try await c.request(
                        .post, "/v1/labels", body: #"{"target":{"account":"u9"},"label":"trusted","reason":"merchant"}"#, token: "rev"
                    ).0 == 200)
                #expect(
                    try await c.request(.post, "/v1/check", body: Self.send("m6", account: "u9", text: "hi")).1.contains(
                        #""decision":"allow""#))
                let (kind, kindBody) = try await c.request(
                    .post, "/v1/labels", body: #"{"target":{"phone":"1"},"label":"x","reason":"r"}"#, token: "rev")
                #expect(kind == 400 && kindBody.contains("not 'phone'"), "\(kindBody)")
                #expect(try await c.request(.delete, "/v1/labels?account=u9&label=trusted&reason=ended", token: "rev").0 == 200)
                #expect(try await c.request(.delete, "/v1/labels?account=u9&label=trusted&reason=ended", token: "rev").0 == 404)

                // Rollback: an unknown digest 404; a known one serves it again; a reviewer may not.
                let (_, v1) = try await c.request(.get, "/v1/rules")
                try ReviewRouteTests.rules.replacingOccurrences(of: #"version "1""#, with: #"version "2""#)
                    .write(to: rulesDir.appendingPathComponent("loop.rules"), atomically: true, encoding: .utf8)
                #expect(try await c.request(.post, "/v1/rules/reload", body: #"{"reason":"v2"}"#, token: "adm").0 == 200)
                #expect(
                    try await c.request(.post, "/v1/rules/rollback", body: #"{"digest":"sha256:00","reason":"r"}"#, token: "adm").0 == 404)
                let digest = v1.components(separatedBy: #""digest":""#)[1].prefix { $0 != "\"" }
                #expect(
                    try await c.request(.post, "/v1/rules/rollback", body: #"{"digest":"\#(digest)","reason":"r"}"#, token: "rev").0 == 401)
                let (rolled, rolledBody) = try await c.request(
                    .post, "/v1/rules/rollback", body: #"{"digest":"\#(digest)","reason":"v2 broke"}"#, token: "adm")
                #expect(rolled == 200 && rolledBody.contains(String(digest)), "\(rolledBody)")
                #expect(try await c.request(.get, "/v1/rules").1.contains(#""version":"1""#))
                let (_, history) = try await c.request(.get, "/v1/rules/history")
                #expect(history.components(separatedBy: #""digest":"#).count - 1 == 2, "\(history)")

                // The change log names every change, with its actor.
                let (_, changes) = try await c.request(.get, "/v1/changes?limit=1000")
                for kind in ["list_add", "list_remove", "label_add", "label_remove", "reload", "rollback"] {
                    #expect(changes.contains(#""kind":"\#(kind)""#), "\(kind)")
                }
                #expect(changes.contains(#""by":"alice""#) && changes.contains(#""reason":"v2 broke""#))
                #expect(try await c.request(.get, "/v1/changes?kind=nope").0 == 400)
            }
        }
    }

    @Test func aFullQueueIsSaidNotDropped() async throws {
        let server = try Server(state: StateStore(review: MemoryReviewStore(maxOpenCases: 2)))
        try await server.test { c in
            #expect(
                try await c.request(.post, "/v1/lists/scam_words/entries", body: #"{"entry":"刷单","reason":"r"}"#, token: "rev").0 == 200)
            var answers: [String] = []
            for i in 0..<3 {
                answers.append(try await c.request(.post, "/v1/check", body: Self.send("m\(i)", account: "u\(i)", text: "刷单")).1)
            }
            #expect(answers[0].contains(#""case":"c1""#) && answers[1].contains(#""case":"c2""#))
            #expect(!answers[2].contains(#""case":"#) && answers[2].contains("review queue full (2 open cases)"), "\(answers[2])")
            let (_, metrics) = try await c.request(.get, "/metrics")
            #expect(metrics.contains("warden_review_cases_open 2") && metrics.contains("warden_review_cases_refused_total 1"), "\(metrics)")
            // Resolving one makes room.
            #expect(
                try await c.request(.post, "/v1/cases/c1/resolve", body: #"{"outcome":"confirm","label":"fraud"}"#, token: "rev").0 == 200)
            #expect(try await c.request(.post, "/v1/check", body: Self.send("m9", account: "u9", text: "刷单")).1.contains(#""case":"c3""#))
        }
    }

    /// A draft is stored with its lint result and what it would change; with --require-approval
    /// its author cannot publish it, another person can; a draft with errors is never served.
    @Test func draftsNeedASecondPairOfEyes() async throws {
        let server = try Server(state: StateStore(review: MemoryReviewStore()), requireApproval: true)
        try await server.test { c in
            let lowered = ReviewRouteTests.rules.replacingOccurrences(of: "score >= 100", with: "score >= 300")
            let events = (0..<4).map { i in Self.send("e\(i)", account: "u\(i)", text: i % 2 == 0 ? "占位词" : "hi") }
            let body =
                #"{"files":{"loop.rules":\#(JSONValue.string(lowered).text)},"events":[\#(events.joined(separator: ","))],"reason":"raise the bar","by":"carol"}"#
            let (created, draft) = try await c.request(.post, "/v1/rules/drafts", body: body, token: "adm")
            #expect(created == 201, "\(draft)")
            #expect(
                draft.contains(#""changed":2"#) && draft.contains(#""live":{"allow":2,"challenge":0,"review":0,"block":2}"#), "\(draft)")
            let id = draft.components(separatedBy: #""id":""#)[1].prefix { $0 != "\"" }
            // Stored, not served: the live rules still decide.
            #expect(
                try await c.request(.post, "/v1/check", body: Self.send("x1", account: "v1", text: "占位词")).1.contains(
                    #""decision":"block""#))
            // The author may not approve it; another person may; twice is a conflict.
            let (own, ownBody) = try await c.request(.post, "/v1/rules/drafts/\(id)/approve", body: #"{"by":"carol"}"#, token: "adm")
            #expect(own == 409 && ownBody.contains("another person must approve it"), "\(ownBody)")
            let (approved, approvedBody) = try await c.request(
                .post, "/v1/rules/drafts/\(id)/approve", body: #"{"by":"dave","reason":"looks right"}"#, token: "adm")
            #expect(
                approved == 200 && approvedBody.contains(#""status":"published""#) && approvedBody.contains(#""approved_by":"dave""#),
                "\(approvedBody)")
            #expect(
                try await c.request(.post, "/v1/check", body: Self.send("x2", account: "v2", text: "占位词")).1.contains(
                    #""decision":"review""#))
            #expect(try await c.request(.post, "/v1/rules/drafts/\(id)/approve", body: #"{"by":"erin"}"#, token: "adm").0 == 409)
            #expect(try await c.request(.post, "/v1/rules/drafts/d0000000/approve", body: #"{"by":"erin"}"#, token: "adm").0 == 404)
            // A draft with an error: stored with its diagnostics (422), never published.
            let broken = #"{"files":{"loop.rules":"rule x { on send when nope }"},"reason":"typo","by":"carol"}"#
            let (bad, badBody) = try await c.request(.post, "/v1/rules/drafts", body: broken, token: "adm")
            #expect(bad == 422 && badBody.contains(#""severity":"error""#), "\(badBody)")
            let badID = badBody.components(separatedBy: #""id":""#)[1].prefix { $0 != "\"" }
            #expect(try await c.request(.post, "/v1/rules/drafts/\(badID)/approve", body: #"{"by":"dave"}"#, token: "adm").0 == 422)
            #expect(try await c.request(.post, "/v1/rules/drafts", body: body, token: "rev").0 == 401)
            let (_, changes) = try await c.request(.get, "/v1/changes?limit=100")
            #expect(changes.contains(#""kind":"draft""#) && changes.contains(#""kind":"draft_approve","by":"dave""#), "\(changes)")
            #expect(try await c.request(.get, "/v1/rules/drafts").1.components(separatedBy: #""id":"d"#).count - 1 == 2)
        }
    }

    /// A 团长 and the accounts below: the account view, the downline paged level by level, refusals.
    @Test func accountsAndDownlines() async throws {
        let server = try Server(state: StateStore(review: MemoryReviewStore()))
        try await server.test { c in
            let now = Timestamp.format(Date().timeIntervalSince1970)
            func issue(_ account: String, _ code: String) -> String {
                #"{"id":"i-\#(code)","type":"issue","ts":"\#(now)","account":"\#(account)","tier":"personal","code":"\#(code)"}"#
            }
            func redeem(_ account: String, _ code: String) -> String {
                #"{"id":"r-\#(account)","type":"redeem","ts":"\#(now)","account":"\#(account)","code":"\#(code)","device":"d-\#(account)","ip":"198.18.0.9"}"#
            }
            for body in [
                issue("leader", "LEADCODE1"), redeem("a", "LEADCODE1"), redeem("b", "LEADCODE1"), redeem("c", "LEADCODE1"),
                issue("a", "ACODE1234"), redeem("z", "ACODE1234"),
            ] {
                #expect(try await c.request(.post, "/v1/check", body: body).0 == 200)
            }
            let (status, view) = try await c.request(.get, "/v1/accounts/leader")
            #expect(status == 200 && view.contains(#""direct":3,"descendants":4"#), "\(view)")
            #expect(try await c.request(.get, "/v1/accounts/z").1.contains(#""inviter":"a","depth":2"#))
            let (_, first) = try await c.request(.get, "/v1/accounts/leader/downline?limit=2")
            #expect(first.contains(#""account":"a","inviter":"leader","depth":1"#) && first.contains(#""next":"2""#), "\(first)")
            #expect(first.contains(#""device":"d-a","network":"198.18.0.0/24","status":"ok""#), "\(first)")
            let (_, second) = try await c.request(.get, "/v1/accounts/leader/downline?limit=2&after=2")
            #expect(
                second.contains(#""account":"c""#) && second.contains(#""account":"z","inviter":"a","depth":2"#)
                    && second.contains(#""next":null"#), "\(second)")
            #expect(!(try await c.request(.get, "/v1/accounts/leader/downline?depth=1").1.contains(#""account":"z""#)))
            #expect(try await c.request(.get, "/v1/accounts/nobody").0 == 404)
            #expect(try await c.request(.get, "/v1/accounts/nobody/downline").0 == 404)
            #expect(try await c.request(.get, "/v1/accounts/leader/downline?depth=0").0 == 400)
            #expect(try await c.request(.get, "/v1/accounts/leader/downline?limit=5000").0 == 400)
        }
    }
}
