import Foundation
import Testing
import WardenRedis
import WardenTestSupport

/// `warden state`: counters by rule and key and the penalties in force, from each kind of state.
@Suite struct StateCommandTests {
    let cli = CLITests()

    static func sends(_ account: String, count: Int, text: String = "hi", from minute: Int = 0) -> String {
        (0..<count).map { k in
            #"{"id":"\#(account)-\#(k)","type":"send","ts":"2026-03-01T10:\#(String(format: "%02d", minute + k / 60)):\#(String(format: "%02d", k % 60))Z","account":"\#(account)","to":["r\#(k)"],"text":"\#(text)"}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test func aSnapshotFileReadsByRuleAndKey() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // 40 sends from one account within a minute (the burst rule's challenge), 3 from another,
        // and a fraud message whose code is revoked.
        let fraud =
            #"{"id":"f1","type":"send","ts":"2026-03-01T10:00:30Z","account":"u_fraud","to":["x"],"text":"兼职刷单日赚300","code":"AB12CD34"}"#
        let r = try cli.run(
            ["check", "--rules", "rules", "--state-out", file],
            stdin: Self.sends("bot", count: 40) + Self.sends("quiet", count: 3) + fraud + "\n")
        #expect(r.status == 0)
        let state = try cli.run(["state", "--rules", "rules", file, "--limit", "2"])
        #expect(state.status == 0, "\(state.stderr)")
        let lines = state.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "state \(file) read at 2026-03-01T18:00:39+08:00 with rule set invite 2026.12-a")
        #expect(lines.contains("  count by account within 1m on send (rule burst): 3 keys"))
        #expect(lines.contains("    40  account=bot"))
        #expect(lines.contains("    3  account=quiet"))
        #expect(lines.contains("    … 1 more (--limit)"))
        #expect(lines.contains("  count by account within 1d on send (rules machine_brushing, enterprise_brushing, leader_jump): 3 keys"))
        #expect(lines.contains { $0.hasPrefix("  p-1 revoke_code on code AB12CD34 forever (rule fraud_text, offense 1") })

        // One target, as JSON; a time with nothing in the 1m window.
        let json = try cli.run(["state", "--rules", "rules", file, "--target", "quiet", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let counters = try #require(object["counters"] as? [[String: Any]])
        #expect(counters.allSatisfy { ($0["keys"] as? Int) == 1 })
        #expect(
            counters.contains { $0["counter"] as? String == "count by account within 1m on send" && $0["rules"] as? [String] == ["burst"] })
        let later = try cli.run(["state", "--rules", "rules", file, "--at", "2026-03-01T10:05:00Z"])
        #expect(
            !later.stdout.contains("(rule burst)") && later.stdout.contains("(rules machine_brushing, enterprise_brushing, leader_jump)"))
        #expect(try cli.run(["state", "--rules", "rules", "/nonexistent.json"]).status == 2)
    }

