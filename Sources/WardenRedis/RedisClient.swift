import Glibc
import WardenEngine

/// What the counters, the ledger and the invite log need of Redis: one node (`RedisPool`) or a
/// cluster (`RedisClusterPool`), behind one interface.
public protocol RedisClient: Sendable {
    /// Commands in one round trip per node, replies in order.
    func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue]
    /// MULTI/EXEC: atomic on one node. A cluster runs one transaction per hash slot (the
    /// commands of one slot are atomic together, not across slots) and says whether a replica
    /// acknowledged every one. Throws only when a write was not accepted or its fate is unknown.
    @discardableResult func transaction(_ commands: [[String]]) throws(RedisError) -> PenaltyDurability
    /// A command every node must run (SCRIPT LOAD); the first node's reply.
    func everywhere(_ command: [String]) throws(RedisError) -> RedisValue
    /// Pipelines sent so far (round trips), for tests and tuning.
    var roundTrips: Int { get }
}

extension RedisClient {
    /// Throws the first error reply of a transaction's replies.
    static func check(_ replies: [RedisValue]) throws(RedisError) {
        if case .error(let message)? = replies.first(where: { if case .error = $0 { true } else { false } }) {
            throw RedisError(message)
        }
    }
}

/// Opens the client a state URL names: `redis://[USER@]HOST:PORT` (one node) or
/// `redis+cluster://[USER@]HOST:PORT[,HOST:PORT…]` (a cluster, discovered from any of the
/// seeds); `password` is sent with `AUTH` on every connection. Credentials Redis refuses are an
/// error here, at start (the first connection is tried); a Redis that is down is not (checks
/// then go on without it, as `on_state_error` says).
public enum RedisClients {
    public static func open(url: String, timeout: Double, capacity: Int = 8, password: String? = nil, tls: RedisTLS? = nil)
        throws(RedisError) -> any RedisClient
    {
        for scheme in ["redis+cluster://", "rediss+cluster://"] where url.hasPrefix(scheme) {
            let node = scheme == "rediss+cluster://" ? "rediss://" : "redis://"
            let seeds = try url.dropFirst(scheme.count).split(separator: ",").map { seed throws(RedisError) in
                try RedisPool(url: node + seed, timeout: timeout, capacity: capacity, password: password, tls: tls)
            }
            guard let first = seeds.first else { throw RedisError("no seed node in '\(url)'") }
            return try RedisClusterPool(
                seeds: seeds.map { ($0.host, $0.port) }, timeout: timeout, capacity: capacity, credentials: first.credentials,
                tls: first.tls)
        }
        let pool = try RedisPool(url: url, timeout: timeout, capacity: capacity, password: password, tls: tls)
        do throws(RedisError) {
            if let refusal = RedisError.passwordRequired(by: try pool.pipeline([["PING"]]).first) { throw refusal }
        } catch  where error.refused {
            throw error
        } catch {
            // Down or slow at start: not fatal. A certificate that does not verify is (the
            // tunnel notes why a moment after hiredis sees the connection close).
            // The tunnel's handshake limit is the reply timeout, counted from its own connect:
            // wait that long again, at start only.
            var noted = pool.tlsFailure
            for _ in 0..<Int((timeout + 0.5) * 100) where pool.tls != nil && noted == nil {
                usleep(10_000)
                noted = pool.tlsFailure
            }
            if let failure = noted, failure.tls {
                throw RedisError(
                    "TLS to \(pool.host):\(pool.port) failed: \(failure.message) (a private CA: --redis-ca-file)", refused: true)
            }
        }
        return pool
    }
}
