import Synchronization

/// A few connections to one Redis server, shared by the engine's threads: a caller takes a
/// connection, runs its commands, and gives it back; a broken connection is dropped and the
/// next caller dials a new one (so the pool recovers by itself when Redis comes back).
package final class RedisPool: RedisClient {
    package let host: String
    package let port: Int
    package let timeout: Double
    package let capacity: Int
    // `RedisConnection` is not Sendable; the free list hands each one to one thread at a time.
    private let idle: Mutex<[UnsafeConnection]> = Mutex([])
    private let trips = Atomic<Int>(0)

    /// Pipelines sent so far (each one round trip): what an event costs, for tests and tuning.
    package var roundTrips: Int { trips.load(ordering: .relaxed) }

    private struct UnsafeConnection: @unchecked Sendable {
        let connection: RedisConnection
    }

    /// `redis://HOST:PORT` (port 6379 when left out).
    package convenience init(url: String, timeout: Double = 0.05, capacity: Int = 8) throws(RedisError) {
        guard url.hasPrefix("redis://") else { throw RedisError("expected redis://HOST:PORT, not '\(url)'") }
        let rest = url.dropFirst("redis://".count).split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let parts = rest.split(separator: ":", maxSplits: 1)
        guard let host = parts.first, !host.isEmpty else { throw RedisError("no host in '\(url)'") }
        let port = parts.count == 2 ? Int(parts[1]) : 6379
        guard let port, (1...65535).contains(port) else { throw RedisError("bad port in '\(url)'") }
        self.init(host: String(host), port: port, timeout: timeout, capacity: capacity)
    }

    package init(host: String, port: Int, timeout: Double = 0.05, capacity: Int = 8) {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.capacity = capacity
    }

    /// Runs `body` with a connection; the connection goes back to the pool unless it broke.
    package func with<R>(_ body: (RedisConnection) throws(RedisError) -> R) throws(RedisError) -> R {
        let connection: RedisConnection
        if let reused = idle.withLock({ $0.popLast() }) {
            connection = reused.connection
        } else {
            connection = try RedisConnection(host: host, port: port, timeout: timeout)
        }
        defer {
            if !connection.isBroken {
                idle.withLock { free in if free.count < capacity { free.append(UnsafeConnection(connection: connection)) } }
            }
        }
        return try body(connection)
    }

    package func transaction(_ commands: [[String]]) throws(RedisError) {
        try Self.check(try pipeline([["MULTI"]] + commands + [["EXEC"]]))
    }

    package func everywhere(_ command: [String]) throws(RedisError) -> RedisValue {
        try pipeline([command])[0]
    }

    /// Commands in one round trip. A pooled connection may have died while idle (Redis
    /// restarted): when a reused connection fails that way, the commands go once more on a fresh
    /// one. Not after a timeout: Redis may have run them, and counting an event twice is worse
    /// than answering it without the counters.
    package func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        trips.add(1, ordering: .relaxed)
        var reused = false
        do {
            return try with { c throws(RedisError) in
                reused = c.served > 0
                return try c.pipeline(commands)
            }
        } catch {
            guard reused, !error.timedOut else { throw error }
            return try with { c throws(RedisError) in try c.pipeline(commands) }
        }
    }
}
