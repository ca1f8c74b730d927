import Foundation
import Hummingbird
import WardenEngine

/// Drafts and their approval: `POST /v1/rules/drafts` stores a candidate rule set with its lint
/// result and what it would decide differently on the events sent with it;
/// `POST /v1/rules/drafts/{id}/approve` publishes it (by another actor with
/// `--require-approval`).
extension WardenServer {
    func addDraftRoutes(read: RouterGroup<BasicRequestContext>, admin: RouterGroup<BasicRequestContext>) {
        read.get("/v1/rules/drafts") { _, _ in try self.drafts() }
        read.get("/v1/rules/drafts/:id") { _, context in try self.draft(context.parameters.get("id") ?? "") }
        admin.post("/v1/rules/drafts") { request, _ in try await self.createDraft(request) }
        admin.post("/v1/rules/drafts/:id/approve") { request, context in
            try await self.approve(request, id: context.parameters.get("id") ?? "")
        }
    }

    func drafts() throws -> Response {
        let review = try reviewStore()
        return Self.json(.ok, .object([("drafts", .array(review.drafts().reversed().map { $0.jsonValue(withFiles: false) }))]))
    }

    func draft(_ id: String) throws -> Response {
        let review = try reviewStore()
        guard let draft = review.draft(id: id) else { return Self.json(.notFound, .object([("error", .string("no draft \(id)"))])) }
        return Self.json(.ok, draft.jsonValue(withFiles: true))
    }

    func createDraft(_ request: Request) async throws -> Response {
        _ = try reviewStore()
        let body = try await object(of: request)
        guard case .object(let files)? = body["files"], !files.isEmpty else {
            throw HTTPError(
                .badRequest, message: "'files' is an object of path → text (null removes a file), such as {\"30-fraud.rules\": \"…\"}")
        }
        var changes: [String: String?] = [:]
        for (path, text) in files {
            if text == .null {
                changes[path] = .some(nil)
            } else if let t = text.stringValue {
                changes[path] = t
            } else {
                throw HTTPError(.badRequest, message: "'files.\(path)' is a string or null")
            }
        }
        var events: [Event] = []
        if let given = body["events"] {
            guard let items = given.arrayValue else { throw HTTPError(.badRequest, message: "'events' is an array of events") }
            guard items.count <= WardenService.maxDraftEvents else {
                throw HTTPError(.badRequest, message: "'events' holds \(items.count) events; the limit is \(WardenService.maxDraftEvents)")
            }
            let decoder = EventDecoder()
            for (i, item) in items.enumerated() {
                do throws(EventError) {
                    events.append(try decoder.decode(item).event)
                } catch {
                    return Self.badRequest("events[\(i)]: \(error.message)", key: error.key, index: i)
                }
            }
        }
        let (by, reason) = (try actor(request, body), try Self.text(body, "reason"))
        let (service, given, edits) = (self.service, events, changes)
        let result = try await blocking { () throws(ReviewError) in
            try service.createDraft(changes: edits, events: given, by: by, reason: reason)
        }
        switch result {
        case .failure(let error): return Self.reviewError(error)
        case .success(let draft):
            logger.info(
                "draft stored", metadata: ["draft": .string(draft.id), "by": .string(by), "errors": .stringConvertible(draft.hasErrors)])
            return Self.json(draft.hasErrors ? .unprocessableContent : .created, draft.jsonValue(withFiles: false))
        }
    }

    func approve(_ request: Request, id: String) async throws -> Response {
        _ = try reviewStore()
        let body = try await object(of: request)
        let (by, reason) = (try actor(request, body), try Self.text(body, "reason", optional: true))
        let (service, second) = (self.service, configuration.requireApproval)
        let result = try await blocking { () throws(ReviewError) in
            try service.approve(draft: id, by: by, reason: reason.isEmpty ? "draft \(id) approved" : reason, requireSecondActor: second)
        }
        switch result {
        case .failure(let error): return Self.reviewError(error)
        case .success(let (draft, reload)):
            metrics.reload(accepted: reload.accepted)
            if reload.accepted {
                logger.info("draft published", metadata: ["draft": .string(id), "digest": .string(reload.digest), "by": .string(by)])
            }
            var pairs: [(String, JSONValue)] = [("draft", draft.jsonValue(withFiles: false))]
            if case .object(let r) = Self.reloadJSON(reload) { pairs += r }
            return Self.json(reload.accepted ? .ok : .unprocessableContent, .object(pairs))
        }
    }
}
