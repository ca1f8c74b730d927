/// The pages and documents the server sends as they are: resources of this module
/// (`Resources/`), embedded in the binary by SwiftPM (`.embedInCode` in Package.swift), so a
/// release is still one file.
enum ServedFiles {
    /// The playground page (`GET /playground` on `warden serve --playground`): one self-contained
    /// HTML file, no external assets. It holds nothing secret; what it sends goes to
    /// `POST /v1/playground`, which needs the admin token (typed into the page, kept for the tab).
    static let playground = String(decoding: PackageResources.playground_html, as: UTF8.self)
    /// The OpenAPI 3.1 document of the HTTP API, served at `/openapi.json`: written by
    /// scripts/make-openapi.py with docs/openapi.json (a test checks they are the same).
    /// The review console (`GET /console` on `warden serve --console`): one self-contained page
    /// that works the review loop's routes with a token typed into it.
    static let console = String(decoding: PackageResources.console_html, as: UTF8.self)
    static let openAPI = String(decoding: PackageResources.openapi_json, as: UTF8.self)
}
