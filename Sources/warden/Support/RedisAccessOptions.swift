import ArgumentParser

/// Who Warden is to Redis and whom it trusts: the options `serve`, `check` and `audit` share
/// (`StateOpener.Options` takes both).
struct RedisAccessOptions: ParsableArguments {
    @Option(
        name: .customLong("redis-password-file"),
        help: "A file holding the Redis password (AUTH; the user goes in the URL: redis://USER@HOST:PORT). Else WARDEN_REDIS_PASSWORD_FILE."
    )
    var passwordFile: String?

    @Option(
        name: .customLong("redis-ca-file"),
        help: "For rediss:// (TLS): the CA that signed Redis's certificate (PEM). Else WARDEN_REDIS_CA_FILE, else the system's roots.")
    var caFile: String?
}
