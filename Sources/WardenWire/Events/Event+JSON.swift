/// An event as the JSON object of SPEC §1, which `EventDecoder` reads back to the same event:
/// what a review case keeps, and what an archive writes.
extension Event {
    public var jsonValue: JSONValue {
        var pairs: [(String, JSONValue)] = [("id", .string(id)), ("type", .string(type.rawValue))]
        if let ts { pairs.append(("ts", .number(ts))) }
        pairs.append(("account", .string(account)))
        let optional: [(String, String?)] = [
            ("tier", tier), ("channel", channel), ("ip", ip), ("device", device), ("text", text), ("code", code),
            ("inviter", inviter),
        ]
        for (key, value) in optional { if let value { pairs.append((key, .string(value))) } }
        if let to { pairs.append(("to", .array(to.map(JSONValue.string)))) }
        if let ttl { pairs.append(("ttl", .number(ttl))) }
        if !attrs.isEmpty {
            pairs.append(
                (
                    "attrs",
                    .object(
                        attrs.sorted { $0.key < $1.key }.map { key, value in
                            switch value {
                            case .string(let s): (key, .string(s))
                            case .number(let n): (key, .number(n))
                            case .bool(let b): (key, .bool(b))
                            }
                        })
                ))
        }
        return .object(pairs)
    }
}
