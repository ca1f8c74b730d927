import Foundation
import Hummingbird
import NIOPosix
import WardenEngine

/// The review loop's routes (SPEC §9): cases, labels, live list entries, the change log, the
/// rule-set history and rollback. Changes name their actor (`by`, the caller's role by default)
/// and a one-line reason, and go to the change log through the service.
extension WardenServer {
    func addReviewRoutes(
        read: RouterGroup<BasicRequestContext>, reviewer: RouterGroup<BasicRequestContext>, admin: RouterGroup<BasicRequestContext>
    ) {
        read.get("/v1/cases") { request, _ in try await self.cases(request) }
        read.get("/v1/cases/labels.csv") { request, _ in try await self.labelsCSV(request) }
        read.get("/v1/cases/:id") { _, context in try await self.reviewCase(context.parameters.get("id") ?? "") }
        reviewer.post("/v1/cases/:id/claim") { request, context in try await self.claim(request, id: context.parameters.get("id") ?? "") }
        reviewer.post("/v1/cases/:id/resolve") { request, context in
            try await self.resolve(request, id: context.parameters.get("id") ?? "")
        }
        read.get("/v1/labels") { request, _ in try await self.labels(request) }
        reviewer.post("/v1/labels") { request, _ in try await self.addLabel(request) }
        reviewer.delete("/v1/labels") { request, _ in try await self.removeLabel(request) }
        read.get("/v1/lists/:name") { _, context in try await self.liveList(context.parameters.get("name") ?? "") }
        reviewer.post("/v1/lists/:name/entries") { request, context in
            try await self.addEntry(request, list: context.parameters.get("name") ?? "")
        }
        reviewer.delete("/v1/lists/:name/entries") { request, context in
            try await self.removeEntry(request, list: context.parameters.get("name") ?? "")
        }
        read.get("/v1/changes") { request, _ in try await self.changes(request) }
        read.get("/v1/rules/history") { _, _ in try await self.history() }
        admin.post("/v1/rules/rollback") { request, _ in try await self.rollback(request) }
    }

    // MARK: helpers

    /// The review store, or the 503 that says this server keeps none.
    func reviewStore() throws -> any ReviewStore {
        guard let review = service.review else {
            throw HTTPError(.serviceUnavailable, message: "this server keeps no review loop (its state has none)")
        }
        return review
    }

