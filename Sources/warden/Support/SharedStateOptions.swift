import ArgumentParser
import WardenEngine
import WardenRedis

/// `--state redis://HOST:PORT` for `check` and `audit`: counters, penalties and the invite graph
/// in Redis, shared with every server and every other audit on it (several audit processes,
/// each over its own partition of a log, then decide as one; see `audit --partition`).
struct SharedStateOptions: ParsableArguments {
    @Option(name: .customLong("state"), help: "Shared state: redis://HOST:PORT (counters, penalties and the invite graph of every process on it). Default: this process only.")
    var state: String?

    @Option(name: .customLong("redis-timeout"), help: "Seconds to wait for Redis (connect and each reply).")
    var redisTimeout: Double = 1

    /// The shared state's parts, or nil for state in this process.
    func open() throws -> (ledger: RedisLedger, counters: RedisCounters, invites: RedisInviteLog)? {
        guard let state else { return nil }
        guard state.hasPrefix("redis://") || state.hasPrefix("redis+cluster://") else {
            Output.error("warden: --state takes redis://HOST:PORT or redis+cluster://HOST:PORT[,…] here (snapshots: --state-in/--state-out)")
            throw ExitCode(2)
        }
        guard redisTimeout.isFinite, redisTimeout > 0, redisTimeout <= 60 else {
            Output.error("warden: --redis-timeout takes seconds in (0, 60]")
            throw ExitCode(2)
        }
        do {
            let pool = try RedisClients.open(url: state, timeout: redisTimeout)
            let ledger = RedisLedger(pool: pool)
            return (ledger, RedisCounters(pool: pool, ledger: ledger), RedisInviteLog(pool: pool))
        } catch {
            Output.error("warden: --state: \(error.message)")
            throw ExitCode(2)
        }
    }

    /// An engine on the shared state, or on state of its own.
    func engine(_ ruleSet: CompiledRuleSet, lateness: Double = 600) throws -> Engine {
        guard let shared = try open() else { return Engine(ruleSet: ruleSet, lateness: lateness) }
        return Engine(ruleSet: ruleSet, lateness: lateness, ledger: shared.ledger, counterBackend: shared.counters, inviteLog: shared.invites)
    }
}
