import WardenMatching

/// The common case of decoding, straight from the line's bytes: keys matched as bytes, values
/// parsed into the event's fields without a `JSONValue` tree or a dictionary of fields.
///
/// It accepts exactly the events the full decoder accepts and builds the same event: on anything
/// unusual — a parse error, a duplicate key, a wrong type, a limit, a missing key, strict mode
/// meeting an unknown key — it gives up and the full decoder runs, so every error keeps its exact
/// message and position.
extension EventDecoder {
    /// The keys of the format.
    enum FastKey: Int, CaseIterable {
        case id, type, ts, account, tier, channel, ip, device, to, text, code, ttl, inviter, attrs
        var name: String { "\(self)" }
    }

    /// The key named by `bytes`: its (at most eight) bytes read as one little-endian word and
    /// compared with each key's word, instead of a byte-by-byte search of the names. A JSON key
    /// read by `plainString` holds no byte below 0x20, so the zero padding cannot collide.
    static func fastKey(_ bytes: UnsafeBufferPointer<UInt8>) -> FastKey? {
        guard bytes.count <= 8 else { return nil }
        var word: UInt64 = 0
        for (k, byte) in bytes.enumerated() { word |= UInt64(byte) << UInt64(8 * k) }
        return switch word {
        case 0x6469: .id
        case 0x6570_7974: .type
        case 0x7374: .ts
        case 0x74_6E75_6F63_6361: .account
        case 0x7265_6974: .tier
        case 0x6C_656E_6E61_6863: .channel
        case 0x7069: .ip
        case 0x6563_6976_6564: .device
        case 0x6F74: .to
        case 0x7478_6574: .text
        case 0x6564_6F63: .code
        case 0x6C_7474: .ttl
        case 0x72_6574_6976_6E69: .inviter
        case 0x73_7274_7461: .attrs
        default: nil
        }
    }

    func decodeFast(_ b: UnsafeBufferPointer<UInt8>) -> Decoded? {
        var p = JSONParser(b: b)
        p.skipSpace()
        guard p.i < b.count, b[p.i] == UInt8(ascii: "{") else { return nil }
        p.i += 1
        p.depth = 1  // inside the event object, as the full parser counts
        var id: String?
        var type: Event.Kind?
        var account: String?
        var event = Event(id: "", type: .send, account: "")
        var seen: UInt16 = 0
        var unknown: [String] = []
        var attrs: [(String, JSONValue)]?
        p.skipSpace()
        if p.i < b.count, b[p.i] == UInt8(ascii: "}") { return nil }  // missing required keys
        while true {
            p.skipSpace()
            guard p.i < b.count, b[p.i] == UInt8(ascii: "\"") else { return nil }
            guard let keyRange = Self.plainString(b, from: p.i) else { return nil }
            p.i = keyRange.upperBound + 1
            p.skipSpace()
            guard p.i < b.count, b[p.i] == UInt8(ascii: ":") else { return nil }
            p.i += 1
            p.skipSpace()
            let keyBytes = UnsafeBufferPointer(rebasing: b[keyRange])
            guard let key = Self.fastKey(keyBytes) else {
                if strict { return nil }
                let name = String(decoding: keyBytes, as: UTF8.self)
                if unknown.contains(name) { return nil }
                guard (try? p.value()) != nil else { return nil }
                unknown.append(name)
                if !Self.nextMember(&p) { break } else { continue }
            }
            let bit: UInt16 = 1 << UInt16(key.rawValue)
            if seen & bit != 0 { return nil }
            seen |= bit
            switch key {
            case .ts:
                guard let v = try? p.value(), let t = try? timestamp(v) else { return nil }
                event.ts = t
            case .ttl:
                guard let v = try? p.value(), let t = try? ttl(v) else { return nil }
                event.ttl = t
            case .to:
                guard let v = try? p.value() else { return nil }
                switch v {
                case .null: break
                case .array(let items):
                    guard items.count <= limits.maxRecipients else { return nil }
                    var to: [String] = []
                    to.reserveCapacity(items.count)
                    for item in items {
                        guard case .string(let s) = item, s.utf8.count <= limits.maxStringBytes else { return nil }
                        to.append(s)
                    }
                    event.to = to
                default: return nil
                }
            case .attrs:
                guard let v = try? p.value() else { return nil }
                switch v {
                case .null: break
                case .object(let pairs): attrs = pairs
                default: return nil
                }
            default:
                // A string field, or null.
                if p.i < b.count, b[p.i] == UInt8(ascii: "n") {
                    guard (try? p.value()) == .null else { return nil }
                } else {
                    guard p.i < b.count, b[p.i] == UInt8(ascii: "\""), let s = try? p.string() else { return nil }
                    let limit = key == .text ? limits.maxTextBytes : limits.maxStringBytes
                    guard s.utf8.count <= limit else { return nil }
                    switch key {
                    case .id: id = s
                    case .type:
                        type = Event.Kind(rawValue: s)
                        if type == nil { return nil }
                    case .account: account = s
                    case .tier:
                        guard ["personal", "enterprise", "third_party"].contains(s) else { return nil }
                        event.tier = s
                    case .channel: event.channel = s
                    case .ip:
                        guard IPAddress(s) != nil else { return nil }
                        event.ip = s
                    case .device: event.device = s
                    case .text: event.text = s
                    case .code: event.code = s
                    case .inviter: event.inviter = s
                    default: return nil
                    }
                }
            }
            if !Self.nextMember(&p) { break }
        }
        p.skipSpace()
        guard p.i == b.count else { return nil }
        guard let id, !id.isEmpty, let type, let account, !account.isEmpty else { return nil }
        event.id = id
        event.type = type
        event.account = account
        if requireTimestamp, event.ts == nil { return nil }
        if let attrs {
            guard let decoded = try? decodeAttributes(attrs) else { return nil }
            event.attrs = decoded
        }
        if type == .send, event.to == nil || event.text == nil { return nil }
        if type != .send, event.code == nil { return nil }
        return Decoded(event: event, unknownKeys: unknown)
    }

    /// After a member: true at ',' (another follows), false at '}' (the object ends); false with
    /// the position past the end on anything else, which the caller's end check then refuses.
    static func nextMember(_ p: inout JSONParser) -> Bool {
        p.skipSpace()
        guard p.i < p.b.count else {
            p.i = p.b.count + 1
            return false
        }
        if p.b[p.i] == UInt8(ascii: ",") {
            p.i += 1
            return true
        }
        if p.b[p.i] == UInt8(ascii: "}") {
            p.i += 1
            return false
        }
        p.i = p.b.count + 1
        return false
    }

    /// The bytes between the quote at `start` and the next quote, when there is no escape or
    /// control character in between (a key the fast path can compare as bytes).
    static func plainString(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        var i = start + 1
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { return (start + 1)..<i }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            i += 1
        }
        return nil
    }
}
