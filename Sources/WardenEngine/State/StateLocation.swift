/// Where a process keeps its state, as `--state` names it. Every command parses the option here,
/// so `serve`, `check`, `audit` and `state` accept the same spellings and refuse the same
/// mistakes with the same words.
public enum StateLocation: Equatable, Sendable, CustomStringConvertible {
    /// Counters, penalties and the invite graph in this process only.
    case memory
    /// Penalties durable in a SQLite file, counters snapshotted into it.
    case sqlite(path: String)
    /// Shared through Redis: `redis://HOST:PORT` or `redis+cluster://HOST:PORT[,HOST:PORT…]`.
    case redis(url: String)
    /// A snapshot file written by `--state-out` (read by `warden state`).
    case snapshot(path: String)

    /// What a command accepts.
    public struct Kinds: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let memory = Kinds(rawValue: 1)
        public static let sqlite = Kinds(rawValue: 2)
        public static let redis = Kinds(rawValue: 4)
        public static let snapshot = Kinds(rawValue: 8)
    }

    /// A `--state` that is not one of the accepted spellings: `message` says which are.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses `--state`. A plain path is a snapshot file where snapshots are accepted.
    public init(parsing text: String, accepting kinds: Kinds) throws(Invalid) {
        let parsed: StateLocation
        if text == "memory" {
            parsed = .memory
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw Invalid(message: "--state sqlite: needs a path (sqlite:PATH)") }
            parsed = .sqlite(path: path)
        } else if text.hasPrefix("redis://") || text.hasPrefix("rediss://") || text.hasPrefix("redis+cluster://")
            || text.hasPrefix("rediss+cluster://")
        {
            parsed = .redis(url: text)
        } else if kinds.contains(.snapshot), !text.isEmpty, !text.contains("://") {
            parsed = .snapshot(path: text)
        } else {
            throw Invalid(message: "--state takes \(Self.spellings(kinds)), not '\(text)'")
        }
        guard kinds.contains(parsed.kind) else { throw Invalid(message: "--state takes \(Self.spellings(kinds)) here, not '\(text)'") }
        self = parsed
    }

    public var kind: Kinds {
        switch self {
        case .memory: .memory
        case .sqlite: .sqlite
        case .redis: .redis
        case .snapshot: .snapshot
        }
    }

    public var description: String {
        switch self {
        case .memory: "memory"
        case .sqlite(let path): "sqlite:" + path
        case .redis(let url): url
        case .snapshot(let path): path
        }
    }

    static func spellings(_ kinds: Kinds) -> String {
        var names: [String] = []
        if kinds.contains(.sqlite) { names.append("sqlite:PATH") }
        if kinds.contains(.redis) { names += ["redis://HOST:PORT", "redis+cluster://HOST:PORT[,HOST:PORT…]"] }
        if kinds.contains(.snapshot) { names.append("a snapshot file") }
        if kinds.contains(.memory) { names.append("memory") }
        return names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
