import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing
import WardenEngine
import WardenLanguage
import WardenServer
import WardenWire

@testable import WardenSQLite

/// The HTTP routes in-process (HummingbirdTesting's router framework: no socket, no binary).
/// What needs a real process (kill -9, SIGTERM, SIGHUP, a full disk, the command line's options)
/// stays in `ServeTests` and `HostileServeTests`.
@Suite struct RouteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A server on a copy of the default rules (a test may change them and reload).
    final class Server: Sendable {
        let rules: URL
        let server: WardenServer

        init(token: String?, ledger: (any PenaltyLedger)? = nil, logger: Logger = Logger(label: "test")) throws {
            rules = FileManager.default.temporaryDirectory.appendingPathComponent("warden-routes-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: RouteTests.root.appendingPathComponent("rules"), to: rules)
            var configuration = WardenServer.Configuration()
            configuration.port = 0
            configuration.bodyLimit = 65536
            configuration.adminToken = AdminToken(token)
            let service = try WardenService(rulesAt: rules.path, ledger: ledger)
            server = WardenServer(service: service, configuration: configuration, logger: logger)
        }

        deinit { try? FileManager.default.removeItem(at: rules) }

        /// Runs `body` with a client of the application in-process.
        func test(_ body: @escaping @Sendable (Client) async throws -> Void) async throws {
            try await server.application().test(.router) { client in try await body(Client(client: client)) }
        }
    }

    struct Client: Sendable {
        let client: any TestClientProtocol

        func request(
            _ method: HTTPRequest.Method, _ path: String, body: String? = nil, bytes: [UInt8]? = nil, token: String? = nil,
            authorization: String? = nil
        ) async throws -> (Int, String) {
            var headers: HTTPFields = [:]
            if let token { headers[.authorization] = "Bearer \(token)" }
            if let authorization { headers[.authorization] = authorization }
            let buffer = bytes.map { ByteBuffer(bytes: $0) } ?? body.map { ByteBuffer(string: $0) }
            return try await client.execute(uri: path, method: method, headers: headers, body: buffer) { response in
                (response.status.code, String(buffer: response.body))
            }
        }
    }

    static func send(_ id: String, account: String = "u1", text: String = "你好", code: String? = nil, ts: String = "2026-03-01T10:00:00Z")
        -> String
    {
        #"{"id":"\#(id)","type":"send","ts":"\#(ts)","account":"\#(account)","to":["b"],"text":"\#(text)"\#(code.map { #","code":"\#($0)""# } ?? "")}"#
    }

    @Test func everyRoute() async throws {
        let server = try Server(token: "s3cret")
        let serverRules = server.rules
        try await server.test { server in
            #expect(try await server.request(.get, "/healthz") == (200, "ok\n"))
            let (rulesStatus, rules) = try await server.request(.get, "/v1/rules")
            #expect(rulesStatus == 200 && rules.contains(#""name":"invite""#) && rules.contains(#""name":"fraud_text""#))

            // One event; a dry run changes nothing; a batch in order.
            let fraud = Self.send("m1", text: "兼职刷单日赚300", code: "CODE1234")
            let (dryStatus, dry) = try await server.request(.post, "/v1/check?dry_run=true", body: fraud)
            #expect(dryStatus == 200 && dry.contains(#""decision":"review""#))
            #expect(try await server.request(.get, "/v1/penalties?code=CODE1234").1 == #"{"penalties":[]}"#)
            let (status, decision) = try await server.request(.post, "/v1/check", body: fraud)
            #expect(status == 200 && decision.contains(#""action":"revoke_code""#))
            let (_, penalties) = try await server.request(.get, "/v1/penalties?code=CODE1234")
            #expect(penalties.contains(#""id":"p-1","action":"revoke_code""#))
            let (batchStatus, batch) = try await server.request(
                .post, "/v1/check", body: #"{"events":[\#(Self.send("m2")),\#(Self.send("m3", code: "CODE1234"))]}"#)
            #expect(batchStatus == 200 && batch.hasPrefix(#"{"decisions":[{"id":"m2""#) && batch.contains(#""rule":"penalty_in_force""#))

            // Bad input: 400 with the error and key; too large: 413.
            #expect(try await server.request(.post, "/v1/check", body: "{oops").0 == 400)
            let (badStatus, bad) = try await server.request(
                .post, "/v1/check", body: #"{"id":"x","type":"send","account":"a","to":"b","text":"t"}"#)
            #expect(badStatus == 400 && bad == #"{"error":"expected an array of strings, found a string","key":"to"}"#)
            let (indexStatus, indexed) = try await server.request(.post, "/v1/check", body: #"{"events":[\#(Self.send("ok")),{"id":"y"}]}"#)
            #expect(indexStatus == 400 && indexed.contains(#""index":1"#))
            #expect(try await server.request(.post, "/v1/check", body: String(repeating: "a", count: 100_000)).0 == 413)
            // Hostile bodies: a broken UTF-8 sequence, too many recipients.
            let badBytes = Array(Self.send("m9").utf8.prefix(20)) + [0xE5, 0x88] + Array(#"","to":["b"],"text":"x"}"#.utf8)
            #expect(try await server.request(.post, "/v1/check", bytes: badBytes) == (400, #"{"error":"invalid UTF-8 at byte 20"}"#))
            let crowd = (0...1000).map { "\"r\($0)\"" }.joined(separator: ",")
            let (crowdStatus, crowdBody) = try await server.request(
                .post, "/v1/check", body: #"{"id":"m","type":"send","account":"u","text":"x","to":[\#(crowd)]}"#)
            #expect(crowdStatus == 400 && crowdBody == #"{"error":"1001 recipients; the limit is 1000","key":"to"}"#)

            // Admin routes: token required, compared exactly.
            #expect(try await server.request(.post, "/v1/penalties/p-1/lift", body: #"{"reason":"x"}"#).0 == 401)
            #expect(try await server.request(.post, "/v1/penalties/p-1/lift", body: #"{"reason":"x"}"#, token: "s3creT").0 == 401)
            #expect(try await server.request(.post, "/v1/penalties/p-1/lift", body: "{}", token: "s3cret").0 == 400)
            #expect(try await server.request(.post, "/v1/penalties/p-9/lift", body: #"{"reason":"x"}"#, token: "s3cret").0 == 404)
            let (liftStatus, lifted) = try await server.request(
                .post, "/v1/penalties/p-1/lift", body: #"{"reason":"appeal accepted"}"#, token: "s3cret")
            #expect(liftStatus == 200 && lifted.contains(#""reason":"appeal accepted""#))
            #expect(try await server.request(.get, "/v1/penalties?code=CODE1234").1 == #"{"penalties":[]}"#)

            // Reload: a broken rule set is refused and the old one keeps serving; a good change is taken.
            let digest = rules.range(of: #"sha256:[0-9a-f]{64}"#, options: .regularExpression).map { String(rules[$0]) } ?? ""
            let broken = serverRules.appendingPathComponent("95-broken.rules")
            try "rule oops { on send when text contains any no_such_list }\n".write(to: broken, atomically: true, encoding: .utf8)
            let (refusedStatus, refused) = try await server.request(.post, "/v1/rules/reload", token: "s3cret")
            #expect(refusedStatus == 422 && refused.contains(#""accepted":false"#) && refused.contains("no_such_list"))
            #expect(try await server.request(.get, "/v1/rules").1.contains(digest))
            try "rule extra_burst { on send when count(by: account, within: 2m) > 99 score 1 }\n".write(
                to: broken, atomically: true, encoding: .utf8)
            let (reloadStatus, reloaded) = try await server.request(.post, "/v1/rules/reload", token: "s3cret")
            #expect(reloadStatus == 200 && reloaded.contains(#""accepted":true"#))
            #expect(reloaded.contains(#""counters_reset":["count||account|2m||send"]"#))
            #expect(!(try await server.request(.get, "/v1/rules").1.contains(digest)))

            let (metricsStatus, metrics) = try await server.request(.get, "/metrics")
            #expect(metricsStatus == 200)
            #expect(metrics.contains(#"warden_requests_total{route="check",status="413"} 1"#))
            // Every route is counted under its name by the metrics middleware, the refusals too.
            #expect(metrics.contains(#"warden_requests_total{route="reload",status="422"} 1"#))
            #expect(metrics.contains(#"warden_requests_total{route="reload",status="200"} 1"#))
            #expect(metrics.contains(#"warden_requests_total{route="lift",status="#))
            #expect(metrics.contains(#"warden_requests_total{route="rules",status="200"}"#))
            #expect(metrics.contains(#"warden_reloads_total{result="refused"} 1"#))
            #expect(metrics.contains("\nwarden_window_keys_refused_total 0\n"))
            #expect(metrics.contains("\nwarden_window_keys "))
            #expect(metrics.contains(#"warden_request_seconds_bucket{route="check",le="+Inf"}"#))
            // Every family has its HELP line, counters end in _total, and the build is named.
            let lines = metrics.split(separator: "\n")
            for (k, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(k > 0 && lines[k - 1].hasPrefix("# HELP \(parts[2]) "), "\(line)")
                if parts[3] == "counter" { #expect(parts[2].hasSuffix("_total"), "\(line)") }
            }
            #expect(metrics.contains(#"warden_build_info{version=""#) && metrics.contains("process_resident_memory_bytes "))
        }
    }

    @Test func adminRoutesAreOffWithoutAToken() async throws {
        try await Server(token: nil).test { server in
            let (status, _) = try await server.request(.post, "/v1/rules/reload", token: "anything")
            #expect(status == 403)
        }
    }

    /// The OpenAPI document is served as committed (docs/openapi.json, made by
    /// scripts/make-openapi.py) and names every route; `Tests/API/schemathesis.sh` checks the
    /// server answers as it says.
    @Test func theOpenAPIDocumentIsServed() async throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        try await Server(token: "tok").test { server in
            let (status, served) = try await server.request(.get, "/openapi.json")
            #expect(status == 200)
            #expect(served.trimmingCharacters(in: .whitespacesAndNewlines) == committed.trimmingCharacters(in: .whitespacesAndNewlines))
            let document = try #require(try JSONSerialization.jsonObject(with: Data(served.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = Set((document["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(
                paths == [
                    "/v1/check", "/v1/penalties", "/v1/penalties/{id}/lift", "/v1/rules", "/v1/rules/reload", "/healthz", "/metrics",
                    "/openapi.json", "/v1/cases", "/v1/cases/{id}", "/v1/cases/{id}/claim", "/v1/cases/{id}/resolve",
                    "/v1/cases/labels.csv",
                    "/v1/labels", "/v1/lists/{name}", "/v1/lists/{name}/entries", "/v1/changes", "/v1/rules/history", "/v1/rules/rollback",
                    "/v1/rules/drafts", "/v1/rules/drafts/{id}", "/v1/rules/drafts/{id}/approve", "/v1/accounts/{id}",
                    "/v1/accounts/{id}/downline", "/v1/backtests", "/v1/backtests/{id}", "/v1/backtests/{id}/report", "/v1/rules/files",
                ])
            // The event schema names exactly the keys the language's table says an event carries.
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let event = schemas?["Event"] as? [String: Any]
            let properties = Set((event?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(properties == Vocabulary.eventKeys)
        }
    }

    /// With the SQLite ledger as `serve` opens it (deferred commits), an answer that carries a
    /// penalty leaves only once the penalty is in the file (checked with the mutation: an answer
    /// that does not wait fails here).
    @Test func anAnsweredPenaltyIsAlreadyInTheFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-routes-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let ledger = try SQLiteLedger(path: path, deferred: true)
        // Every commit takes 50 ms more: an answer that did not wait for it would be read first.
        ledger.group.beforeBatch = { _ in usleep(50_000) }
        try await Server(token: nil, ledger: ledger).test { server in
            for k in 0..<5 {
                let (status, answer) = try await server.request(
                    .post, "/v1/check", body: Self.send("m\(k)", text: "兼职刷单日赚300", code: "CODE\(k)"))
                #expect(status == 200)
                let ids = answer.matches(of: /"id":"(p-\d+)"/).map { String($0.output.1) }
                #expect(!ids.isEmpty)
                let stored = Set(try SQLiteLedger.inspect(path: path).penalties.map(\.id))
                #expect(Set(ids).isSubset(of: stored), "answered \(ids), stored \(stored.sorted())")
            }
        }
    }

    @Test func dryRunTakesOnlyFourSpellings() async throws {
        try await Server(token: nil).test { server in
            for (k, value) in ["TRUE", "True", "yes", "on", "", "2"].enumerated() {
                let (status, body) = try await server.request(
                    .post, "/v1/check?dry_run=\(value)", body: Self.send("d\(k)", account: "a\(k)", text: "兼职刷单日赚300", code: "DRY\(k)"))
                #expect(status == 400 && body.contains(#""key":"dry_run""#), "dry_run=\(value)")
                #expect(try await server.request(.get, "/v1/penalties?code=DRY\(k)").1 == #"{"penalties":[]}"#)
            }
            let (bare, _) = try await server.request(.post, "/v1/check?dry_run", body: Self.send("db", text: "兼职刷单日赚300", code: "DRYB"))
            #expect(bare == 400)
            for value in ["true", "1"] {
                let (status, _) = try await server.request(
                    .post, "/v1/check?dry_run=\(value)", body: Self.send("t\(value)", text: "兼职刷单日赚300", code: "T\(value)"))
                #expect(status == 200)
                #expect(try await server.request(.get, "/v1/penalties?code=T\(value)").1 == #"{"penalties":[]}"#)
            }
            let (committed, _) = try await server.request(
                .post, "/v1/check?dry_run=0", body: Self.send("f0", text: "兼职刷单日赚300", code: "F0"))
            #expect(committed == 200)
            #expect(try await server.request(.get, "/v1/penalties?code=F0").1.contains("revoke_code"))
        }
    }

    @Test func theBearerSchemeIsCaseInsensitiveAndLiftReasonsAreOneLine() async throws {
        try await Server(token: "s3cret").test { server in
            _ = try await server.request(.post, "/v1/check", body: Self.send("m1", text: "兼职刷单日赚300", code: "CODE1"))
            let forged = #"{"reason":"ok\n2026-11-30T00:00:00Z critical: admin token leaked"}"#
            let (forgedStatus, _) = try await server.request(.post, "/v1/penalties/p-1/lift", body: forged, authorization: "bearer s3cret")
            #expect(forgedStatus == 400)
            let escape = #"{"reason":"\u001b[2Kcleared"}"#
            #expect(try await server.request(.post, "/v1/penalties/p-1/lift", body: escape, authorization: "BEARER s3cret").0 == 400)
            #expect(
                try await server.request(.post, "/v1/penalties/p-1/lift", body: #"{"reason":"appeal"}"#, authorization: "bearer s3cret").0
                    == 200)
            #expect(try await server.request(.post, "/v1/rules/reload", authorization: "bearers3cret").0 == 401)
            #expect(try await server.request(.get, "/metrics").1.contains("\nwarden_ledger_failures_total 0\n"))
        }
    }

    /// Admin requests leave an info line (path and method, never the token); checks do not
    /// (they log at debug).
    @Test func adminRequestsAreLoggedWithoutTheirToken() async throws {
        let log = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in log }
        logger.logLevel = .info
        try await Server(token: "s3cret", logger: logger).test { server in
            _ = try await server.request(.post, "/v1/check", body: Self.send("m1"))
            _ = try await server.request(.post, "/v1/rules/reload", token: "s3cret")
        }
        let requests = log.entries.filter { $0.message == "Request" }
        #expect(requests.count == 1)
        #expect(requests.first?.level == .info)
        #expect(requests.first?.metadata["hb.request.path"].map { "\($0)" } == "/v1/rules/reload")
        #expect(!log.entries.contains { "\($0.metadata)".contains("s3cret") })
    }

    /// Without a target, the ledger is listed a page at a time: in force by default, filtered
    /// by action and rule, `next` leading through every page once, bad filters a 400 naming them.
    @Test func theLedgerIsListedInPages() async throws {
        let server = try Server(token: "s3cret")
        try await server.test { server in
            // Five revoked codes (fraud text) and their deleted messages (delete_content does not last).
            for k in 1...5 {
                let (status, _) = try await server.request(
                    .post, "/v1/check", body: Self.send("f\(k)", text: "兼职刷单日赚300", code: "CODE000\(k)"))
                #expect(status == 200)
            }
            let (liftStatus, _) = try await server.request(.post, "/v1/penalties/p-1/lift", body: #"{"reason":"appeal"}"#, token: "s3cret")
            #expect(liftStatus == 200)

            func page(_ query: String) async throws -> JSONValue {
                let (status, body) = try await server.request(.get, "/v1/penalties" + query)
                #expect(status == 200, "\(query): \(body)")
                return try JSONParser.parse(body)
            }
            func ids(_ v: JSONValue) -> [String] {
                guard case .array(let items)? = v["penalties"] else { return [] }
                return items.compactMap { $0["id"]?.stringValue }
            }
            let all = try await page("?status=all")
            let allIDs = ids(all)
            #expect(all["matched"] == .number(Double(allIDs.count)) && all["next"] == .null)
            // In force: the revocations not lifted (a revocation lasts; the lifted one does not).
            let inForce = try await page("?action=revoke_code")
            #expect(ids(inForce).count == 4 && !ids(inForce).contains("p-1"))
            #expect(ids(try await page("?status=lifted")) == ["p-1"])
            #expect(ids(try await page("?status=all&rule=no_such_rule")).isEmpty)
            // Two at a time: every record once, in order, and the last page says so.
            var seen: [String] = []
            var after = ""
            for _ in 0..<10 {
                let p = try await page("?status=all&limit=2" + after)
                seen += ids(p)
                guard case .string(let next)? = p["next"] else { break }
                #expect(next == seen.last)
                after = "&after=" + next
            }
            #expect(seen == allIDs && seen.count == 5)

            #expect(try await server.request(.get, "/v1/penalties?status=maybe").0 == 400)
            #expect(try await server.request(.get, "/v1/penalties?action=smite").1.contains(#""key":"action""#))
            #expect(try await server.request(.get, "/v1/penalties?limit=0").0 == 400)
            #expect(try await server.request(.get, "/v1/penalties?after=p-999").0 == 400)
        }
    }
}
