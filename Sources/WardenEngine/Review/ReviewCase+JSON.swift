/// A case as the API shows it and the stores keep it: one JSON object, times in RFC 3339.
extension ReviewCase {
    public func jsonValue(at t: Double) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("status", .string(status(at: t).rawValue)), ("opened", .string(Timestamp.format(opened))),
            ("account", .string(account)), ("event_id", .string(eventID)), ("digest", .string(digest)),
            ("rules", .array(rules.map(JSONValue.string))), ("tags", .array(tags.map(JSONValue.string))),
            ("penalties", .array(penalties.map(JSONValue.string))),
        ]
        if let claim, resolution == nil, claim.until > t {
            pairs.append(("claim", .object([("by", .string(claim.by)), ("until", .string(Timestamp.format(claim.until)))])))
        } else {
            pairs.append(("claim", .null))
        }
        if let r = resolution {
            pairs.append(
                (
                    "resolution",
                    .object([
                        ("outcome", .string(r.outcome.rawValue)), ("label", .string(r.label)), ("note", .string(r.note)),
                        ("by", .string(r.by)), ("at", .string(Timestamp.format(r.at))), ("lifted", .array(r.lifted.map(JSONValue.string))),
                    ])
                ))
        } else {
            pairs.append(("resolution", .null))
        }
        pairs += [("event", event), ("decision", decision)]
        return .object(pairs)
    }

    /// The stored form: the API's, with the claim kept even when its lease ran out.
    public var storedText: String {
        var value = jsonValue(at: -.infinity)
        if case .object(var pairs) = value, let claim, resolution == nil, let i = pairs.firstIndex(where: { $0.0 == "claim" }) {
            pairs[i].1 = .object([("by", .string(claim.by)), ("until", .string(Timestamp.format(claim.until)))])
            value = .object(pairs)
        }
        return value.text
    }

    /// Reads `storedText` back; nil when it is not a case.
    public init?(storedText text: String) {
        guard let v = try? JSONParser.parse(text), let id = v["id"]?.stringValue,
            let opened = v["opened"]?.stringValue.flatMap(Timestamp.parse)
        else { return nil }
        func strings(_ key: String) -> [String] { v[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            id: id, opened: opened, account: v["account"]?.stringValue ?? "", eventID: v["event_id"]?.stringValue ?? "",
            event: v["event"] ?? .null, decision: v["decision"] ?? .null, digest: v["digest"]?.stringValue ?? "",
            rules: strings("rules"), tags: strings("tags"), penalties: strings("penalties"))
        if let c = v["claim"], let by = c["by"]?.stringValue, let until = c["until"]?.stringValue.flatMap(Timestamp.parse) {
            claim = Claim(by: by, until: until)
        }
        if let r = v["resolution"], let outcome = r["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:)),
            let at = r["at"]?.stringValue.flatMap(Timestamp.parse)
        {
            resolution = Resolution(
                outcome: outcome, label: r["label"]?.stringValue ?? "", note: r["note"]?.stringValue ?? "",
                by: r["by"]?.stringValue ?? "", at: at, lifted: r["lifted"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }
}