    static func reviewError(_ error: ReviewError) -> Response {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalid: .badRequest
            case .unavailable: .serviceUnavailable
            }
        return json(status, .object([("error", .string(error.message))]))
    }

    /// A JSON object body (an empty body is an empty object).
    func object(of request: Request) async throws -> JSONValue {
        let text = String(buffer: try await body(of: request))
        if text.allSatisfy(\.isWhitespace) { return .object([]) }
        guard let value = try? JSONParser.parse(text), case .object = value else {
            throw HTTPError(.badRequest, message: "the body is a JSON object")
        }
        return value
    }

    /// Who is acting: `by` from the body when given, else the caller's role.
    func actor(_ request: Request, _ body: JSONValue) throws -> String {
        if let by = body["by"] {
            guard let name = by.stringValue else { throw HTTPError(.badRequest, message: "'by' is a string") }
            if let problem = ReviewText.problem(name, limit: ReviewText.maxName, what: "'by'") {
                throw HTTPError(.badRequest, message: problem)
            }
            return name
        }
        return role(of: request)
    }

    /// `admin`, `reviewer`, `reader` or `anonymous`: the token the request carries.
    func role(of request: Request) -> String {
        let header = request.headers[.authorization]
        if configuration.adminToken?.accepts(authorization: header) == true { return "admin" }
        if configuration.reviewerToken?.accepts(authorization: header) == true { return "reviewer" }
        if configuration.readToken?.accepts(authorization: header) == true { return "reader" }
        return "anonymous"
    }

    /// A one-line text under `key`: required unless `optional`.
    static func text(_ body: JSONValue, _ key: String, limit: Int = ReviewText.maxReason, optional: Bool = false) throws -> String {
        guard let value = body[key], value != .null else {
            if optional { return "" }
            throw HTTPError(.badRequest, message: "'\(key)' is required")
        }
        guard let s = value.stringValue else { throw HTTPError(.badRequest, message: "'\(key)' is a string") }
        if let problem = ReviewText.problem(s, limit: limit, what: "'\(key)'", empty: optional) {
            throw HTTPError(.badRequest, message: problem)
        }
        return s
    }

    /// `expires`: null, a duration from now (`30d`) or an RFC 3339 time.
    func expiry(_ body: JSONValue) throws -> Double? {
        guard let value = body["expires"], value != .null else { return nil }
        guard let s = value.stringValue else {
            throw HTTPError(.badRequest, message: "'expires' is a duration such as \"30d\", a time, or null")
        }
        if let d = Timestamp.parseDuration(s), d > 0 { return service.now() + d }
        if let t = Timestamp.parse(s) { return t }
        throw HTTPError(.badRequest, message: "'expires': \"\(s)\" is neither a duration such as \"30d\" nor an RFC 3339 time")
    }

    /// Runs a store call that may wait for a commit off the cooperative threads.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(ReviewError) -> T) async throws -> Result<T, ReviewError> {
        try await NIOThreadPool.singleton.runIfActive {
            do throws(ReviewError) { return .success(try body()) } catch { return .failure(error) }
        }
    }

    func respond<T: Sendable>(_ result: Result<T, ReviewError>, _ body: (T) -> JSONValue) -> Response {
        switch result {
        case .success(let value): Self.json(.ok, body(value))
        case .failure(let error): Self.reviewError(error)
        }
    }

    static func time(_ query: [String: String], _ key: String) throws -> Double? {
        guard let text = query[key] else { return nil }
        if let t = Timestamp.parse(text) { return t }
        if let n = Double(text), n.isFinite { return n }
        throw HTTPError(.badRequest, message: "'\(key)': \"\(text)\" is not an RFC 3339 time or epoch seconds")
    }

    static func query(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { out[String(k)] = String(v) }
        return out
    }

    static func limit(_ query: [String: String], default value: Int, max: Int) throws -> Int {
        guard let text = query["limit"] else { return value }
        guard let n = Int(text), n >= 1, n <= max else { throw HTTPError(.badRequest, message: "'limit' takes 1 to \(max)") }
        return n
    }

    // MARK: cases

    func cases(_ request: Request) async throws -> Response {
        let review = try reviewStore()
        let q = Self.query(request)
        var query = CaseQuery()
        if let s = q["status"] {
            guard let status = ReviewCase.Status(rawValue: s) else {
                throw HTTPError(.badRequest, message: "'status' takes open, claimed or resolved, not '\(s)'")
            }
            query.status = status
        }
        (query.rule, query.tag, query.account, query.after) = (q["rule"], q["tag"], q["account"], q["after"])
        query.since = try Self.time(q, "since")
        query.limit = try Self.limit(q, default: 50, max: 1_000)
        let now = service.now()
        let result = await settledReads { Result { () throws(ReviewError) in try review.cases(query, at: now) } }
        return respond(result) { page in
            .object([("cases", .array(page.cases.map { $0.jsonValue(at: now) })), ("next", page.next.map(JSONValue.string) ?? .null)])
        }
    }

    /// Reads after the writes applied so far are durable (a case opened by a check that has
    /// not answered yet is not listed before its commit).
    func settledReads<T>(_ body: () -> T) async -> T {
        if let ledger = service.deferredLedger { await ledger.settled(through: ledger.appliedSequence) }
        return body()
    }

    func reviewCase(_ id: String) async throws -> Response {
        let review = try reviewStore()
        let now = service.now()
        let found = await settledReads { Result { () throws(ReviewError) in try review.reviewCase(id: id) } }
        switch found {
        case .success(let c?): return Self.json(.ok, c.jsonValue(at: now))
        case .success(nil): return Self.json(.notFound, .object([("error", .string("no case \(id)"))]))
        case .failure(let error): return Self.reviewError(error)
        }
    }

    func claim(_ request: Request, id: String) async throws -> Response {
        _ = try reviewStore()
        let body = try await object(of: request)
        let by = try actor(request, body)
        var lease = WardenService.defaultLease
        if let l = body["lease"] {
            guard let text = l.stringValue, let d = Timestamp.parseDuration(text), d > 0, d <= 86_400 else {
                throw HTTPError(.badRequest, message: "'lease' is a duration up to 1d such as \"10m\"")
            }
            lease = d
        }
        let (service, chosen) = (self.service, lease)
        let result = try await blocking { () throws(ReviewError) in try service.claim(case: id, by: by, lease: chosen) }
        if case .success = result { logger.info("case claimed", metadata: ["case": .string(id), "by": .string(by)]) }
        let now = service.now()
        return respond(result) { $0.jsonValue(at: now) }
    }

    func resolve(_ request: Request, id: String) async throws -> Response {
        _ = try reviewStore()
        let body = try await object(of: request)
        let by = try actor(request, body)
        guard let o = body["outcome"]?.stringValue, let outcome = ReviewCase.Outcome(rawValue: o) else {
            throw HTTPError(.badRequest, message: "'outcome' is \"confirm\" or \"overturn\"")
        }
        let label = try Self.text(body, "label", limit: ReviewText.maxName, optional: true)
        if label.contains(where: { $0 == "," || $0.isWhitespace }) {
            throw HTTPError(.badRequest, message: "'label' is one word (a training label such as spam, fraud or ham)")
        }
        let note = try Self.text(body, "note", optional: true)
        let service = self.service
        let result = try await blocking { () throws(ReviewError) in
            try service.resolve(case: id, outcome: outcome, label: label, note: note, by: by)
        }
        if case .success(let c) = result {
            logger.info(
                "case resolved",
                metadata: [
                    "case": .string(id), "outcome": .string(outcome.rawValue), "by": .string(by),
                    "lifted": .stringConvertible(c.resolution?.lifted.count ?? 0),
                ])
        }
        let now = service.now()
        return respond(result) { $0.jsonValue(at: now) }
    }

    func labelsCSV(_ request: Request) async throws -> Response {
        let review = try reviewStore()
        let since = try Self.time(Self.query(request), "since")
        let now = service.now()
        var text = ""
        let result = await settledReads {
            Result { () throws(ReviewError) in try LabelsCSV.write(from: review, since: since, at: now) { text += $0 } }
        }
        if case .failure(let error) = result { return Self.reviewError(error) }
        return Self.text(.ok, text, type: "text/csv; charset=utf-8")
    }

    // MARK: labels

    static func labelTarget(_ pairs: [(String, JSONValue)]) throws -> (EntityLabel.Kind, String) {
        guard pairs.count == 1, let (key, value) = pairs.first else {
            throw HTTPError(.badRequest, message: "'target' names one of account, code or device: {\"account\": \"u1\"}")
        }
        guard let kind = EntityLabel.Kind(rawValue: key) else {
            throw HTTPError(.badRequest, message: "labels go on an account, a code or a device, not '\(key)'")
        }
        guard let target = value.stringValue, ReviewText.problem(target, limit: 256, what: "the target") == nil else {
            throw HTTPError(.badRequest, message: "'target.\(key)' is one line of up to 256 characters")
        }
        return (kind, target)
    }

    static func labelName(_ body: JSONValue) throws -> String {
        let name = try text(body, "label", limit: 64)
        if name.contains(where: \.isWhitespace) { throw HTTPError(.badRequest, message: "'label' is one word such as trusted or farm") }
        return name
    }

    func addLabel(_ request: Request) async throws -> Response {
        _ = try reviewStore()
        let body = try await object(of: request)
        guard case .object(let pairs)? = body["target"] else {
            throw HTTPError(.badRequest, message: "'target' is required: {\"account\": \"u1\"}")
        }
        let (kind, target) = try Self.labelTarget(pairs)
        let label = EntityLabel(
            kind: kind, target: target, label: try Self.labelName(body), expires: try expiry(body), reason: try Self.text(body, "reason"),
            by: try actor(request, body), at: service.now())
        let service = self.service
        let result = try await blocking { () throws(ReviewError) in try service.addLabel(label) }
        return respond(result) { _ in label.jsonValue }
    }

    func removeLabel(_ request: Request) async throws -> Response {
        _ = try reviewStore()
        var body = try await object(of: request)
        let q = Self.query(request)
        // The target and label may come in the query (DELETE bodies are often dropped by proxies).
        if body["target"] == nil, let (kind, value) = EntityLabel.Kind.allCases.compactMap({ k in q[k.rawValue].map { (k, $0) } }).first {
            var pairs: [(String, JSONValue)] = [("target", .object([(kind.rawValue, .string(value))]))]
            for key in ["label", "reason", "by"] { if let v = q[key] { pairs.append((key, .string(v))) } }
            body = .object(pairs)
        }
        guard case .object(let pairs)? = body["target"] else {
            throw HTTPError(.badRequest, message: "'target' is required: {\"account\": \"u1\"} (or ?account=…&label=…&reason=…)")
        }
        let (kind, target) = try Self.labelTarget(pairs)
        let (label, reason, by) = (try Self.labelName(body), try Self.text(body, "reason"), try actor(request, body))
        let service = self.service
        let result = try await blocking { () throws(ReviewError) in
            try service.removeLabel(kind: kind, target: target, label: label, reason: reason, by: by)
        }
        return respond(result) { _ in .object([("removed", .bool(true))]) }
    }

    func labels(_ request: Request) async throws -> Response {
        let review = try reviewStore()
        let q = Self.query(request)
        guard let (kind, target) = EntityLabel.Kind.allCases.compactMap({ k in q[k.rawValue].map { (k, $0) } }).first else {
            throw HTTPError(.badRequest, message: "give ?account=…, ?code=… or ?device=…")
        }
        let found = review.labels(kind: kind, target: target, at: service.now())
        return Self.json(.ok, .object([("labels", .array(found.map(\.jsonValue)))]))
    }

    // MARK: live lists

    /// The live list `name` of the rule set serving now, or the 404 naming the live lists.
    func liveSpec(_ name: String) throws -> LiveListSpec {
        let live = service.engine.ruleSet.liveLists
        guard let spec = live.first(where: { $0.name == name }) else {
            let names = live.map(\.name)
            throw HTTPError(
                .notFound,
                message: "no live list '\(name)' in the rule set"
                    + (names.isEmpty ? " (declare one with list NAME(live: true) = …)" : "; live lists: \(names.joined(separator: ", "))"))
        }
        return spec
    }

    func liveList(_ name: String) async throws -> Response {
        let review = try reviewStore()
        let spec = try liveSpec(name)
        let entries = review.entries(list: name, at: service.now())
        return Self.json(
            .ok,
            .object([
                ("list", .string(name)), ("rule_set_entries", .int(spec.staticCount)), ("entries", .array(entries.map(\.jsonValue))),
                ("cap", .int(configuration.maxListEntries)),
            ]))
    }

    func addEntry(_ request: Request, list: String) async throws -> Response {
        _ = try reviewStore()
        _ = try liveSpec(list)
        let body = try await object(of: request)
        let entry = ListEntry(
            list: list, entry: try Self.text(body, "entry", limit: ReviewText.maxEntry), expires: try expiry(body),
            reason: try Self.text(body, "reason"), by: try actor(request, body), at: service.now())
        let (service, cap) = (self.service, configuration.maxListEntries)
        let result = try await blocking { () throws(ReviewError) in try service.addEntry(entry, cap: cap) }
        return respond(result) { _ in entry.jsonValue }
    }

    func removeEntry(_ request: Request, list: String) async throws -> Response {
        _ = try reviewStore()
        _ = try liveSpec(list)
        let q = Self.query(request)
        var body = try await object(of: request)
        if body["entry"] == nil, let entry = q["entry"] {
            var pairs: [(String, JSONValue)] = [("entry", .string(entry))]
            for key in ["reason", "by"] { if let v = q[key] { pairs.append((key, .string(v))) } }
            body = .object(pairs)
        }
        let (entry, reason, by) = (
            try Self.text(body, "entry", limit: ReviewText.maxEntry), try Self.text(body, "reason"), try actor(request, body)
        )
        let service = self.service
        let result = try await blocking { () throws(ReviewError) in
            try service.removeEntry(list: list, entry: entry, reason: reason, by: by)
        }
        return respond(result) { _ in .object([("removed", .bool(true))]) }
    }

    // MARK: change log and history

    func changes(_ request: Request) async throws -> Response {
        let review = try reviewStore()
        let q = Self.query(request)
        var kind: ChangeRecord.Kind?
        if let k = q["kind"] {
            guard let parsed = ChangeRecord.Kind(rawValue: k) else {
                throw HTTPError(
                    .badRequest, message: "'kind' takes \(ChangeRecord.Kind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(k)'")
            }
            kind = parsed
        }
        let found = review.changes(since: try Self.time(q, "since"), kind: kind, limit: try Self.limit(q, default: 100, max: 10_000))
        return Self.json(.ok, .object([("changes", .array(found.map(\.jsonValue)))]))
    }

    func history() async throws -> Response {
        let review = try reviewStore()
        let serving = service.engine.ruleSet.info.digest
        let versions = review.ruleSets().reversed().map { v -> JSONValue in
            guard case .object(var pairs) = v.jsonValue(withFiles: false) else { return .null }
            pairs.append(("serving", .bool(v.digest == serving)))
            return .object(pairs)
        }
        return Self.json(.ok, .object([("serving", .string(serving)), ("rule_sets", .array(Array(versions)))]))
    }

    func rollback(_ request: Request) async throws -> Response {
        _ = try reviewStore()
        let body = try await object(of: request)
        let digest = try Self.text(body, "digest", limit: 200)
        let (reason, by) = (try Self.text(body, "reason"), try actor(request, body))
        let service = self.service
        let result = try await blocking { () throws(ReviewError) in try service.rollback(to: digest, by: by, reason: reason) }
        switch result {
        case .failure(let error): return Self.reviewError(error)
        case .success(let reload):
            metrics.reload(accepted: reload.accepted)
            if reload.accepted {
                logger.info("rolled back", metadata: ["digest": .string(digest), "by": .string(by), "reason": .string(reason)])
            } else {
                logger.error("rollback refused; the rule set serving keeps serving", metadata: ["digest": .string(digest)])
            }
            return Self.json(reload.accepted ? .ok : .unprocessableContent, Self.reloadJSON(reload))
        }
    }
}
