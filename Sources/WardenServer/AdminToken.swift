/// The admin token, compared in constant time (no early exit on the first different byte).
public struct AdminToken: Sendable {
    let bytes: [UInt8]

    public init?(_ token: String?) {
        guard let token, !token.isEmpty else { return nil }
        bytes = Array(token.utf8)
    }

    /// True when `header` is `Bearer <token>`.
    func accepts(authorization header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst(7).utf8)
        var difference = UInt8(given.count == bytes.count ? 0 : 1)
        for i in 0..<bytes.count { difference |= bytes[i] ^ (i < given.count ? given[i] : 0) }
        return difference == 0
    }
}

/// Printed, logged or dumped, the token shows as redacted: it must never reach a log line.
extension AdminToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "AdminToken(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
