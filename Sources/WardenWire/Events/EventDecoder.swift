import WardenLanguage
import WardenMatching

/// Decodes events from JSON per SPEC §1, with an exact error for every kind of bad input.
public struct EventDecoder: Sendable {
    /// Unknown top-level keys are errors when strict, and counted in `unknownKeys` otherwise.
    public var strict: Bool
    /// Whether `ts` is required (audit) or may default to now (inline checks).
    public var requireTimestamp: Bool
    public var limits: EventLimits

    public init(strict: Bool = false, requireTimestamp: Bool = false, limits: EventLimits = .default) {
        self.strict = strict
        self.requireTimestamp = requireTimestamp
        self.limits = limits
    }

    public struct Decoded: Sendable {
        public var event: Event
        /// Top-level keys that were not part of the format, ignored.
        public var unknownKeys: [String]
    }

    /// Decodes one line as read (bytes): over `maxEventBytes` or not UTF-8 is an error with the
    /// size or the offset of the bad byte, before any parsing.
    public func decode(bytes: some Collection<UInt8>, file: String? = nil, line: Int? = nil) throws(EventError) -> Decoded {
        try check(bytes: bytes, file: file, line: line)
        if let fast = bytes.withContiguousStorageIfAvailable({ decodeFast($0) }), let decoded = fast { return decoded }
        return try decode(line: String(decoding: bytes, as: UTF8.self), file: file, line: line)
    }

    /// The checks of `decode(bytes:)` that come before parsing (also for CSV records).
    public func check(bytes: some Collection<UInt8>, file: String? = nil, line: Int? = nil) throws(EventError) {
        if bytes.count > limits.maxEventBytes { throw oversized(bytes.count, file: file, line: line) }
        if let bad = UTF8Validation.firstInvalidByte(bytes) {
            throw EventError(file: file, line: line, message: "invalid UTF-8 at byte \(bad)")
        }
    }

    /// An event of `size` bytes, over `maxEventBytes` (also for lines a reader skipped unread).
    public func oversized(_ size: Int, file: String? = nil, line: Int? = nil) -> EventError {
        EventError(file: file, line: line, message: "event of \(size) bytes; the limit is \(limits.maxEventBytes)")
    }

    /// Decodes one line of JSON; `file` and `line` only label errors.
    public func decode(line text: String, file: String? = nil, line: Int? = nil) throws(EventError) -> Decoded {
        if text.utf8.count > limits.maxEventBytes { throw oversized(text.utf8.count, file: file, line: line) }
        var copy = text
        if let fast = copy.withUTF8({ decodeFast($0) }) { return fast }
        let value: JSONValue
        do throws(JSONParser.Failure) {
            value = try JSONParser.parse(text)
        } catch {
            throw EventError(file: file, line: line, column: error.column, message: "not valid JSON: \(error.message)")
        }
        do throws(EventError) {
            return try decode(value)
        } catch {
            var e = error
            e.file = file
            e.line = line
            throw e
        }
    }

