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
