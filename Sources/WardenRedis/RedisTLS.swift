/// TLS settings for `rediss://` (`RedisTLSTunnel`): the server's certificate is checked against
/// the system's roots, or against the CA in `caFile` for a private CA (`--redis-ca-file`,
/// `WARDEN_REDIS_CA_FILE`).
public struct RedisTLS: Sendable, Equatable {
    public var caFile: String?

    public init(caFile: String? = nil) { self.caFile = caFile }
}
