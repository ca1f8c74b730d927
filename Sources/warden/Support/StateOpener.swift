import ArgumentParser
import Foundation
import WardenEngine
import WardenRedis
import WardenSQLite

/// `--state` → a `StateStore`: the one place each kind of state is opened, for `serve`, `check`
/// and `audit` alike. Failures exit 2 with the store's own words.
enum StateOpener {
    struct Options {
        /// SQLite: `full` (fsync per commit) or `normal`.
        var sync = "full"
        /// SQLite: keep an outbox table of penalty changes (a webhook delivers it).
        var outbox = false
        /// SQLite: commit behind the check (group commit; the server awaits the commit).
        var deferred = false
        var redisTimeout = 0.05
        var redisConnections = 8
        /// `--redis-password-file` (else the environment: `RedisCredentials.password(file:)`).
        var redisPasswordFile: String?
        /// `--redis-ca-file` for `rediss://` (else `WARDEN_REDIS_CA_FILE`, else the system's roots).
        var redisCAFile: String?
        /// Keep the review loop (cases, labels, live lists, history): `serve` does; with SQLite
        /// it is always kept, since the file outlives the command.
        var review = false
        var maxOpenCases = 100_000
        /// Seconds resolved cases are kept.
        var caseRetention = 90.0 * 86_400
    }

    /// `--state` as a location; exit 2 with the accepted spellings when it is not one.
    static func location(_ text: String, accepting kinds: StateLocation.Kinds, note: String = "") throws -> StateLocation {
        do throws(StateLocation.Invalid) {
            return try StateLocation(parsing: text, accepting: kinds)
        } catch {
            Output.error("warden: \(error.message)\(note)")
            throw ExitCode(2)
        }
    }

    static func open(_ location: StateLocation, _ options: Options) throws -> StateStore {
        switch location {
        case .memory, .snapshot:
            guard options.review else { return .memory }
            return StateStore(review: MemoryReviewStore(maxOpenCases: options.maxOpenCases, retention: options.caseRetention))
        case .sqlite(let path):
            guard let mode = SQLiteLedger.Sync(rawValue: options.sync) else {
                Output.error("warden: --sync takes full or normal, not '\(options.sync)'")
                throw ExitCode(2)
            }
            do {
                let ledger = try SQLiteLedger(path: path, sync: mode, outbox: options.outbox, deferred: options.deferred)
                let review = try SQLiteReviewStore(ledger: ledger, maxOpenCases: options.maxOpenCases, retention: options.caseRetention)
                return StateStore(ledger: ledger, snapshots: ledger, review: review)
            } catch {
                Output.error("warden: \(error)")
                throw ExitCode(2)
            }
        case .redis(let url):
            do {
                let password = try RedisCredentials.password(file: options.redisPasswordFile)
                let pool = try RedisClients.open(
                    url: url, timeout: options.redisTimeout, capacity: options.redisConnections, password: password,
                    tls: RedisTLS(caFile: RedisCredentials.caFile(options.redisCAFile)))
                let ledger = RedisLedger(pool: pool)
                return StateStore(
                    ledger: ledger, counters: RedisCounters(pool: pool, ledger: ledger), invites: RedisInviteLog(pool: pool),
                    review: options.review
                        ? RedisReviewStore(pool: pool, maxOpenCases: options.maxOpenCases, retention: options.caseRetention) : nil,
                    checkBudget: options.redisTimeout)
            } catch {
                Output.error("warden: --state: \(error.message)")
                throw ExitCode(2)
            }
        }
    }

    /// A state read without taking it (`warden state`, `warden account`): an engine on
    /// `ruleSet` holding what the state holds. Redis: its ledger, invite log and review store,
    /// and the pool (for counter readings). SQLite (a server may be running on it): the file's
    /// penalties and review loop, the counters and invite graph of its last snapshot. A snapshot
    /// file: what it holds. Failures exit 2 naming the state.
    static func inspect(_ location: StateLocation, ruleSet: CompiledRuleSet, redisTimeout: Double) throws -> (
        engine: Engine, redis: (any RedisClient)?
    ) {
        do {
            switch location {
            case .redis(let url):
                let pool = try RedisClients.open(
                    url: url, timeout: redisTimeout, password: try RedisCredentials.password(file: nil),
                    tls: RedisTLS(caFile: RedisCredentials.caFile(nil)))
                let engine = Engine(
                    ruleSet: ruleSet, ledger: RedisLedger(pool: pool), inviteLog: RedisInviteLog(pool: pool),
                    review: RedisReviewStore(pool: pool))
                return (engine, pool)
            case .sqlite(let path):
                let (records, snapshot) = try SQLiteLedger.inspect(path: path)
                let ledger = MemoryLedger()
                let engine = Engine(ruleSet: ruleSet, ledger: ledger, review: try SQLiteReviewStore.inspect(path: path))
                if let snapshot { try engine.restore(snapshot: snapshot) }
                // The file's penalties, not the snapshot's older copy of them.
                ledger.load(records)
                return (engine, nil)
            case .snapshot(let path):
                guard let data = FileManager.default.contents(atPath: path) else {
                    Output.error("warden: cannot read '\(path)'")
                    throw ExitCode(2)
                }
                let engine = Engine(ruleSet: ruleSet)
                try engine.restore(snapshot: String(decoding: data, as: UTF8.self))
                return (engine, nil)
            case .memory:
                return (Engine(ruleSet: ruleSet), nil)
            }
        } catch let error as RedisError {
            Output.error("warden: \(location): \(error.message)")
        } catch let error as SQLiteError {
            Output.error("warden: \(error)")
        } catch let error as SnapshotError {
            Output.error("warden: \(location): \(error.message)")
        }
        throw ExitCode(2)
    }
}
