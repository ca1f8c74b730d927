/// How large an event may be. Events come from the network and from logs an attacker can
/// write into; each bound keeps one event from costing more than a bounded amount of memory
/// and matching time, and an event over a bound is refused with an error naming the key (the
/// other events go on). Defaults leave a wide margin over real traffic: an invite message is a
/// few hundred bytes with a handful of recipients.
public struct EventLimits: Sendable, Equatable {
    /// One event's JSON (a log line, a CSV record, one item of a request).
    public var maxEventBytes = 1 << 20
    /// `text`, in UTF-8 bytes.
    public var maxTextBytes = 65_536
    /// Elements of `to`.
    public var maxRecipients = 1_000
    /// Any other string (`id`, `account`, `code`, `device`, `channel`, `inviter`, recipients,
    /// attribute values), in UTF-8 bytes.
    public var maxStringBytes = 1_024
    /// Keys of `attrs`.
    public var maxAttributes = 64

    public init() {}

    public static let `default` = EventLimits()
}
