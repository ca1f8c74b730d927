/// The admin token, compared in constant time (no early exit on the first different byte).
package struct AdminToken: Sendable {
    let bytes: [UInt8]

    /// Nil for no token. A token that is empty or all white space is refused by the caller
    /// (`isUsable`), never taken as "no token".
    package init?(_ token: String?) {
        guard let token, !token.isEmpty else { return nil }
        bytes = Array(token.utf8)
    }

    /// Whether `token` can serve as a token: not empty, not only white space.
    package static func isUsable(_ token: String) -> Bool {
        token.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// True when `header` is `Bearer <token>` (the scheme in any case, RFC 9110 §11.1).
    func accepts(authorization header: String?) -> Bool {
        guard let header, header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        let given = Array(header.utf8.dropFirst(7))
        var difference = UInt8(given.count == bytes.count ? 0 : 1)
        for i in 0..<bytes.count { difference |= bytes[i] ^ (i < given.count ? given[i] : 0) }
        return difference == 0
    }
}

/// Printed, logged or dumped, the token shows as redacted: it must never reach a log line.
extension AdminToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "AdminToken(redacted)" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
