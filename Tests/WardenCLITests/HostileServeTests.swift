import Foundation
import Glibc
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 19: what a hostile test of `warden serve` found, each reproduced.
@Suite(.serialized) struct HostileServeTests {
    typealias Server = ServeTests.Server

    static func send(_ id: String, account: String = "u1", text: String = "你好", code: String? = nil, ts: String = "2026-03-01T10:00:00Z")
        -> String
    {
        ServeTests.send(id, account: account, text: text, code: code, ts: ts)
    }

    /// Runs `warden` with `arguments` and gives up after `seconds` (a server that should have
    /// refused to start would otherwise run forever).
    static func runBriefly(_ arguments: [String], environment: [String: String] = [:], seconds: Double = 20) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return (-1, "still running after \(seconds) s")
        }
        return (process.terminationStatus, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// One event from the year 9999 is refused (400, key `ts`) and the next burst still trips.
    @Test func aFutureEventIsRefusedAndBurstsStillTrip() async throws {
        let server = try Server(token: nil, state: "memory")
        let (status, body) = try await server.request(
            "POST", "/v1/check", body: Self.send("z", account: "attacker", ts: "9999-01-01T00:00:00Z"))
        #expect(status == 400 && body.contains(#""key":"ts""#) && body.contains("ahead of the clock"))
        let (batchStatus, _) = try await server.request(
            "POST", "/v1/check", body: #"{"events":[\#(Self.send("ok")),\#(Self.send("z2", ts: "9999-01-01T00:00:00Z"))]}"#)
        #expect(batchStatus == 400)
        let formatter = ISO8601DateFormatter()
        let start = Date().addingTimeInterval(-3600)
        let events = (0..<40).map {
            Self.send("b\($0)", account: "bot", text: "hi", ts: formatter.string(from: start.addingTimeInterval(Double($0))))
        }
        let (_, decisions) = try await server.request("POST", "/v1/check", body: #"{"events":[\#(events.joined(separator: ","))]}"#)
        #expect(decisions.components(separatedBy: #""rule":"burst""#).count - 1 >= 10)
    }

    /// A stored counter snapshot that does not restore stops the server at start, naming it
    /// (it used to be dropped without a word: counters and downlines reset, the row overwritten);
    /// `--discard-bad-snapshot` starts empty on purpose.
    @Test func aBadSnapshotStopsTheServerAtStart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-snap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("state.db").path
        let rules = CLITests.root.appendingPathComponent("rules").path
        // A server makes the state file, and is stopped.
        let (first, _) = try Self.runBriefly(["serve", "--rules", rules, "--port", "0", "--state", "sqlite:" + db], seconds: 3)
        #expect(first == -1)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT OR REPLACE INTO snapshots (id, taken, body) VALUES (1, 0, '{\\\"format\\\":\\\"warden-state/1\\\",\\\"counters\\\":')\"); c.commit()",
            db,
        ]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let (status, stderr) = try Self.runBriefly(["serve", "--rules", rules, "--port", "0", "--state", "sqlite:" + db], seconds: 10)
        #expect(status == 1, "\(stderr)")
        #expect(
            stderr.contains("the counter snapshot in sqlite:\(db) does not restore") && stderr.contains("--discard-bad-snapshot"),
            "\(stderr)")
        let (started, log) = try Self.runBriefly(
            ["serve", "--rules", rules, "--port", "0", "--state", "sqlite:" + db, "--discard-bad-snapshot"], seconds: 3)
        #expect(started == -1, "it serves: \(log)")
    }

    /// A redeem with `devce`, `IP` and `Ts` was answered allow without a word: the device and
    /// network rules were silently off. The decision now names the keys it ignored, with the key
    /// meant, a metric counts them, and `--strict-events` refuses them.
    @Test func unknownEventKeysAreNamedNotIgnored() async throws {
        let typo = #"{"id":"r1","type":"redeem","account":"u9","code":"ABCD1234","devce":"d1","IP":"10.0.0.1","Ts":"2026-03-01T10:00:00Z"}"#
        let server = try Server(token: nil, state: "memory")
        let (status, body) = try await server.request("POST", "/v1/check", body: typo)
        #expect(status == 200)
        #expect(
            body.contains(
                #"unknown event keys 'devce' (did you mean 'device'?), 'IP' (did you mean 'ip'?), 'Ts' (did you mean 'ts'?) ignored"#),
            "\(body)")
        let (_, batch) = try await server.request("POST", "/v1/check", body: #"{"events":[\#(typo),\#(Self.send("m2"))]}"#)
        #expect(batch.components(separatedBy: "unknown event keys").count == 2, "only the event with them: \(batch)")
        let (_, metrics) = try await server.request("GET", "/metrics")
        #expect(metrics.contains("warden_unknown_event_keys_total 6"), "\(metrics)")
        let clean = try await server.request("POST", "/v1/check", body: Self.send("m3"))
        #expect(!clean.1.contains("warnings"))

        let strict = try Server(token: nil, state: "memory", extra: ["--strict-events"])
        let (refused, answer) = try await strict.request("POST", "/v1/check", body: typo)
        #expect(refused == 400 && answer.contains(#""key":"devce""#), "\(answer)")
    }

    /// `--log-format json`: one object a line; a reload from the route logged like one on SIGHUP
    /// (old and new digest, who), a refused one on one line with its first error.
    @Test func jsonLogsAndOneLineAReload() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("warden-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let server = try Server(token: "t", state: "memory", extra: ["--log-format", "json"], stderr: log)
        _ = try await server.request("POST", "/v1/rules/reload", body: #"{"by":"alice","reason":"weekly"}"#, token: "t")
        try "rule broken {".write(to: server.rules.appendingPathComponent("98-broken.rules"), atomically: true, encoding: .utf8)
        let (refused, _) = try await server.request("POST", "/v1/rules/reload", body: #"{"by":"bob","reason":"oops"}"#, token: "t")
        #expect(refused == 422)
        kill(server.process.processIdentifier, SIGHUP)
        var lines: [[String: Any]] = []
        for _ in 0..<50 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            lines = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(lines.count == text.split(separator: "\n").count, "every line is a JSON object: \(text)")
            if lines.filter({ $0["message"] as? String == "reload refused; the old rule set keeps serving" }).count >= 2 { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let reloaded = lines.first { $0["message"] as? String == "rules reloaded" }
        #expect(reloaded?["by"] as? String == "alice" && (reloaded?["previous"] as? String)?.hasPrefix("sha256:") == true)
        let refusals = lines.filter { $0["message"] as? String == "reload refused; the old rule set keeps serving" }
        #expect(refusals.map { $0["by"] as? String } == ["bob", "SIGHUP"], "\(refusals)")
        #expect((refusals.first?["first"] as? String)?.contains("98-broken.rules:1:") == true, "\(refusals)")
        #expect(lines.allSatisfy { $0["ts"] is String && $0["level"] is String })
    }

    @Test func aReadTokenGuardsTheReadRoutes() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-read-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "r3ad\n".write(toFile: file, atomically: true, encoding: .utf8)
        let server = try Server(token: "s3cret", state: "memory", extra: ["--read-token-file", file])
        for path in ["/v1/penalties?account=u1", "/v1/rules", "/metrics"] {
            #expect(try await server.request("GET", path).0 == 401, "\(path)")
            #expect(try await server.request("GET", path, token: "r3ad").0 == 200, "\(path)")
            #expect(try await server.request("GET", path, token: "s3cret").0 == 200, "\(path)")
        }
        #expect(try await server.request("GET", "/healthz").0 == 200)
        #expect(try await server.request("POST", "/v1/check", body: Self.send("m1")).0 == 200)
    }

    /// Without a webhook nothing fills the outbox; a clean stop leaves the write-ahead log empty.
    @Test func noOutboxWithoutAWebhookAndACheckpointAtStop() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Server(token: nil, state: "sqlite:\(dir.path)/state.db")
        for k in 0..<20 {
            _ = try await server.request(
                "POST", "/v1/check", body: Self.send("o\(k)", account: "o\(k)", text: "兼职刷单日赚300", code: "OUT\(k)"))
        }
        let metrics = try await server.request("GET", "/metrics").1
        #expect(metrics.contains(#"warden_outbox_messages{state="pending"} 0.0"#))
        #expect(metrics.contains(#"warden_penalties_total{action="revoke_code"} 20"#))
        // The group commit's figures: 41 writes (the rule set served, stored at start; then per
        // check its revocation and its review case), one check after the other: a commit for the
        // rule set, and one or two per check (its case may be queued after its penalty is taken).
        func figure(_ name: String) -> Int? {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }.map {
                Int($0)
            }
        }
        #expect(figure("warden_ledger_writes_total") == 41, "\(metrics)")
        #expect((21...41).contains(figure("warden_ledger_commits_total") ?? 0), "\(metrics)")
        #expect(figure("warden_review_cases_open") == 20)
        server.stop()
        let wal = (try? FileManager.default.attributesOfItem(atPath: "\(dir.path)/state.db-wal")[.size] as? NSNumber)?.intValue ?? 0
        #expect(wal == 0)
    }

    /// A raw connection to the server, for what URLSession will not send.
    static func connect(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func write(_ fd: Int32, _ text: String) -> Bool {
        text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } > 0
    }

    /// A body trickled a byte at a time (each byte resets the idle timeout) gets 408 and the
    /// connection closed at the request deadline.
    @Test func aTrickledBodyMeetsTheRequestDeadline() async throws {
        let server = try Server(token: nil, state: "memory", extra: ["--request-timeout", "2"])
        let fd = Self.connect(server.port)
        defer { close(fd) }
        #expect(Self.write(fd, "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"))
        let started = Date()
        var answer = [UInt8]()
        var closed = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(started) < 8, !closed {
            _ = Self.write(fd, " ")
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { answer += buffer[..<n] } else if n == 0 { closed = true }
        }
        #expect(closed)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 408"))
        #expect(try await server.request("GET", "/healthz").0 == 200)
    }

    @Test func aMalformedChunkSizeIsABadRequest() async throws {
        let server = try Server(token: nil, state: "memory")
        let fd = Self.connect(server.port)
        defer { close(fd) }
        #expect(Self.write(fd, "POST /v1/check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n"))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var answer = [UInt8]()
        let started = Date()
        while Date().timeIntervalSince(started) < 5, !String(decoding: answer, as: UTF8.self).contains("}") {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { answer += buffer[..<n] } else if n == 0 { break }
        }
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 400"))
        #expect(text.hasSuffix(#"{"error":"malformed HTTP request body"}"#))
    }

    /// Options that crashed, spun or did something else quietly now stop the start with exit 2.
    @Test func badOptionsAreRefused() throws {
        let base = ["serve", "--rules", "rules", "--state", "memory"]
        for extra in [
            ["--idle-timeout", "1e300"], ["--idle-timeout", "nan"], ["--snapshot-every", "0"], ["--snapshot-every", "1e300"],
            ["--port", "70000"], ["--port=-1"], ["--state", "sqlite:"], ["--log-level", "verbose"],
            ["--idle-timeout", "1e-300"], ["--request-timeout", "1e-9"],
        ] {
            let (status, stderr) = try Self.runBriefly(base + extra)
            #expect(status == 2, "\(extra): \(stderr)")
            #expect(stderr.contains("warden: "), "\(extra)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-token-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "  \n".write(toFile: file, atomically: true, encoding: .utf8)
        let (status, stderr) = try Self.runBriefly(base + ["--admin-token-file", file], environment: ["WARDEN_ADMIN_TOKEN": "fromenv"])
        #expect(status == 2 && stderr.contains("empty or blank"))
        let (blank, _) = try Self.runBriefly(base, environment: ["WARDEN_ADMIN_TOKEN": "   "])
        #expect(blank == 2)
    }

    @Test func aSecondServerOnOneStateFileRefusesToStart() async throws {
        let first = try Server(token: nil)
        let (status, stderr) = try Self.runBriefly([
            "serve", "--port", "0", "--rules", first.rules.path, "--state", "sqlite:\(first.rules.path)/state.db",
        ])
        #expect(status == 2)
        #expect(stderr.contains("in use by another warden"))
        #expect(try await first.request("GET", "/healthz").0 == 200)
    }

    /// The disk fills up (`ulimit -f`): answers stop carrying penalties the file did not take,
    /// the failures are counted, and after `kill -9` every answered penalty is still there.
    @Test func aFullDiskLosesNoAnsweredPenalty() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = "sqlite:\(dir.path)/state.db"
        let server = try Server(token: nil, state: state, fileLimitKiB: 256)
        var answered: [String] = []
        var refused = 0
        for k in 0..<150 {
            let code = "FULL\(k)"
            let (status, body) = try await server.request(
                "POST", "/v1/check", body: Self.send("f\(k)", account: "f\(k)", text: "兼职刷单日赚300", code: code))
            #expect(status == 200)
            if body.contains(#""action":"revoke_code""#) { answered.append(code) }
            if body.contains("penalty ledger write failed") { refused += 1 }
        }
        #expect(!answered.isEmpty && refused > 0, "answered \(answered.count), refused \(refused)")
        let metrics = try await server.request("GET", "/metrics").1
        #expect(metrics.contains("\nwarden_ledger_failures_total \(refused)\n"))
        server.crash()
        let restarted = try Server(token: nil, state: state)
        var missing: [String] = []
        for code in answered where !(try await restarted.request("GET", "/v1/penalties?code=\(code)").1.contains("revoke_code")) {
            missing.append(code)
        }
        #expect(missing.isEmpty, "answered but lost: \(missing)")
    }
}
