import WardenLanguage

/// The event fields a rule can read, resolved at compile time to an accessor.
enum Field: Int, CaseIterable, Sendable {
    case id, type, ts, account, tier, channel, ip, device, to, text, code, ttl, inviter, message

    init?(name: String) {
        guard let field = EventField(rawValue: name) else { return nil }
        self.init(field)
    }

    /// The accessor of a field of the language's table; `nil` for `attrs` (read per attribute).
    init?(_ field: EventField) {
        switch field {
        case .id: self = .id
        case .type: self = .type
        case .ts: self = .ts
        case .account: self = .account
        case .tier: self = .tier
        case .channel: self = .channel
        case .ip: self = .ip
        case .device: self = .device
        case .to: self = .to
        case .text: self = .text
        case .code: self = .code
        case .ttl: self = .ttl
        case .inviter: self = .inviter
        case .message: self = .message
        case .attrs: return nil
        }
    }

    /// The field's name in the language (a table: string interpolation of an enum goes through
    /// reflection, which showed in profiles).
    var name: String { Self.names[rawValue] }

    private static let names = [
        "id", "type", "ts", "account", "tier", "channel", "ip", "device", "to", "text", "code", "ttl", "inviter", "message",
    ]

    func value(of e: Event, now: Double) -> Value {
        func s(_ v: String?) -> Value { v.map(Value.string) ?? .null }
        switch self {
        case .id, .message: return .string(e.id)
        case .type: return .string(e.type.rawValue)
        case .ts: return .number(e.ts ?? now)
        case .account: return .string(e.account)
        case .tier: return s(e.tier)
        case .channel: return s(e.channel)
        case .ip: return s(e.ip)
        case .device: return s(e.device)
        case .to: return e.to.map(Value.strings) ?? .null
        case .text: return s(e.text)
        case .code: return s(e.code)
        case .ttl: return e.ttl.map(Value.number) ?? .null
        case .inviter: return s(e.inviter)
        }
    }
}

/// Where a text comes from: a field as written, or its folded form (`normalize(field)`).
/// Slots index per-event caches and the regex prefilters.
enum TextSlot {
    static var count: Int { 2 * Field.allCases.count }
    static func raw(_ f: Field) -> Int { f.rawValue }
    static func normalized(_ f: Field) -> Int { Field.allCases.count + f.rawValue }
    static func field(_ slot: Int) -> Field { Field(rawValue: slot % Field.allCases.count)! }
    static func isNormalized(_ slot: Int) -> Bool { slot >= Field.allCases.count }
}

/// A (model, field) pair: indexes the per-event cache of model scores.
enum ModelSlot {
    static func slot(model: Int, field: Field) -> Int { model * Field.allCases.count + field.rawValue }
    static func count(models: Int) -> Int { models * Field.allCases.count }
    static func model(_ slot: Int) -> Int { slot / Field.allCases.count }
    static func field(_ slot: Int) -> Field { Field(rawValue: slot % Field.allCases.count)! }
}
