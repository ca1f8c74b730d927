/// One Redis reply, copied out of hiredis's reply object.
public enum RedisValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case array([RedisValue])
    case null
    case status(String)
    /// An error reply (`ERR …`, `NOSCRIPT …`): the command reached the server and failed.
    case error(String)

    public var int: Int? {
        switch self {
        case .integer(let n): n
        case .string(let s): Int(s)
        default: nil
        }
    }

    public var string: String? {
        switch self {
        case .string(let s), .status(let s): s
        case .integer(let n): String(n)
        default: nil
        }
    }
}

/// Why a Redis call failed without a reply: the connection (refused, reset, timed out) or the
/// protocol. A `RedisValue.error` is a reply, not one of these.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// No reply within the timeout: the server may have run the commands.
    public var timedOut = false
    /// Redis answered and refused who we are (AUTH, NOAUTH): a configuration error, not an outage.
    public var refused = false
    public init(_ message: String, timedOut: Bool = false, refused: Bool = false) {
        self.message = message
        self.timedOut = timedOut
        self.refused = refused
    }
    public var description: String { "redis: \(message)" }
}

extension RedisError {
    /// The error for a reply that asks for a password (`NOAUTH`), or nil for any other reply.
    static func passwordRequired(by reply: RedisValue?) -> RedisError? {
        guard case .error(let message)? = reply, message.hasPrefix("NOAUTH") else { return nil }
        return RedisError("Redis asks for a password (\(message)): give --redis-password-file or WARDEN_REDIS_PASSWORD_FILE", refused: true)
    }
}
