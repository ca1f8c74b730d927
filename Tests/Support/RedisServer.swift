import Foundation
import WardenRedis

/// A throwaway redis-server for tests: no persistence, loopback only, stopped on deinit.
public final class RedisServer: @unchecked Sendable {
    public private(set) var port = 0
    private var process: Process?
    /// Extra redis-server arguments (`--requirepass`, ACLs).
    private let extra: [String]

    /// Ports below Linux's ephemeral range (32768 up: a random port there may be some
    /// connection's own) and above the test clusters' bus ports (up to 29,999); a port someone
    /// holds anyway is tried again elsewhere.
    public init(arguments: [String] = []) throws {
        extra = arguments
        var failure: (any Error)?
        for _ in 0..<5 {
            port = Int.random(in: 30_000..<32_700)
            do {
                try start()
                return
            } catch {
                failure = error
                stop()
            }
        }
        throw failure!
    }

    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        p.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"] + extra
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        for _ in 0..<100 {
            guard p.isRunning else { throw RedisError("redis-server exited at start on port \(port)") }
            if let reply = try? RedisPool(host: "127.0.0.1", port: port, timeout: 0.2).pipeline([["PING"]]).first {
                if reply == .status("PONG") { return }
                if case .error(let message) = reply, message.hasPrefix("NOAUTH") { return }  // up, and asking for a password
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw RedisError("redis-server did not start on port \(port)")
    }

    /// SIGKILL: a test server has nothing to save (and a down Redis is what the tests want).
    public func stop() {
        guard let process else { return }
        kill(process.processIdentifier, SIGCONT)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGSTOP: connections stay open and nothing answers (a stalled server); `resume` ends it.
    public func pause() {
        if let process { kill(process.processIdentifier, SIGSTOP) }
    }

    public func resume() {
        if let process { kill(process.processIdentifier, SIGCONT) }
    }

    deinit {
        resume()
        stop()
    }
}
