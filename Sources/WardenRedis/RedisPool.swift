import Synchronization
import WardenEngine

/// A few connections to one Redis server, shared by the engine's threads: a caller takes a
/// connection, runs its commands, and gives it back; a broken connection is dropped and the
/// next caller dials a new one (so the pool recovers by itself when Redis comes back).
package final class RedisPool: RedisClient {
    package let host: String
    package let port: Int
    package let timeout: Double
    package let capacity: Int
    package let credentials: RedisCredentials?
    /// TLS to this node (`rediss://`): hiredis connects to a loopback tunnel that carries it.
    package let tls: RedisTLS?
    private let tunnel = Mutex<RedisTLSTunnel?>(nil)
    // `RedisConnection` is not Sendable; the free list hands each one to one thread at a time.
    private let idle: Mutex<[UnsafeConnection]> = Mutex([])
    private let trips = Atomic<Int>(0)

    /// Pipelines sent so far (each one round trip): what an event costs, for tests and tuning.
    package var roundTrips: Int { trips.load(ordering: .relaxed) }

    private struct UnsafeConnection: @unchecked Sendable {
        let connection: RedisConnection
    }

    /// `redis://[USER@]HOST:PORT` (port 6379 when left out); the password comes from
    /// `password`, never from the URL.
    package convenience init(url: String, timeout: Double = 0.05, capacity: Int = 8, password: String? = nil, tls: RedisTLS? = nil)
        throws(RedisError)
    {
        let scheme = url.hasPrefix("rediss://") ? "rediss://" : "redis://"
        guard url.hasPrefix(scheme) else { throw RedisError("expected redis://HOST:PORT or rediss://HOST:PORT, not '\(url)'") }
        var rest = url.dropFirst(scheme.count).split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            let who = String(rest[..<at])
            guard !who.contains(":") else {
                throw RedisError(
                    "no password in the URL (it shows in process lists and logs): give --redis-password-file or WARDEN_REDIS_PASSWORD_FILE")
            }
            user = who.isEmpty ? nil : who
            rest = String(rest[rest.index(after: at)...])
        }
        let parts = rest.split(separator: ":", maxSplits: 1)
        guard let host = parts.first, !host.isEmpty else { throw RedisError("no host in '\(url)'") }
        let port = parts.count == 2 ? Int(parts[1]) : 6379
        guard let port, (1...65535).contains(port) else { throw RedisError("bad port in '\(url)'") }
        if user != nil, password == nil {
            throw RedisError("a user in the URL needs a password: --redis-password-file or WARDEN_REDIS_PASSWORD_FILE")
        }
        self.init(
            host: String(host), port: port, timeout: timeout, capacity: capacity,
            credentials: password.map { RedisCredentials(user: user, password: $0) },
            tls: scheme == "rediss://" ? (tls ?? RedisTLS()) : nil)
    }

    package init(
        host: String, port: Int, timeout: Double = 0.05, capacity: Int = 8, credentials: RedisCredentials? = nil, tls: RedisTLS? = nil
    ) {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.capacity = capacity
        self.credentials = credentials
        self.tls = tls
    }

    /// Why the last TLS connection failed, when this node is reached over TLS.
    package var tlsFailure: (message: String, tls: Bool)? { tunnel.withLock { $0?.lastFailure } }

    /// Where hiredis connects: the node, or with TLS the loopback end of its tunnel (opened once).
    private func endpoint() throws(RedisError) -> (host: String, port: Int) {
        guard let tls else { return (host, port) }
        return try tunnel.withLock { t throws(RedisError) in
            if let t { return ("127.0.0.1", t.localPort) }
            do {
                let opened = try RedisTLSTunnel(host: host, port: port, caFile: tls.caFile, handshake: max(0.2, min(timeout, 5)))
                t = opened
                return ("127.0.0.1", opened.localPort)
            } catch {
                throw RedisError("cannot set up TLS to \(host):\(port): \(error)")
            }
        }
    }

    /// Runs `body` with a connection; the connection goes back to the pool unless it broke.
    /// Each reply may take `timeout`, and never past the check's deadline (`StateDeadline`):
    /// once that passed, nothing is sent. What is left is taken in whole milliseconds, so the
    /// socket's timeout (a system call to change) stays the same from one round trip to the next.
    package func with<R>(_ body: (RedisConnection) throws(RedisError) -> R) throws(RedisError) -> R {
        var limit = timeout
        if let remaining = StateDeadline.remaining {
            guard remaining >= 0.001 else { throw RedisError("the check's time for Redis ran out", timedOut: true) }
            limit = min(limit, (remaining * 1000).rounded(.down) / 1000)
        }
        let connection: RedisConnection
        if let reused = idle.withLock({ $0.popLast() }) {
            connection = reused.connection
            connection.setTimeout(limit)
        } else {
            let (h, p) = try endpoint()
            connection = try RedisConnection(host: h, port: p, timeout: limit, credentials: credentials)
        }
        defer {
            if !connection.isBroken {
                idle.withLock { free in if free.count < capacity { free.append(UnsafeConnection(connection: connection)) } }
            }
        }
        return try body(connection)
    }

    /// `with`, once more on a fresh connection when a pooled one failed: it may have died while
    /// idle (Redis restarted). Not after a timeout: Redis may have run the commands, and
    /// counting an event twice is worse than answering it without the counters.
    private func retryingStale<R>(_ body: (RedisConnection) throws(RedisError) -> R) throws(RedisError) -> R {
        trips.add(1, ordering: .relaxed)
        var reused = false
        do {
            return try with { c throws(RedisError) in
                reused = c.served > 0
                return try body(c)
            }
        } catch {
            guard reused, !error.timedOut else { throw error }
            return try with(body)
        }
    }

    /// One node: MULTI/EXEC, as durable as the server's persistence.
    @discardableResult package func transaction(_ commands: [[String]]) throws(RedisError) -> PenaltyDurability {
        try Self.check(try pipeline([["MULTI"]] + commands + [["EXEC"]]))
        return .singleNode
    }

    /// MULTI/EXEC, then `WAIT 1` on the same connection (WAIT counts the replicas that have
    /// this connection's writes), for at most `replicaWait` seconds and never past the check's
    /// deadline. Returns the replies up to EXEC and how many replicas acknowledged. Once EXEC
    /// answered, nothing turns the write into a failure: a WAIT that times out, fails or finds
    /// no time left means 0 replicas, not an error (the master has the write and serves it).
    package func transaction(_ commands: [[String]], replicaWait: Double) throws(RedisError) -> (replies: [RedisValue], replicas: Int) {
        try retryingStale { c throws(RedisError) in
            let replies = try c.pipeline([["MULTI"]] + commands + [["EXEC"]])
            guard case .array? = replies.last else { return (replies, 0) }
            var wait = replicaWait
            if let remaining = StateDeadline.remaining { wait = min(wait, remaining - 0.002) }
            let milliseconds = Int(wait * 1000)
            guard milliseconds >= 1 else { return (replies, 0) }
            let readFor = Double(milliseconds) / 1000 + timeout
            c.setTimeout(StateDeadline.remaining.map { min(readFor, max(0.001, $0)) } ?? readFor)
            let acknowledged = (try? c.pipeline([["WAIT", "1", String(milliseconds)]]))?.first?.int ?? 0
            return (replies, acknowledged)
        }
    }

    package func everywhere(_ command: [String]) throws(RedisError) -> RedisValue {
        try pipeline([command])[0]
    }

    /// Commands in one round trip (`retryingStale`: a pooled connection that died idle is
    /// replaced once).
    package func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        try retryingStale { c throws(RedisError) in try c.pipeline(commands) }
    }
}
