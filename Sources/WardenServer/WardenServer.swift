import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization
import WardenAudit
import WardenEngine
import WardenLanguage

/// The HTTP service of SPEC §7 on Hummingbird 2.
package struct WardenServer: Sendable {
    package struct Configuration: Sendable {
        package var host = "127.0.0.1"
        package var port = 8080
        package var bodyLimit = 1 << 20
        /// Seconds a connection may stay silent (mid-request or between requests) before it is
        /// closed, so slow or stalled clients cannot hold connections forever.
        package var idleTimeout: Double = 30
        /// Seconds a request body may take to arrive in full, however steadily it trickles.
        package var requestTimeout: Double = 10
        /// Threads that run checks which wait on the network (shared Redis state), so that many
        /// round trips are in flight at once; 0 runs checks on the request's own thread, which is
        /// right when the state is in memory (a hand-over would cost more than the check).
        package var blockingThreads = 0
        package var adminToken: AdminToken?
        /// When set, the read routes (`GET /v1/penalties`, `/v1/rules`, `/metrics`) need it (or
        /// the admin token) too: penalties name accounts and codes. Off by default, which is
        /// why the default bind is loopback.
        package var readToken: AdminToken?
        /// Serve the playground (`GET /playground`, `POST /v1/playground`, the latter behind the
        /// admin token): off by default.
        package var playground = false
        /// The reviewers' token: cases, labels and live list entries (the admin token can do
        /// all a reviewer can).
        package var reviewerToken: AdminToken?
        /// Serve the review console at `GET /console`.
        package var console = false
        /// Live entries one list may hold.
        package var maxListEntries = 10_000
        /// A draft is published only when someone other than its author approves it.
        package var requireApproval = false
        /// Refuse events with unknown top-level keys (400) instead of warning in the decision.
        package var strictEvents = false
        /// Backtests at nice 19 (the default) or at the checks' priority.
        package var lowPriorityBacktests = true
        /// Where every checked event is appended (`serve --archive DIR`).
        package var archive: ArchiveWriter?
        package init() {}
    }

    let service: WardenService
    let configuration: Configuration
    let metrics: Metrics
    let backtests: Backtests
    let logger: Logger
    private let stateDown = StateFlag()
    private let ledgerDown = StateFlag()
    private let queueFull = StateFlag()
    /// Skipped ledger records already logged.
    private let skippedLogged = TotalReported()
    /// Runs checks off the cooperative threads when they wait on Redis (`blockingThreads`).
    let blocking: NIOThreadPool?
    /// The playground's own thread: its work never queues ahead of a reload or a lift on the
    /// shared pool, and one request at a time runs (`Playground.budget` each).
    let playgroundPool: NIOThreadPool?
    /// Playground requests running or waiting: past two, the answer is 429.
    let playgroundGate = RequestGate(limit: 2)

    /// - Parameter commits: (transactions, writes) of a SQLite ledger's group commit, for the metrics.
    package init(
        service: WardenService, configuration: Configuration, logger: Logger, outbox: (@Sendable () -> [String: Int])? = nil,
        commits: (@Sendable () -> (commits: Int, writes: Int))? = nil
    ) {
        self.service = service
        self.configuration = configuration
        self.backtests = Backtests(lowPriority: configuration.lowPriorityBacktests)
        self.logger = logger
        var queue: (@Sendable () -> (open: Int, refused: Int))?
        if let review = service.review { queue = { (review.openCaseCount, review.casesRefused) } }
        var archived: (@Sendable () -> (written: Int, dropped: Int))?
        if let a = configuration.archive {
            archived = { (a.written.load(ordering: .relaxed), a.dropped.load(ordering: .relaxed)) }
        }
        self.metrics = Metrics(
            outbox: outbox, counters: { (service.engine.counterKeyCount, service.engine.counterKeysRefused) }, commits: commits,
            review: queue, archive: archived, skippedRecords: { service.skippedLedgerRecords })
        if configuration.blockingThreads > 0 {
            let pool = NIOThreadPool(numberOfThreads: configuration.blockingThreads)
            pool.start()
            blocking = pool
        } else {
            blocking = nil
        }
        if configuration.playground {
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            playgroundPool = pool
        } else {
            playgroundPool = nil
        }
    }

    /// Runs a check where it may wait: on the blocking pool when there is one.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        guard let blocking else { return body() }
        return try await blocking.runIfActive(body)
    }

    /// Builds the application; `onRunning` gets the bound port (useful with port 0).
    /// - Parameter services: background services run beside the server (`SnapshotService`,
    ///   `WebhookService`, `HangupReloadService`), shut down after it drains on SIGTERM.
    package func application(
        services: [any Service] = [], onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        // Every route: timed, errors answered as JSON, counted in the metrics.
        router.add(middleware: RequestMetricsMiddleware(server: self))
        // Every request at debug (`--log-level debug`); headers are never logged (tokens).
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.post("/v1/check") { request, _ in
            self.backtests.checkStarted()
            defer { self.backtests.checkEnded() }
            return try await self.check(request)
        }
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/openapi.json") { _, _ in Self.text(.ok, ServedFiles.openAPI, type: "application/json") }
        // Read routes: open, or behind the read token when one is configured.
        let read = router.group().add(middleware: ReadAuthMiddleware(server: self))
        read.get("/v1/penalties") { request, _ in await self.penalties(request) }
        read.get("/v1/rules") { _, _ in self.rules() }
        read.get("/metrics") { _, _ in
            Self.text(.ok, self.metrics.text(ruleSet: self.service.engine.ruleSet.info), type: "text/plain; version=0.0.4")
        }
        // Admin routes: behind the admin token (off without one).
        // Admin requests (lifts, reloads, the playground) are rare and worth an audit line: info.
        let admin = router.group().add(middleware: LogRequestsMiddleware(.info)).add(middleware: AdminAuthMiddleware(server: self))
        admin.post("/v1/penalties/:id/lift") { request, context in try await self.lift(request, id: context.parameters.get("id") ?? "") }
        admin.post("/v1/rules/reload") { request, _ in try await self.reload(request) }
        // Reviewer routes: behind the reviewer token or the admin token.
        let reviewer = router.group().add(middleware: LogRequestsMiddleware(.info)).add(middleware: ReviewerAuthMiddleware(server: self))
        addReviewRoutes(read: read, reviewer: reviewer, admin: admin)
        addDraftRoutes(read: read, admin: admin)
        addAccountRoutes(read: read)
        addBacktestRoutes(read: read, admin: admin)
        if configuration.console {
            router.get("/console") { _, _ in Self.text(.ok, ServedFiles.console, type: "text/html; charset=utf-8") }
        }
        if configuration.playground {
            router.get("/playground") { _, _ in Self.text(.ok, ServedFiles.playground, type: "text/html; charset=utf-8") }
            admin.post("/v1/playground") { request, _ in try await self.playground(request) }
        }
        // Headers are small in this API: bounded sizes keep a hostile client's header flood cheap.
        let http = HTTP1Channel.Configuration(
            idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 8 << 10, maxHeaderListSize: 32 << 10, maxHeaderFieldCount: 100))
        return Application(
            router: router,
            server: .http1(configuration: http),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "warden"),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Nil when the request carries the admin token; otherwise the 403 (no token configured,
    /// so admin routes are off) or 401 to send.
    func refusedAdmin(_ request: Request) -> Response? {
        guard let token = configuration.adminToken else {
            return Self.json(.forbidden, .object([("error", .string("admin routes are off: no admin token is configured"))]))
        }
        guard token.accepts(authorization: request.headers[.authorization]) else {
            return Self.json(.unauthorized, .object([("error", .string("admin token required: Authorization: Bearer <token>"))]))
        }
        return nil
    }

    /// The playground's sandbox: the rules and events of the request, compiled and decided
    /// apart from the live engine (`Playground`), on a thread that may block.
    func playground(_ request: Request) async throws -> Response {
        let body = try await body(of: request)
        if let bad = UTF8Validation.firstInvalidByte(body.readableBytesView) { return Self.badRequest("invalid UTF-8 at byte \(bad)") }
        let value: JSONValue
        do throws(JSONParser.Failure) {
            value = try JSONParser.parse(String(buffer: body))
        } catch {
            return Self.badRequest("not valid JSON at column \(error.column): \(error.message)")
        }
        let sandbox: Playground.Request
        do throws(EventError) {
            sandbox = try Playground.request(from: value)
        } catch {
            return Self.badRequest(error.message, key: error.key)
        }
        let files = service.engine.ruleSet.sources
        guard playgroundGate.enter() else {
            return Self.json(.tooManyRequests, .object([("error", .string("the playground is busy with other requests; try again"))]))
        }
        defer { playgroundGate.leave() }
        let answer = try await (playgroundPool ?? NIOThreadPool.singleton).runIfActive {
            Playground.run(sandbox, files: files, now: Date().timeIntervalSince1970)
        }
        return Self.raw(.ok, answer)
    }

    /// Nil when a read route may answer: no read token is configured, or the request carries it
    /// or the admin token; otherwise the 401 to send.
    func readable(_ request: Request) -> Response? {
        guard let read = configuration.readToken else { return nil }
        let header = request.headers[.authorization]
        if read.accepts(authorization: header) || configuration.adminToken?.accepts(authorization: header) == true
            || configuration.reviewerToken?.accepts(authorization: header) == true
        {
            return nil
        }
        return Self.json(.unauthorized, .object([("error", .string("read token required: Authorization: Bearer <token>"))]))
    }

    /// Runs a handler and turns its errors into JSON answers (the metrics middleware does this
    /// for every route).
    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch is NIOTooManyBytesError {
            return Self.json(.contentTooLarge, .object([("error", .string("request body over \(configuration.bodyLimit) bytes"))]))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return Self.json(.contentTooLarge, .object([("error", .string("request body over \(configuration.bodyLimit) bytes"))]))
        } catch is RequestTimeout {
            var answer = Self.json(
                .requestTimeout, .object([("error", .string("request body not received within \(configuration.requestTimeout) s"))]))
            answer.headers[.connection] = "close"
            return answer
        } catch is HTTPParserError {
            // A broken chunk size or framing is the client's fault: 400, without the parser's words.
            return Self.badRequest("malformed HTTP request body")
        } catch let error as HTTPError {
            return Self.json(error.status, .object([("error", .string(error.body ?? error.status.reasonPhrase))]))
        } catch {
            return Self.json(.internalServerError, .object([("error", .string("\(error)"))]))
        }
    }

    /// Logs when the shared counter state or the penalty ledger fails and when it works again
    /// (once each per outage, not per request).
    func noteState(_ decision: Decision) {
        let skipped = service.skippedLedgerRecords
        if skipped > 0, let newly = skippedLogged.advance(to: skipped) {
            logger.error(
                "penalty records in the store that do not read were skipped (out-of-range numbers or missing fields; see warden_ledger_records_skipped_total)",
                metadata: ["new": .stringConvertible(newly), "total": .stringConvertible(skipped)])
        }
        if decision.penalties.contains(where: { $0.action == .review }) {
            if decision.caseID == nil, let review = service.review, review.openCaseCount >= review.maxOpenCases {
                if !queueFull.exchange(true) {
                    logger.error(
                        "review queue full: no case is opened until reviewers resolve some (see warden_review_cases_refused_total)",
                        metadata: ["open": .stringConvertible(review.openCaseCount), "max": .stringConvertible(review.maxOpenCases)])
                }
            } else if decision.caseID != nil, queueFull.exchange(false) {
                logger.notice("review queue has room again; cases are opened")
            }
        }
        if decision.ledgerFailed {
            if !ledgerDown.exchange(true) {
                logger.error(
                    "penalty ledger write failed; answers leave the penalty out, on_state_error decides",
                    metadata: [
                        "error": .string(decision.warnings.first ?? ""), "policy": .string(decision.ruleset.onStateError.rawValue),
                    ])
            }
        } else if decision.penalties.contains(where: { $0.id != nil }), ledgerDown.exchange(false) {
            logger.notice("penalty ledger writes work again")
        }
        guard decision.stateUnavailable else {
            if stateDown.exchange(false) { logger.notice("counter state reachable again") }
            return
        }
        if !stateDown.exchange(true) {
            logger.error(
                "counter state unreachable; on_state_error decides",
                metadata: [
                    "error": .string(decision.warnings.first ?? ""), "policy": .string(decision.ruleset.onStateError.rawValue),
                ])
        }
    }

    // MARK: routes

    /// The request's body, read within `requestTimeout`: a client that trickles a byte now and
    /// then resets the idle timeout each time, so the whole body gets a deadline of its own.
    func body(of request: Request) async throws -> ByteBuffer {
        let limit = configuration.bodyLimit
        let deadline = configuration.requestTimeout
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                var copy = request
                return try await copy.collectBody(upTo: limit)
            }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(deadline * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else { throw RequestTimeout() }
            return body
        }
    }

    struct RequestTimeout: Error {}

    func check(_ request: Request) async throws -> Response {
        let body = try await body(of: request)
        if let bad = UTF8Validation.firstInvalidByte(body.readableBytesView) {
            return Self.badRequest("invalid UTF-8 at byte \(bad)")
        }
        let text = String(buffer: body)
        // Only the four spellings: anything else (`TRUE`, `yes`, a bare `?dry_run`) is a mistake
        // that must not commit real penalties.
        let dryRun: Bool
        switch request.uri.queryParameters["dry_run"].map(String.init) {
        case nil, "false", "0": dryRun = false
        case "true", "1": dryRun = true
        case let other?: return Self.badRequest("dry_run is true, false, 1 or 0, not '\(other)'", key: "dry_run")
        }
        let value: JSONValue
        do throws(JSONParser.Failure) {
            value = try JSONParser.parse(text)
        } catch {
            return Self.badRequest("not valid JSON at column \(error.column): \(error.message)")
        }
        let decoder = EventDecoder(strict: configuration.strictEvents)
        let received = service.now()
        if case .array(let items)? = value["events"] {
            var events: [Event] = []
            var unknown: [[String]] = []
            for (index, item) in items.enumerated() {
                do throws(EventError) {
                    let decoded = try decoder.decode(item)
                    if let refused = service.futureError(decoded.event) { throw refused }
                    events.append(decoded.event)
                    unknown.append(decoded.unknownKeys)
                } catch {
                    return Self.badRequest(error.message, key: error.key, index: index)
                }
            }
            let batch = events
            var decisions = try await settled { try await run { [service] in service.check(batch, dryRun: dryRun) } }
            for k in decisions.indices { noteUnknownKeys(unknown[k], in: &decisions[k]) }
            if !dryRun {
                decisions.forEach(metrics.decision)
                if let archive = configuration.archive {
                    for event in batch { archive.append(event, ts: event.ts ?? received, received: received) }
                }
            }
            decisions.forEach(noteState)
            return Self.raw(.ok, "{\"decisions\":[" + decisions.map(\.json).joined(separator: ",") + "]}")
        }
        let decoded: EventDecoder.Decoded
        do throws(EventError) {
            decoded = try decoder.decode(value)
            if let refused = service.futureError(decoded.event) { throw refused }
        } catch {
            return Self.badRequest(error.message, key: error.key)
        }
        let event = decoded.event
        var decision = try await settled { try await run { [service] in [service.check(event, dryRun: dryRun)] } }[0]
        noteUnknownKeys(decoded.unknownKeys, in: &decision)
        if !dryRun {
            metrics.decision(decision)
            configuration.archive?.append(event, ts: event.ts ?? received, received: received)
        }
        noteState(decision)
        return Self.raw(.ok, decision.json)
    }

    /// Unknown top-level keys were ignored: a typo (`devce`, `IP`) silently switches rules off,
    /// so the decision says so, with the key meant when one is close, and a metric counts them.
    func noteUnknownKeys(_ keys: [String], in decision: inout Decision) {
        guard !keys.isEmpty else { return }
        metrics.unknownKeys(keys.count)
        let named = keys.prefix(5).map { key -> String in
            let shown = key.count > 40 ? String(key.prefix(40)) + "…" : key
            let meant = Vocabulary.eventKeys.first { $0 == key.lowercased() } ?? Suggestion.closest(to: key, in: Vocabulary.eventKeys)
            return "'\(shown)'" + (meant.map { " (did you mean '\($0)'?)" } ?? "")
        }
        let more = keys.count > 5 ? " and \(keys.count - 5) more" : ""
        decision.warnings.append(
            "unknown event key\(keys.count == 1 ? "" : "s") \(named.joined(separator: ", "))\(more) ignored; free-form data goes in attrs (serve --strict-events refuses them)"
        )
    }

    /// Runs checks and, when the ledger commits behind them, answers only once every write they
    /// made or read is durable, without what failed (`DeferredDurability.settle`).
    func settled(_ check: () async throws -> [Decision]) async rethrows -> [Decision] {
        guard let ledger = service.deferredLedger else { return try await check() }
        let from = ledger.settledSequence
        return await ledger.settle(try await check(), checkedAfter: from)
    }

    func penalties(_ request: Request) async -> Response {
        // What is listed is durable: the writes applied so far settle first.
        if let ledger = service.deferredLedger { await ledger.settled(through: ledger.appliedSequence) }
        let query = request.uri.queryParameters
        let target: (TargetKind, String)
        if let account = query["account"] {
            target = (.account, String(account))
        } else if let code = query["code"] {
            target = (.code, String(code))
        } else {
            return penaltyListing(request)
        }
        let records = service.penalties(targetKind: target.0, target: target.1)
        return Self.json(.ok, .object([("penalties", .array(records.map(Self.record)))]))
    }

    func lift(_ request: Request, id: String) async throws -> Response {
        let text = String(buffer: try await body(of: request))
        guard !text.isEmpty, let body = try? JSONParser.parse(text), case .object = body else {
            return Self.badRequest("a lift needs a reason: {\"reason\": \"…\"}", key: "reason")
        }
        guard let r = body["reason"]?.stringValue, !r.isEmpty else {
            return Self.badRequest("a lift needs a reason: {\"reason\": \"…\"}", key: "reason")
        }
        // A reason is one line of text: a line break or an escape sequence in it would forge
        // lines of the log it is written to.
        if let problem = ReviewText.problem(r, limit: ReviewText.maxReason, what: "a reason") {
            return Self.badRequest(problem, key: "reason")
        }
        let reason = r
        let by = try actor(request, body)
        // The lift's write commits (an fsync with SQLite, a round trip with Redis): off the
        // cooperative threads.
        let (service, liftReason) = (self.service, reason)
        let outcome: Result<PenaltyRecord?, LedgerError> = try await NIOThreadPool.singleton.runIfActive {
            do throws(LedgerError) { return .success(try service.lift(id: id, reason: liftReason, by: by)) } catch {
                return .failure(error)
            }
        }
        let lifted: PenaltyRecord?
        do throws(LedgerError) {
            lifted = try outcome.get()
        } catch {
            metrics.ledgerFailure()
            logger.error("penalty lift not stored", metadata: ["id": .string(id), "error": .string(error.message)])
            return Self.json(.serviceUnavailable, .object([("error", .string("the lift was not stored: \(error.message)"))]))
        }
        guard let record = lifted else {
            return Self.json(.notFound, .object([("error", .string("no penalty \(id)"))]))
        }
        // A second lift changes nothing: the log says so, with the reason that is stored.
        let stored = record.lifted?.reason ?? reason
        logger.info(
            stored == reason ? "penalty lifted" : "penalty already lifted",
            metadata: ["id": .string(id), "reason": .string(stored), "by": .string(by)])
        return Self.json(.ok, Self.record(record))
    }

    func rules() -> Response {
        let rs = service.engine.ruleSet
        let rules: [JSONValue] = rs.rules.map { rule in
            var pairs: [(String, JSONValue)] = [("name", .string(rule.name))]
            if let d = rule.description { pairs.append(("description", .string(d))) }
            pairs.append(("tags", .array(rule.tags.map(JSONValue.string))))
            pairs.append(("mode", .string(rule.shadow ? "shadow" : "enforce")))
            if let r = rule.rollout { pairs.append(("rollout", .number(Double(r)))) }
            return .object(pairs)
        }
        var info: [(String, JSONValue)] = [("name", .string(rs.info.name))]
        if let v = rs.info.version { info.append(("version", .string(v))) }
        info += [
            ("digest", .string(rs.info.digest)), ("timezone", .string(rs.info.timezone)),
            ("reward_tiers", .array(rs.info.rewardTiers.map { .int($0) })), ("rules", .array(rules)),
            ("live_lists", .array(rs.liveLists.map { .string($0.name) })),
        ]
        return Self.json(.ok, .object(info))
    }

    /// A reload compiles the rule set (seconds with large lists): on NIO's blocking pool, not on
    /// the cooperative threads that answer every other request.
    func reload(_ request: Request) async throws -> Response {
        let body = try await object(of: request)
        let by = try actor(request, body)
        let reason = try Self.text(body, "reason", optional: true)
        let service = self.service
        let result = try await NIOThreadPool.singleton.runIfActive { service.reload(by: by, reason: reason.isEmpty ? "reload" : reason) }
        noteReload(result, by: by)
        return Self.json(result.accepted ? .ok : .unprocessableContent, Self.reloadJSON(result))
    }

    package func reloadFromSignal() {
        noteReload(service.reload(by: "SIGHUP", reason: "reload on SIGHUP"), by: "SIGHUP")
    }

    /// One log line a reload, the same from the route and from SIGHUP: old and new digest and
    /// who asked; a refusal with its first errors on that one line.
    func noteReload(_ result: WardenService.Reload, by: String) {
        metrics.reload(accepted: result.accepted)
        if result.accepted {
            logger.info(
                "rules reloaded",
                metadata: [
                    "digest": .string(result.digest), "previous": .string(result.previousDigest ?? ""), "by": .string(by),
                    "counters_reset": .stringConvertible(result.countersReset.count),
                ])
        } else {
            let errors = result.diagnostics.filter { $0.severity == .error }
            let shown = errors.prefix(3).map { d in
                [d.file, d.location.map { "\($0.line):\($0.column)" }].compactMap { $0 }.joined(separator: ":") + " " + d.message
            }
            logger.error(
                "reload refused; the old rule set keeps serving",
                metadata: [
                    "by": .string(by), "errors": .stringConvertible(errors.count),
                    "first": .string(shown.joined(separator: " | ") + (errors.count > 3 ? " | …" : "")),
                ])
        }
    }

    // MARK: JSON answers

    static func reloadJSON(_ r: WardenService.Reload) -> JSONValue {
        .object([
            ("accepted", .bool(r.accepted)), ("digest", .string(r.digest)),
            ("counters_kept", .number(Double(r.countersKept))), ("counters_reset", .array(r.countersReset.map(JSONValue.string))),
            ("diagnostics", .array(r.diagnostics.map(\.jsonValue))),
        ])
    }

    static func record(_ r: PenaltyRecord) -> JSONValue { r.jsonValue }

    static func badRequest(_ message: String, key: String? = nil, index: Int? = nil) -> Response {
        var pairs: [(String, JSONValue)] = [("error", .string(message))]
        if let key { pairs.append(("key", .string(key))) }
        if let index { pairs.append(("index", .number(Double(index)))) }
        return json(.badRequest, .object(pairs))
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var w = JSONWriter()
        w.value(value)
        return raw(status, w.output)
    }

    static func raw(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, type: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Whether the last decision was taken without the counter state.
final class StateFlag: Sendable {
    private let down = Atomic<Bool>(false)
    func exchange(_ value: Bool) -> Bool { down.exchange(value, ordering: .relaxed) }
}
