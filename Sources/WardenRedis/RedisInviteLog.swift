import WardenEngine

/// The invite graph's shared log in a Redis Stream (`PREFIX:invites`), so servers that share
/// Redis build the same invite graph: each appends the changes it commits (XADD) and reads what
/// the others appended (XREAD from its last entry id) before it evaluates an issue or redeem.
///
/// The stream is capped at about `maxEntries` (XADD MAXLEN ~): an engine that starts (or
/// restores a snapshot) reads it from the start, so the cap should hold at least the retention
/// window's changes. A server started after entries were trimmed learns older edges only from a
/// state snapshot.
public final class RedisInviteLog: InviteLog {
    let pool: any RedisClient
    let key: String
    let maxEntries: Int
    /// Entries per XREAD; a longer backlog is read in several calls.
    static let batch = 10_000

    public init(pool: any RedisClient, prefix: String = "warden", maxEntries: Int = 20_000_000) {
        self.pool = pool
        key = "\(prefix):invites"
        self.maxEntries = maxEntries
    }

    public func append(_ entry: String) throws(CounterStateError) {
        do throws(RedisError) {
            let reply = try pool.pipeline([["XADD", key, "MAXLEN", "~", String(maxEntries), "*", "c", entry]])[0]
            if case .error(let message) = reply { throw RedisError(message) }
        } catch {
            throw CounterStateError(error.description)
        }
    }

    public func read(after cursor: String?) throws(CounterStateError) -> (entries: [String], cursor: String?) {
        var entries: [String] = []
        var last = cursor
        do throws(RedisError) {
            while true {
                let reply = try pool.pipeline([["XREAD", "COUNT", String(Self.batch), "STREAMS", key, last ?? "0-0"]])[0]
                if case .error(let message) = reply { throw RedisError(message) }
                // [[key, [[id, [field, value]], …]]], or null when nothing is newer.
                guard case .array(let streams) = reply, case .array(let stream)? = streams.first, stream.count == 2,
                    case .array(let items) = stream[1]
                else { break }
                for item in items {
                    guard case .array(let pair) = item, pair.count == 2, let id = pair[0].string, case .array(let fields) = pair[1] else {
                        continue
                    }
                    last = id
                    if fields.count >= 2, let value = fields[1].string { entries.append(value) }
                }
                if items.count < Self.batch { break }
            }
        } catch {
            throw CounterStateError(error.description)
        }
        return (entries, last)
    }
}
