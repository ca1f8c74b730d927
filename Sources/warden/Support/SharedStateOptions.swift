import ArgumentParser
import WardenEngine

/// `--state redis://HOST:PORT` for `check` and `audit`: counters, penalties and the invite graph
/// in Redis, shared with every server and every other audit on it (several audit processes,
/// each over its own partition of a log, then decide as one; see `audit --partition`).
struct SharedStateOptions: ParsableArguments {
    @Option(
        name: .customLong("state"),
        help:
            "Shared state: redis://HOST:PORT (counters, penalties and the invite graph of every process on it). Default: this process only."
    )
    var state: String?

    @Option(name: .customLong("redis-timeout"), help: "Seconds to wait for Redis (connect and each reply).")
    var redisTimeout: Double = 1

    @OptionGroup var redisAccess: RedisAccessOptions

    /// The shared state, or `.memory` for state in this process.
    func open() throws -> StateStore {
        guard let state else { return .memory }
        let location = try StateOpener.location(state, accepting: .redis, note: " (snapshots: --state-in/--state-out)")
        guard redisTimeout.isFinite, redisTimeout > 0, redisTimeout <= 60 else {
            Output.error("warden: --redis-timeout takes seconds in (0, 60]")
            throw ExitCode(2)
        }
        return try StateOpener.open(
            location,
            StateOpener.Options(redisTimeout: redisTimeout, redisPasswordFile: redisAccess.passwordFile, redisCAFile: redisAccess.caFile))
    }

    /// An engine on the shared state, or on state of its own.
    func engine(_ ruleSet: CompiledRuleSet, lateness: Double = 600) throws -> Engine {
        let state = try open()
        return Engine(ruleSet: ruleSet, lateness: lateness, ledger: state.ledger, counterBackend: state.counters, inviteLog: state.invites)
    }
}
