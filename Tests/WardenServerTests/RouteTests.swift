import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WardenEngine
import WardenServer
@testable import WardenSQLite

/// The HTTP routes in-process (HummingbirdTesting's router framework: no socket, no binary).
/// What needs a real process (kill -9, SIGTERM, SIGHUP, a full disk) stays in `ServeTests`.
@Suite struct RouteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let rules = root.appendingPathComponent("rules").path
    static let fraud = #"{"id":"m1","type":"send","account":"a1","to":["b"],"code":"AB12CD34","text":"兼职刷单日赚300，加V: shuadan888"}"#

    static func server(
        admin: String? = nil, read: String? = nil, ledger: (any PenaltyLedger)? = nil
    ) throws -> WardenServer {
        var configuration = WardenServer.Configuration()
        configuration.port = 0
        configuration.adminToken = AdminToken(admin)
        configuration.readToken = AdminToken(read)
        let service = try WardenService(rulesAt: rules, ledger: ledger)
        return WardenServer(service: service, configuration: configuration, logger: Logger(label: "test"))
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONParser.parse(String(buffer: response.body))
    }

    @Test func aCheckIsDecidedAndCounted() async throws {
        try await Self.server().application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: Self.fraud)) { response in
                #expect(response.status == .ok)
                let decision = try Self.json(response)
                #expect(decision["decision"] == .string("block"))
                #expect(decision["id"] == .string("m1"))
            }
            try await client.execute(uri: "/v1/penalties?code=AB12CD34", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""action":"revoke_code""#))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"warden_requests_total{route="check",status="200"} 1"#))
            }
        }
    }

    @Test func badRequestsNameWhatIsWrong() async throws {
        try await Self.server().application().test(.router) { client in
            try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: #"{"id": "m1", "#)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("not valid JSON at column"))
            }
            try await client.execute(uri: "/v1/check?dry_run=yes", method: .post, body: ByteBuffer(string: Self.fraud)) { response in
                #expect(response.status == .badRequest)
                let body = try Self.json(response)
                #expect(body["key"] == .string("dry_run"))
            }
            let noAccount = #"{"id":"m2","type":"send","to":[],"text":"hi"}"#
            try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: noAccount)) { response in
                #expect(response.status == .badRequest)
                let body = try Self.json(response)
                #expect(body["key"] == .string("account"))
            }
            try await client.execute(uri: "/v1/penalties", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func adminRoutesNeedTheToken() async throws {
        try await Self.server().application().test(.router) { client in
            try await client.execute(uri: "/v1/rules/reload", method: .post) { response in
                #expect(response.status == .forbidden)
            }
        }
        try await Self.server(admin: "s3cret-admin").application().test(.router) { client in
            try await client.execute(uri: "/v1/rules/reload", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/rules/reload", method: .post, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/rules/reload", method: .post, headers: [.authorization: "Bearer s3cret-admin"]) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["accepted"] == .bool(true))
            }
            let lift = ByteBuffer(string: #"{"reason":"appeal"}"#)
            try await client.execute(uri: "/v1/penalties/p-404/lift", method: .post, headers: [.authorization: "Bearer s3cret-admin"], body: lift) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aReadTokenGuardsTheReadRoutes() async throws {
        try await Self.server(admin: "s3cret-admin", read: "s3cret-read").application().test(.router) { client in
            for uri in ["/v1/penalties?account=a1", "/v1/rules", "/metrics"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .unauthorized, "\(uri)") }
                for token in ["s3cret-read", "s3cret-admin"] {
                    try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .ok, "\(uri)") }
                }
            }
            // Checks and health stay open.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func theServedOpenAPIDocumentIsTheCommittedOne() async throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        try await Self.server().application().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).trimmingCharacters(in: .whitespacesAndNewlines) == committed.trimmingCharacters(in: .whitespacesAndNewlines))
            }
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
        try await Self.server(ledger: ledger).application().test(.router) { client in
            for k in 0..<5 {
                let event = Self.fraud.replacingOccurrences(of: #""m1""#, with: "\"m\(k)\"").replacingOccurrences(of: "AB12CD34", with: "CODE\(k)")
                try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: event)) { response in
                    let ids = String(buffer: response.body).matches(of: /"id":"(p-\d+)"/).map { String($0.output.1) }
                    #expect(!ids.isEmpty)
                    let stored = Set(try SQLiteLedger.inspect(path: path).penalties.map(\.id))
                    #expect(Set(ids).isSubset(of: stored), "answered \(ids), stored \(stored.sorted())")
                }
            }
        }
    }
}