    @Test func redisStateReadsTheSameSums() throws {
        let redis = try RedisServer()
        let url = "redis://127.0.0.1:\(redis.port)"
        let r = try cli.run(
            ["check", "--rules", "rules", "--state", url], stdin: Self.sends("bot", count: 40) + Self.sends("quiet", count: 3))
        #expect(r.status == 0, "\(r.stderr)")
        let state = try cli.run(["state", "--rules", "rules", url, "--at", "2026-03-01T10:00:40Z"])
        #expect(state.status == 0, "\(state.stderr)")
        #expect(
            state.stdout.contains("  count by account within 1m on send (rule burst): 2 keys\n    40  account=bot\n    3  account=quiet\n"))
        #expect(
            state.stdout.contains(
                "distinct to by account, fingerprint(text) within 1d on send (rules fanout, leader_fanout, new_leader_fanout): 2 keys\n    40  account=bot, fingerprint(text)="
            ))
    }

    /// A Redis that asks for a password (requirepass, or an ACL user): the password from a file,
    /// the user in the URL; a wrong or missing password stops the command at start with what to
    /// give, and a password in the URL or rediss:// are refused with the reason.
    @Test func redisWithAPassword() throws {
        let redis = try RedisServer(arguments: ["--requirepass", "s3cret-pw", "--user", "warden", "on", ">w4rden-pw", "~*", "&*", "+@all"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let right = dir.appendingPathComponent("pw").path
        let wrong = dir.appendingPathComponent("wrong").path
        let user = dir.appendingPathComponent("user-pw").path
        try "s3cret-pw\n".write(toFile: right, atomically: true, encoding: .utf8)
        try "nope\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        try "w4rden-pw\n".write(toFile: user, atomically: true, encoding: .utf8)
        let url = "redis://127.0.0.1:\(redis.port)"
        // A small rule set that counts (the default one takes seconds to load in a debug build).
        let rulesFile = dir.appendingPathComponent("t.rules").path
        try "ruleset t\nrule c { on send when count(by: account, within: 1h) > 100 }\n".write(
            toFile: rulesFile, atomically: true, encoding: .utf8)
        let log = "samples/events.jsonl"
        let ok = try cli.run(["check", "--rules", rulesFile, log, "--state", url, "--redis-password-file", right])
        #expect(ok.status == 0 && !ok.stdout.contains("state unavailable") && !ok.stdout.contains("warnings"), "\(ok.stderr)")
        let asUser = try cli.run([
            "check", "--rules", rulesFile, log, "--state", "redis://warden@127.0.0.1:\(redis.port)", "--redis-password-file", user,
        ])
        #expect(asUser.status == 0 && !asUser.stdout.contains("warnings"), "\(asUser.stderr)")
        let missing = try cli.run(["check", "--rules", rulesFile, log, "--state", url])
        #expect(missing.status == 2 && missing.stderr.contains("--redis-password-file"), "\(missing.stderr)")
        let refused = try cli.run(["check", "--rules", rulesFile, log, "--state", url, "--redis-password-file", wrong])
        #expect(refused.status == 2 && refused.stderr.contains("refused the credentials"), "\(refused.stderr)")
        let inURL = try cli.run(["check", "--rules", rulesFile, log, "--state", "redis://u:pw@127.0.0.1:\(redis.port)"])
        #expect(inURL.status == 2 && inURL.stderr.contains("no password in the URL"), "\(inURL.stderr)")
        let tls = try cli.run(["check", "--rules", rulesFile, log, "--state", "rediss://127.0.0.1:\(redis.port)"])
        #expect(tls.status == 2 && tls.stderr.contains("TLS"), "\(tls.stderr)")
    }

    /// Redis over TLS (`rediss://`): hiredis 0.14 has none, so the connection goes through a
    /// tunnel in the process. A certificate from a private CA verifies with --redis-ca-file, and
    /// without it the command stops at start saying why; the counters land in Redis.
    @Test func redisOverTLS() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func openssl(_ arguments: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = arguments
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "openssl \(arguments)")
        }
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
            "/CN=warden test CA",
        ])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1\n".write(to: dir.appendingPathComponent("ext"), atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2",
            "-extfile", "ext",
        ])
        let tlsPort = Int.random(in: 30_000..<32_700)
        let redis = try RedisServer(arguments: [
            "--tls-port", String(tlsPort), "--tls-cert-file", dir.appendingPathComponent("server.pem").path, "--tls-key-file",
            dir.appendingPathComponent("server.key").path, "--tls-ca-cert-file", dir.appendingPathComponent("ca.pem").path,
            "--tls-auth-clients", "no",
        ])
        let rulesFile = dir.appendingPathComponent("t.rules").path
        try "ruleset t\nrule c { on send when count(by: account, within: 1h) > 100 }\n".write(
            toFile: rulesFile, atomically: true, encoding: .utf8)
        let url = "rediss://127.0.0.1:\(tlsPort)"
        let ok = try cli.run([
            "check", "--rules", rulesFile, "samples/events.jsonl", "--state", url, "--redis-ca-file",
            dir.appendingPathComponent("ca.pem").path,
        ])
        #expect(ok.status == 0 && !ok.stdout.contains("warnings"), "\(ok.stderr) \(ok.stdout.prefix(300))")
        let keys = try RedisPool(host: "127.0.0.1", port: redis.port, timeout: 1).pipeline([["DBSIZE"]])[0].int ?? 0
        #expect(keys > 0, "the counters went to Redis over TLS")
        let unverified = try cli.run(["check", "--rules", rulesFile, "samples/events.jsonl", "--state", url])
        #expect(unverified.status == 2 && unverified.stderr.contains("TLS"), "\(unverified.stderr)")
    }
}
