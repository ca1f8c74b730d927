import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WardenAudit
import WardenEngine
import WardenSQLite
import WardenServer

/// `warden serve`: the HTTP service of SPEC §7.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve checks over HTTP (POST /v1/check, penalties, rules, reload, /healthz, /metrics).",
        discussion: """
            Admin routes (lift, reload) need Authorization: Bearer <token>, the token coming from \
            WARDEN_ADMIN_TOKEN or --admin-token-file; without one they are off. SIGHUP reloads the \
            rules; SIGTERM and SIGINT stop gracefully.
            """)

    @OptionGroup var ruleSet: RuleSetOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(name: .customLong("body-limit"), help: "Largest request body in bytes (larger: 413).")
    var bodyLimit = 1 << 20

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stay silent before it is closed.")
    var idleTimeout: Double = 30

    @Option(name: .customLong("request-timeout"), help: "Seconds a request body may take to arrive in full (408 after).")
    var requestTimeout: Double = 10

    @Option(name: .customLong("admin-token-file"), help: "A file holding the admin token.")
    var adminTokenFile: String?

    @Option(
        name: .customLong("read-token-file"),
        help:
            "A file holding a token the read routes (penalties, rules, metrics) then require (or WARDEN_READ_TOKEN); without one they are open."
    )
    var readTokenFile: String?

    @Flag(
        help:
            "Serve the playground at GET /playground: rules and an event typed in a page, decided in a sandbox (never the live rule set or its state). Its API (POST /v1/playground) needs the admin token."
    )
    var playground = false

    @Option(
        help:
            "State: sqlite:PATH (penalties committed before each answer, counters snapshotted), redis://HOST:PORT (shared by every server on it) or memory."
    )
    var state = "sqlite:warden-state.db"

    @Option(
        help: ArgumentHelp(
            "sqlite state: full (a penalty is on disk before its answer leaves; survives a machine crash) or normal (in the OS; survives the process being killed, the last commits may be lost on power loss).",
            valueName: "full|normal"))
    var sync = "full"

    @Option(
        name: .customLong("max-counter-keys"),
        help: "Keys one counter may hold; past it new keys are not kept, and on_state_error decides (counted in /metrics, logged).")
    var maxCounterKeys = 10_000_000

    @Option(
        name: .customLong("max-counter-memory"),
        help: "MiB the in-memory counters may take (about 300 B a key); past it as past --max-counter-keys.")
    var maxCounterMemory = 4096

    @Option(
        name: .customLong("redis-timeout"),
        help: "Seconds a check may wait on Redis in all (connecting and every reply) before it goes on without it.")
    var redisTimeout: Double = 0.05

    @OptionGroup var redisAccess: RedisAccessOptions

    @Option(
        name: .customLong("check-threads"),
        help:
            "Threads that run checks which wait on the network (Redis); default 32 with redis state, 0 (the request's own thread) otherwise."
    )
    var checkThreads: Int?

    @Option(name: .customLong("snapshot-every"), help: "Seconds between counter snapshots (sqlite state).")
    var snapshotEvery: Double = 30

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info (default), notice, warning, error or critical; debug logs every request, info the admin ones.")
    var logLevel = "info"

    @Option(name: .customLong("log-format"), help: "text (default) or json: one JSON object a line on standard error.")
    var logFormat = "text"

    @Option(name: .customLong("penalty-webhook"), help: "Deliver every penalty and lift to this URL (needs sqlite state).")
    var penaltyWebhook: String?

    @Option(
        name: .customLong("webhook-secret-file"),
        help: "Sign every webhook body with the secret in this file (HMAC-SHA256, header Warden-Signature; or WARDEN_WEBHOOK_SECRET).")
    var webhookSecretFile: String?

    @Option(
        name: .customLong("reviewer-token-file"),
        help: "A file holding the reviewers' token (or WARDEN_REVIEWER_TOKEN): cases, labels and live list entries.")
    var reviewerTokenFile: String?

    @Option(help: "Append every checked event to hourly gzip segments in this directory (for audits, dry runs and backtests).")
    var archive: String?

    @Option(name: .customLong("archive-keep"), help: "Remove archive segments older than this.")
    var archiveKeep = "7d"

    @Option(
        name: .customLong("archive-max-bytes"), help: "Keep the archive directory under this many bytes (oldest segments removed first).")
    var archiveMaxBytes: Int?

    @Option(name: .customLong("max-open-cases"), help: "Review cases open at once; past it no case is opened (metric, log line).")
    var maxOpenCases = 100_000

    @Option(name: .customLong("case-retention"), help: "How long resolved cases are kept, such as 90d.")
    var caseRetention = "90d"

    @Option(name: .customLong("max-list-entries"), help: "Live entries one live list may hold (added through /v1/lists).")
    var maxListEntries = 10_000

    @Option(
        name: .customLong("backtest-priority"),
        help: "low (default: nice 19, below the checks) or normal (a replica kept for backtests).")
    var backtestPriority = "low"

    @Flag(
        name: .customLong("strict-events"),
        help: "Refuse an event with an unknown top-level key (400 naming it) instead of warning in its decision.")
    var strictEvents = false

    @Flag(
        name: .customLong("discard-bad-snapshot"),
        help: "Start with empty counters when the stored counter snapshot does not restore (it is overwritten by the next one).")
    var discardBadSnapshot = false

    @Flag(
        name: .customLong("require-approval"),
        help: "A rule-set draft (POST /v1/rules/drafts) is published only when someone other than its author approves it.")
    var requireApproval = false

    @Flag(help: "Serve the review console at GET /console (Chinese and English; its routes need the reviewer or admin token).")
    var console = false

    /// Options that would crash, spin or quietly do something else are refused up front.
    func checkOptions() throws {
        func refuse(_ message: String) throws -> Never {
            Output.error("warden: \(message)")
            throw ExitCode(2)
        }
        if !(0...65_535).contains(port) { try refuse("--port takes 0 to 65535, not \(port)") }
        if backtestPriority != "low", backtestPriority != "normal" {
            try refuse("--backtest-priority takes low or normal, not '\(backtestPriority)'")
        }
        if logFormat != "text", logFormat != "json" {
            try refuse("--log-format takes text or json, not '\(logFormat)'")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            try refuse("--log-level takes \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\(logLevel)'")
        }
        if !(idleTimeout.isFinite && idleTimeout >= 1 && idleTimeout <= 3600) {
            try refuse("--idle-timeout takes seconds in [1, 3600], not \(idleTimeout)")
        }
        if !(snapshotEvery.isFinite && snapshotEvery >= 1 && snapshotEvery <= 86_400) {
            try refuse("--snapshot-every takes seconds in [1, 86400], not \(snapshotEvery)")
        }
        if !(requestTimeout.isFinite && requestTimeout >= 0.01 && requestTimeout <= 3600) {
            try refuse("--request-timeout takes seconds in [0.01, 3600], not \(requestTimeout)")
        }
        if !(redisTimeout.isFinite && redisTimeout > 0 && redisTimeout <= 60) {
            try refuse("--redis-timeout takes seconds in (0, 60], not \(redisTimeout)")
        }
        if bodyLimit < 1 { try refuse("--body-limit takes a positive number of bytes") }
        if maxOpenCases < 1 { try refuse("--max-open-cases takes a positive number") }
        if maxListEntries < 1 || maxListEntries > 1_000_000 { try refuse("--max-list-entries takes 1 to 1000000") }
        if Timestamp.parseDuration(caseRetention) == nil {
            try refuse("--case-retention takes a duration such as 90d, not '\(caseRetention)'")
        }
        if maxCounterKeys < 1 { try refuse("--max-counter-keys takes a positive number") }
        if maxCounterMemory < 1 || maxCounterMemory > 1 << 30 { try refuse("--max-counter-memory takes MiB from 1") }
    }

    /// A token: from `file` if given (which must hold one), else from the environment
    /// variable. An empty or blank token is an error, never "routes off" or "routes open".
    func token(file: String?, variable: String, what: String) throws -> String? {
        // An empty variable is an unset one; a file must hold a token.
        var token = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        var origin = variable
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                Output.error("warden: cannot read '\(file)'")
                throw ExitCode(2)
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            origin = file
        }
        if let token, !AdminToken.isUsable(token) {
            Output.error("warden: the \(what) token in \(origin) is empty or blank")
            throw ExitCode(2)
        }
        return token
    }

    func run() async throws {
        try checkOptions()
        let location = try StateOpener.location(state, accepting: [.memory, .sqlite, .redis])
        let adminToken = try token(file: adminTokenFile, variable: "WARDEN_ADMIN_TOKEN", what: "admin")
        let readToken = try token(file: readTokenFile, variable: "WARDEN_READ_TOKEN", what: "read")
        let reviewerToken = try token(file: reviewerTokenFile, variable: "WARDEN_REVIEWER_TOKEN", what: "reviewer")
        if playground, adminToken == nil {
            Output.error(
                "warden: --playground needs an admin token (--admin-token-file or WARDEN_ADMIN_TOKEN): its API compiles whatever it is sent"
            )
            throw ExitCode(2)
        }
        let state = try StateOpener.open(
            location,
            StateOpener.Options(
                sync: sync, outbox: penaltyWebhook != nil, deferred: true, redisTimeout: redisTimeout, redisConnections: 40,
                redisPasswordFile: redisAccess.passwordFile, redisCAFile: redisAccess.caFile, review: true,
                maxOpenCases: maxOpenCases, caseRetention: Timestamp.parseDuration(caseRetention) ?? 0))
        let service: WardenService
        do {
            service = try WardenService(
                rulesAt: ruleSet.rules, state: state, maxCounterKeys: maxCounterKeys, maxCounterBytes: maxCounterMemory << 20)
        } catch {
            Output.error(error.description)
            throw ExitCode(1)
        }
        if let snapshot = state.snapshots?.loadSnapshot() {
            // Counters and the invite graph come from it: starting empty without a word would
            // reset every rate limit and downline, and the next snapshot would overwrite the old one.
            do {
                _ = try service.engine.restore(snapshot: snapshot)
            } catch {
                let what = "warden: the counter snapshot in \(location.description) does not restore: \(error)"
                guard discardBadSnapshot else {
                    Output.error(
                        what
                            + "; the server does not start. Fix or remove it, or start with --discard-bad-snapshot (empty counters; the next snapshot overwrites it)"
                    )
                    throw ExitCode(1)
                }
                Output.error(what + "; starting with empty counters (--discard-bad-snapshot): the next snapshot overwrites it")
            }
        }
        var configuration = WardenServer.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.bodyLimit = bodyLimit
        configuration.idleTimeout = idleTimeout
        configuration.requestTimeout = requestTimeout
        // With Redis a check waits on round trips: many in flight at once, on threads of their
        // own, and as many pooled connections.
        // With SQLite a check applies its penalty writes in memory and returns; the answer then
        // awaits their commit (shared with the writes of every other request meanwhile: group
        // commit) without holding a thread, so checks stay on the request's own thread.
        if case .redis = location { configuration.blockingThreads = 32 }
        if let checkThreads {
            guard (0...512).contains(checkThreads) else {
                Output.error("warden: --check-threads takes 0 to 512")
                throw ExitCode(2)
            }
            configuration.blockingThreads = checkThreads
        }
        configuration.adminToken = AdminToken(adminToken)
        configuration.readToken = AdminToken(readToken)
        configuration.playground = playground
        configuration.reviewerToken = AdminToken(reviewerToken)
        configuration.console = console
        configuration.maxListEntries = maxListEntries
        configuration.requireApproval = requireApproval
        configuration.strictEvents = strictEvents
        configuration.lowPriorityBacktests = backtestPriority == "low"
        var logger = logFormat == "json" ? Logger(label: "warden") { JSONLogHandler(label: $0) } : Logger(label: "warden")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        if let archive {
            guard let keep = Timestamp.parseDuration(archiveKeep), keep >= 3600 else {
                Output.error("warden: --archive-keep takes a duration of at least 1h, such as 7d")
                throw ExitCode(2)
            }
            if let archiveMaxBytes, archiveMaxBytes < 1 << 20 {
                Output.error("warden: --archive-max-bytes takes at least 1048576")
                throw ExitCode(2)
            }
            var options = ArchiveWriter.Options(directory: archive)
            options.keep = keep
            options.maxBytes = archiveMaxBytes
            let log = logger
            do {
                configuration.archive = try ArchiveWriter(options, onProblem: { log.warning("\($0)") })
            } catch {
                Output.error("warden: --archive \(archive): \(error)")
                throw ExitCode(2)
            }
        }
        // The outbox is written with the ledger: SQLite's table, or Redis's list (delivered by
        // whichever server holds the lease).
        let outbox = state.ledger as? any PenaltyOutbox
        var delivery: WebhookDelivery?
        if penaltyWebhook == nil, webhookSecretFile != nil {
            Output.error("warden: --webhook-secret-file signs what --penalty-webhook delivers; give the webhook too")
            throw ExitCode(2)
        }
        if let penaltyWebhook {
            guard let url = URL(string: penaltyWebhook), url.scheme == "http" || url.scheme == "https", let outbox else {
                Output.error("warden: --penalty-webhook takes an http(s) URL and needs --state sqlite:PATH or redis://HOST:PORT")
                throw ExitCode(2)
            }
            let secret = try token(file: webhookSecretFile, variable: "WARDEN_WEBHOOK_SECRET", what: "webhook secret")
            delivery = WebhookDelivery(url: url, ledger: outbox, secret: secret)
        }
        var outboxCounts: (@Sendable () -> [String: Int])?
        if let outbox {
            outboxCounts = { @Sendable in outbox.outboxCounts() }
        }
        let commitCounts: (@Sendable () -> (commits: Int, writes: Int))? = (state.ledger as? SQLiteLedger).map { ledger in
            { @Sendable in ledger.commitCounts }
        }
        let server = WardenServer(
            service: service, configuration: configuration, logger: logger, outbox: outboxCounts, commits: commitCounts)
        let host = self.host
        // Background work runs as services of the server's group: on SIGTERM the server stops
        // accepting and drains, then these stop, the last snapshot and the WAL checkpoint last.
        var services: [any Service] = []
        if let store = state.snapshots {
            services.append(SnapshotService(store: store, service: service, every: snapshotEvery, logger: logger))
        }
        if let delivery { services.append(WebhookService(delivery: delivery)) }
        services.append(HangupReloadService(server: server))
        let app = server.application(services: services) { port in
            Output.line("warden: listening on http://\(host):\(port) (rule set \(service.engine.ruleSet.info.digest))")
        }
        try await app.runService()
        configuration.archive?.close()
    }
}