    public func decode(_ value: JSONValue) throws(EventError) -> Decoded {
        guard case .object(let pairs) = value else {
            throw EventError(message: "an event is a JSON object, not \(value.typeName)")
        }
        var fields: [String: JSONValue] = [:]
        var unknown: [String] = []
        for (key, v) in pairs {
            if Self.keys.contains(key) {
                fields[key] = v
            } else if strict {
                throw EventError(key: key, message: "unknown key (free-form data goes in attrs)")
            } else {
                unknown.append(key)
            }
        }
        func string(_ key: String, required: Bool = false) throws(EventError) -> String? {
            switch fields[key] {
            case nil, .null?:
                if required { throw EventError(key: key, message: "missing required key") }
                return nil
            case .string(let s)?:
                if required, s.isEmpty { throw EventError(key: key, message: "must not be empty") }
                let limit = key == "text" ? limits.maxTextBytes : limits.maxStringBytes
                if s.utf8.count > limit { throw EventError(key: key, message: "\(s.utf8.count) bytes; the limit is \(limit)") }
                return s
            case let other?:
                throw EventError(key: key, message: "expected a string, found \(other.typeName)")
            }
        }
        let typeName = try string("type", required: true)!
        guard let type = Event.Kind(rawValue: typeName) else {
            throw EventError(key: "type", message: "unknown event type \"\(typeName)\" (send, issue or redeem)")
        }
        var event = Event(id: try string("id", required: true)!, type: type, account: try string("account", required: true)!)
        event.ts = try timestamp(fields["ts"])
        if requireTimestamp, event.ts == nil { throw EventError(key: "ts", message: "missing required key") }
        if let tier = try string("tier") {
            guard ["personal", "enterprise", "third_party"].contains(tier) else {
                throw EventError(key: "tier", message: "unknown tier \"\(tier)\" (personal, enterprise or third_party)")
            }
            event.tier = tier
        }
        event.channel = try string("channel")
        if let ip = try string("ip") {
            guard IPAddress(ip) != nil else { throw EventError(key: "ip", message: "\"\(ip)\" is not an IPv4 or IPv6 address") }
            event.ip = ip
        }
        event.device = try string("device")
        event.text = try string("text")
        event.code = try string("code")
        event.inviter = try string("inviter")
        switch fields["to"] {
        case nil, .null?: break
        case .array(let items)?:
            if items.count > limits.maxRecipients {
                throw EventError(key: "to", message: "\(items.count) recipients; the limit is \(limits.maxRecipients)")
            }
            var to: [String] = []
            for (k, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw EventError(key: "to", message: "element \(k) is \(item.typeName), expected a string")
                }
                if s.utf8.count > limits.maxStringBytes {
                    throw EventError(key: "to", message: "element \(k) has \(s.utf8.count) bytes; the limit is \(limits.maxStringBytes)")
                }
                to.append(s)
            }
            event.to = to
        case let other?: throw EventError(key: "to", message: "expected an array of strings, found \(other.typeName)")
        }
        event.ttl = try ttl(fields["ttl"])
        switch fields["attrs"] {
        case nil, .null?: break
        case .object(let attrs)?: event.attrs = try decodeAttributes(attrs)
        case let other?: throw EventError(key: "attrs", message: "expected an object, found \(other.typeName)")
        }
        if type == .send, event.to == nil {
            throw EventError(key: "to", message: "missing required key (a send has recipients)")
        }
        if type == .send, event.text == nil {
            throw EventError(key: "text", message: "missing required key (a send carries its message text)")
        }
        if type != .send, event.code == nil {
            throw EventError(key: "code", message: "missing required key (an \(type.rawValue) carries the invite code)")
        }
        return Decoded(event: event, unknownKeys: unknown)
    }

    /// `attrs`: strings, numbers and booleans (null drops the key), within the limits.
    func decodeAttributes(_ attrs: [(String, JSONValue)]) throws(EventError) -> [String: Event.Attribute] {
        if attrs.count > limits.maxAttributes {
            throw EventError(key: "attrs", message: "\(attrs.count) attributes; the limit is \(limits.maxAttributes)")
        }
        var out: [String: Event.Attribute] = [:]
        for (name, v) in attrs {
            switch v {
            case .string(let s):
                if s.utf8.count > limits.maxStringBytes {
                    throw EventError(key: "attrs.\(name)", message: "\(s.utf8.count) bytes; the limit is \(limits.maxStringBytes)")
                }
                out[name] = .string(s)
            case .number(let n): out[name] = .number(n)
            case .bool(let b): out[name] = .bool(b)
            case .null: break
            default: throw EventError(key: "attrs.\(name)", message: "attrs hold strings, numbers and booleans, not \(v.typeName)")
            }
        }
        return out
    }

    func timestamp(_ value: JSONValue?) throws(EventError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let n)?:
            // Epoch seconds; or milliseconds (Java's default) when it can only be milliseconds: a
            // number of seconds from 1e11 up is past the year 5000, which no event can be.
            if n >= 100_000_000_000, n < 253_402_300_800_000 { return n / 1000 }
            guard n >= 0, n < 100_000_000_000 else {
                throw EventError(key: "ts", message: "epoch seconds (or milliseconds) out of range: \(n)")
            }
            return n
        case .string(let s)?:
            guard let t = Timestamp.parse(s) else {
                throw EventError(key: "ts", message: "\"\(s)\" is not an RFC 3339 time such as \"2026-11-26T09:30:00Z\"")
            }
            return t
        case let other?:
            throw EventError(key: "ts", message: "expected an RFC 3339 string or epoch seconds, found \(other.typeName)")
        }
    }

    func ttl(_ value: JSONValue?) throws(EventError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let n)?:
            guard n >= 0 else { throw EventError(key: "ttl", message: "must not be negative") }
            return n
        case .string(let s)?:
            guard let seconds = Timestamp.parseDuration(s) else {
                throw EventError(key: "ttl", message: "\"\(s)\" is not a duration such as \"72h\"")
            }
            return seconds
        case let other?:
            throw EventError(key: "ttl", message: "expected a duration string or seconds, found \(other.typeName)")
        }
    }

    /// The keys an event may carry: the language's table (`EventField`).
    static let keys: Set<String> = Vocabulary.eventKeys
}
