import Foundation

/// Who Warden is to Redis (`AUTH [user] password`, Redis 6 ACLs or `requirepass`): the user from
/// the state URL (`redis://USER@HOST:PORT`), the password from a file, never from the URL or a
/// command line (both end up in process lists and logs).
public struct RedisCredentials: Sendable, Equatable {
    public var user: String?
    public var password: String

    public init(user: String?, password: String) {
        self.user = user
        self.password = password
    }

    /// The password in `path` (its first line), or an error naming the file.
    public static func password(fromFile path: String) throws(RedisError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw RedisError("cannot read the password file '\(path)'") }
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { throw RedisError("the password file '\(path)' is empty") }
        return line
    }

    /// The password from `--redis-password-file`, else `WARDEN_REDIS_PASSWORD_FILE`, else
    /// `WARDEN_REDIS_PASSWORD`; nil when none is given.
    public static func password(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(RedisError)
        -> String?
    {
        if let file { return try password(fromFile: file) }
        if let file = environment["WARDEN_REDIS_PASSWORD_FILE"], !file.isEmpty { return try password(fromFile: file) }
        if let password = environment["WARDEN_REDIS_PASSWORD"], !password.isEmpty { return password }
        return nil
    }

    /// The CA file for `rediss://`: `--redis-ca-file`, else `WARDEN_REDIS_CA_FILE`; nil for the
    /// system's roots.
    public static func caFile(_ file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let file { return file }
        if let file = environment["WARDEN_REDIS_CA_FILE"], !file.isEmpty { return file }
        return nil
    }

    /// The `AUTH` command.
    var command: [String] { ["AUTH"] + (user.map { [$0] } ?? []) + [password] }
}
