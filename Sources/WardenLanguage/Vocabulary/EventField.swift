/// The keys of an event and the fields rules read: the one table the checker, the decoder's key
/// list, the runtime's accessors (`Field` in WardenEngine, an exhaustive switch), the language
/// server, docs/events.md and docs/language.md, and the OpenAPI schema (a test) follow.
public enum EventField: String, CaseIterable, Sendable {
    case id, type, ts, account, tier, channel, ip, device, to, text, code, ttl, inviter, attrs
    /// A rule-side alias for `id` (a penalty's target), not an event key.
    case message

    /// The type a rule reads; `nil` for `attrs`, which is read one attribute at a time.
    public var valueType: ValueType? {
        switch self {
        case .id, .type, .account, .tier, .channel, .ip, .device, .text, .code, .inviter, .message: .string
        case .ts: .number
        case .to: .stringList
        case .ttl: .duration
        case .attrs: nil
        }
    }

    /// Whether an event carries it (`message` is only a name in rules).
    public var isEventKey: Bool { self != .message }

    /// What an event writes there, as docs/events.md says.
    public var wire: String {
        switch self {
        case .id, .account, .channel, .device, .text, .code, .inviter, .message: "string"
        case .type: "`\"send\"`, `\"issue\"` or `\"redeem\"`"
        case .ts: "RFC 3339 string, epoch seconds (number; from 1e11 up, epoch milliseconds)"
        case .tier: "`\"personal\"`, `\"enterprise\"` or `\"third_party\"`"
        case .ip: "string (IPv4 or IPv6)"
        case .to: "array of strings"
        case .ttl: "duration string (`\"72h\"`) or seconds"
        case .attrs: "object of strings, numbers and booleans"
        }
    }

    /// When an event must carry it.
    public var required: String {
        switch self {
        case .id, .type, .account: "yes"
        case .ts: "`audit`: yes; `check` and `serve`: the wall clock when absent"
        case .to: "send"
        case .text: "send (other types: optional)"
        case .code: "issue, redeem; send: optional"
        case .tier, .channel, .ip, .device, .ttl, .inviter, .attrs, .message: "no"
        }
    }

    public var summary: String {
        switch self {
        case .id: "unique id of the event (for a send: the message id)"
        case .type: "what happened"
        case .ts: "event time; rules read it as epoch seconds"
        case .account: "the acting account (sender, code issuer, or redeemer)"
        case .tier: "the account's tier"
        case .channel: "e.g. `\"official_account\"`, `\"wework\"`, `\"api\"`"
        case .ip: "client address"
        case .device: "device fingerprint"
        case .to: "recipients"
        case .text: "message content"
        case .code: "the invite code"
        case .ttl: "issue: requested validity; rules read seconds"
        case .inviter: "redeem: the account that owns the code"
        case .attrs:
            "anything else; rules read it as `attrs.NAME` (`attrs.max_uses` on an issue makes a code single- or few-use; the default rules read `attrs.account_kind`, `personal`, `enterprise` or `leader`, and `attrs.account_age_days`: see [review.md](review.md#account-kinds))"
        case .message: "the event id, as a penalty target (`delete_content(message)`)"
        }
    }
}
