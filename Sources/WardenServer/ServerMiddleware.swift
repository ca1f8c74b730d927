import Dispatch
import Hummingbird
import WardenEngine

/// The metric's `route` label of each path (the names the metrics have always had); other paths
/// (the metrics themselves, the OpenAPI document, the playground page) are not counted. Outside
/// the middleware: a generic type cannot hold a stored static.
enum RouteLabels {
    static let byPath: [String: String] = [
        "/v1/check": "check", "/v1/penalties": "penalties", "/v1/penalties/{id}/lift": "lift", "/v1/penalties/:id/lift": "lift",
        "/v1/rules": "rules", "/v1/rules/reload": "reload", "/healthz": "healthz", "/v1/playground": "playground",
        "/v1/cases": "cases", "/v1/cases/:id": "case", "/v1/cases/:id/claim": "claim", "/v1/cases/:id/resolve": "resolve",
        "/v1/cases/labels.csv": "labels_csv", "/v1/labels": "labels", "/v1/lists/:name": "list", "/v1/lists/:name/entries": "list_entries",
        "/v1/changes": "changes", "/v1/rules/history": "history", "/v1/rules/rollback": "rollback",
        "/v1/accounts/:id": "account", "/v1/accounts/:id/downline": "downline", "/v1/rules/drafts": "drafts",
        "/v1/rules/drafts/:id": "draft", "/v1/rules/drafts/:id/approve": "approve",
    ]
}

/// Times every request, turns a handler's error into its JSON answer (413, 408, 400, 500), and
/// records the route and status in the metrics: one place for what every route needs.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let server: WardenServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = await server.answer { try await next(request, context) }
        // The router names the matched route in the context (a shared box) while routing.
        if let path = context.endpointPath, let label = RouteLabels.byPath[path] {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            server.metrics.request(route: label, status: Int(response.status.code), seconds: seconds)
        }
        return response
    }
}

/// The admin routes' guard: 403 when no admin token is configured (admin routes are off), 401
/// without the token, the route otherwise.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let server: WardenServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refused = server.refusedAdmin(request) { return refused }
        return try await next(request, context)
    }
}

/// The read routes' guard: open unless a read token is configured; then it, or the admin token.
struct ReadAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let server: WardenServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refused = server.readable(request) { return refused }
        return try await next(request, context)
    }
}

/// The reviewer routes' guard: the reviewer token or the admin token; 403 when neither is
/// configured (the routes are off), 401 without one.
struct ReviewerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let server: WardenServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization]
        let (admin, reviewer) = (server.configuration.adminToken, server.configuration.reviewerToken)
        guard admin != nil || reviewer != nil else {
            return WardenServer.json(
                .forbidden, .object([("error", .string("reviewer routes are off: no reviewer or admin token is configured"))]))
        }
        guard admin?.accepts(authorization: header) == true || reviewer?.accepts(authorization: header) == true else {
            return WardenServer.json(
                .unauthorized, .object([("error", .string("reviewer or admin token required: Authorization: Bearer <token>"))]))
        }
        return try await next(request, context)
    }
}
