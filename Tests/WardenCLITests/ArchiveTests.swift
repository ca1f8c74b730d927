import Foundation
import Testing
import WardenWire

/// The server's archive and backtests over it (SPEC §9): what a backtest decides equals what
/// `warden dry-run` decides on the same events from a file; a killed server loses at most the
/// last second; a full disk never fails a check.
@Suite struct ArchiveTests {
    let cli = CLITests()

    /// Lines of generated events (scripts/make-samples.py), and the server they were sent to.
    static func generated(_ n: Int, seed: Int) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", CLITests.root.appendingPathComponent("scripts/make-samples.py").path, "--events", "\(n)", "--seed", "\(seed)",
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Sends `lines` in batches; returns the lines the server took (a batch with a refused event
    /// is sent again one by one).
    static func send(_ lines: [String], to server: ServeTests.Server) async throws -> [String] {
        var taken: [String] = []
        for start in stride(from: 0, to: lines.count, by: 150) {  // under the test server's 64 KiB body limit
            let batch = Array(lines[start..<min(start + 150, lines.count)])
            let (status, _) = try await server.request("POST", "/v1/check", body: #"{"events":["# + batch.joined(separator: ",") + "]}")
            if status == 200 {
                taken += batch
                continue
            }
            for line in batch where try await server.request("POST", "/v1/check", body: line).0 == 200 { taken.append(line) }
        }
        return taken
    }

    func waitForBacktest(_ server: ServeTests.Server, _ id: String) async throws -> JSONValue {
        for _ in 0..<600 {
            let (_, body) = try await server.request("GET", "/v1/backtests/\(id)")
            let v = try JSONParser.parse(body)
            if let s = v["status"]?.stringValue, s != "queued", s != "running" { return v }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CancellationError()
    }

    /// The dry-run JSON without the lines naming the two rule sets (paths differ).
    func comparable(_ text: String) throws -> String {
        guard case .object(let pairs) = try JSONParser.parse(text) else { return "" }
        return JSONValue.object(pairs.filter { !["baseline", "current"].contains($0.0) }).text
    }

    @Test func aBacktestDecidesAsDryRunDoesOnTheSameEvents() async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("warden-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: archive) }
        // At the checks' priority: at nice 19 the run waits on every other test of the suite.
        let server = try ServeTests.Server(
            token: "adm", state: "memory", extra: ["--archive", archive.path, "--backtest-priority", "normal"])
        let sent = try await Self.send(try Self.generated(20_000, seed: 3), to: server)
        #expect(sent.count > 19_000)
        let volume = try String(contentsOf: server.rules.appendingPathComponent("10-volume.rules"), encoding: .utf8)
        let changed = volume.replacingOccurrences(of: "within: 1d) > 50\n", with: "within: 1d) > 40\n")
        #expect(changed != volume)
        let body = JSONValue.object([("files", .object([("10-volume.rules", .string(changed))])), ("since", .string("2020-01-01"))]).text
        let (status, started) = try await server.request("POST", "/v1/backtests", body: body, token: "adm")
        #expect(status == 202, "\(started)")
        let id = try #require(try JSONParser.parse(started)["id"]?.stringValue)
        // One at a time: a second is refused while the first runs; accepted, the first must
        // have ended already (on a fast run it can end before the second request arrives).
        let (second, _) = try await server.request("POST", "/v1/backtests", body: body, token: "adm")
        if second != 409 {
            let (_, first) = try await server.request("GET", "/v1/backtests/\(id)", token: "adm")
            let firstStatus = try JSONParser.parse(first)["status"]?.stringValue
            #expect(second == 202 && firstStatus == "done", "second: \(second), first: \(first.prefix(200))")
        }
        let run = try await waitForBacktest(server, id)
        #expect(run["status"]?.stringValue == "done", "\(run.text.prefix(500))")
        #expect(run["events"]?.intValue == sent.count)

        // The same events from a file, through warden dry-run.
        let dir = server.rules
        let file = dir.appendingPathComponent("sent.jsonl")
        try (sent.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let candidate = dir.appendingPathComponent("candidate")
        try FileManager.default.createDirectory(at: candidate, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".rules") || name == "lists" {
            try FileManager.default.copyItem(at: dir.appendingPathComponent(name), to: candidate.appendingPathComponent(name))
        }
        try changed.write(to: candidate.appendingPathComponent("10-volume.rules"), atomically: true, encoding: .utf8)
        let json = dir.appendingPathComponent("dry.json").path
        let dry = try cli.run(["dry-run", "--rules", candidate.path, "--baseline", dir.path, file.path, "--json", json])
        #expect(dry.status == 0, "\(dry.stderr)")
        let fromFile = try comparable(try String(contentsOfFile: json, encoding: .utf8))
        let fromArchive = try comparable(run["result"]?.text ?? "")
        #expect(fromArchive == fromFile, "\(fromArchive.prefix(600))\n---\n\(fromFile.prefix(600))")
        #expect(fromFile.contains(#""rule":"fanout","baseline":"#))
        let (reportStatus, report) = try await server.request("GET", "/v1/backtests/\(id)/report")
        #expect(reportStatus == 200 && report.hasPrefix("<!doctype html>"))

        // Bad input: a candidate that fails lint, times out of order, a range with no segments.
        let broken = #"{"files":{"99-broken.rules":"rule broken { on send when nope(text) }"}}"#
        let (lint, diagnostics) = try await server.request("POST", "/v1/backtests", body: broken, token: "adm")
        #expect(lint == 422 && diagnostics.contains(#""diagnostics":["#) && diagnostics.contains("99-broken.rules"), "\(diagnostics)")
        let backwards = #"{"files":{"10-volume.rules":"x"},"since":"2026-02-01","until":"2026-01-01"}"#
        #expect(try await server.request("POST", "/v1/backtests", body: backwards, token: "adm").0 == 400)
        let empty = JSONValue.object([
            ("files", .object([("10-volume.rules", .string(changed))])), ("since", .string("2001-01-01")), ("until", .string("2001-01-02")),
        ]).text
        let (emptyStatus, emptyBody) = try await server.request("POST", "/v1/backtests", body: empty, token: "adm")
        #expect(emptyStatus == 202)
        let none = try await waitForBacktest(server, try #require(try JSONParser.parse(emptyBody)["id"]?.stringValue))
        #expect(none["status"]?.stringValue == "done" && none["events"]?.intValue == 0)
        #expect(try await server.request("POST", "/v1/backtests", body: body).0 == 401)

        // Cancel: a run stops and says so.
        let (_, another) = try await server.request("POST", "/v1/backtests", body: body, token: "adm")
        let cancelID = try #require(try JSONParser.parse(another)["id"]?.stringValue)
        let (cancelStatus, _) = try await server.request("DELETE", "/v1/backtests/\(cancelID)", token: "adm")
        let cancelled = try await waitForBacktest(server, cancelID)
        #expect((cancelStatus == 200 && cancelled["status"]?.stringValue == "cancelled") || cancelled["status"]?.stringValue == "done")
        #expect(try await server.request("DELETE", "/v1/backtests/nope", token: "adm").0 == 404)

    }

    /// kill -9: what was flushed (every second) reads back.
    @Test func aKilledServerLosesAtMostTheLastSecond() async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("warden-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: archive) }
        let server = try ServeTests.Server(token: nil, state: "memory", extra: ["--archive", archive.path])
        let sent = try await Self.send(try Self.generated(3_000, seed: 4), to: server)
        try await Task.sleep(for: .milliseconds(1_500))
        server.crash()
        // warden audit reads the archive as it reads the same events from a file.
        let dir = server.rules
        let file = dir.appendingPathComponent("sent.jsonl")
        try (sent.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let (a, f) = (dir.appendingPathComponent("a.jsonl").path, dir.appendingPathComponent("f.jsonl").path)
        let r = try cli.run(["audit", "--rules", "rules", "--archive", archive.path, "--since", "2020-01-01", "--out", a, "--all"])
        #expect(r.stdout.contains("audited \(sent.count) events"), "\(r.stdout.prefix(300)) \(r.stderr)")
        #expect(try cli.run(["audit", "--rules", "rules", file.path, "--out", f, "--all"]).status == 0)
        #expect(try String(contentsOfFile: a, encoding: .utf8) == String(contentsOfFile: f, encoding: .utf8))

        // An unreadable segment is skipped with a warning that names it; times out of order refused.
        let junk = archive.appendingPathComponent("events-20261206T10-junk.jsonl.gz")
        try Data("this is not an archive\n".utf8).write(to: junk)
        let warned = try cli.run(["audit", "--rules", "rules", "--archive", archive.path, "--since", "2020-01-01"])
        #expect(warned.stdout.contains("audited \(sent.count) events"), "\(warned.stdout.prefix(200))")
        #expect(warned.stderr.contains("events-20261206T10-junk.jsonl.gz"), "\(warned.stderr)")
        let backwards = try cli.run([
            "audit", "--rules", "rules", "--archive", archive.path, "--since", "2026-02-01", "--until", "2026-01-01",
        ])
        #expect(backwards.status != 0 && backwards.stderr.contains("--since must be before --until"), "\(backwards.stderr)")
    }

    /// A disk that fills up (ulimit -f): checks keep answering, the drops are counted and
    /// logged, and archiving resumes in a new segment.
    @Test func aFullDiskNeverFailsACheck() async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("warden-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: archive) }
        let server = try ServeTests.Server(token: nil, state: "memory", extra: ["--archive", archive.path], fileLimitKiB: 64)
        let lines = try Self.generated(4_000, seed: 5)
        let first = try await Self.send(Array(lines[..<3_000]), to: server)
        #expect(first.count > 2_900)
        try await Task.sleep(for: .milliseconds(1_500))
        let (_, metrics) = try await server.request("GET", "/metrics")
        let dropped = metrics.split(separator: "\n").first { $0.hasPrefix("warden_archive_dropped_total ") }
        #expect((dropped.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0) > 0, "\(metrics.prefix(2000))")
        // After the retry interval a new segment takes events again.
        try await Task.sleep(for: .milliseconds(5_500))
        let before = ArchiveTests.written(metrics)
        _ = try await Self.send(Array(lines[3_000..<3_100]), to: server)
        try await Task.sleep(for: .milliseconds(1_500))
        let after = ArchiveTests.written(try await server.request("GET", "/metrics").1)
        #expect(after >= before + 100, "\(before) → \(after)")
        let segments = try FileManager.default.contentsOfDirectory(atPath: archive.path).filter { $0.hasSuffix(".jsonl.gz") }
        #expect(segments.count >= 2, "\(segments)")
    }

    static func written(_ metrics: String) -> Int {
        metrics.split(separator: "\n").first { $0.hasPrefix("warden_archive_events_total ") }.flatMap {
            Int($0.split(separator: " ").last ?? "")
        } ?? 0
    }
}
