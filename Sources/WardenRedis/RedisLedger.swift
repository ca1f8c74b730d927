import Foundation
import Synchronization
import WardenEngine

/// The penalty ledger in Redis, shared by every Warden server on it: a penalty one server
/// records is in force on all of them.
///
/// Records are JSON strings under `PREFIX:p:{KIND|TARGET}:ID`; per action and target and per
/// target, lists of record keys give the history in order; `PREFIX:id:ID` finds a record by id
/// and `PREFIX:seq` numbers the ids. A target's records and lists share one Cluster hash tag,
/// so the script that reads them touches one shard. "In force? then extend, else
/// record offense n+1" runs under a short Redis lock per target (`exclusive`), so two servers
/// never record two offenses for one. Penalties are kept (no expiry): they are the audit trail.
///
/// When Redis is unreachable a read answers "nothing in force" (fail open) and a write throws
/// (the engine leaves the penalty out of its answer); both are counted in `failures`.
public final class RedisLedger: PenaltyLedger, PenaltyOutbox {
    let pool: any RedisClient
    let prefix: String
    private let failureCount = Atomic<Int>(0)
    private let skippedCount = Atomic<Int>(0)

    public init(pool: any RedisClient, prefix: String = "warden") {
        self.pool = pool
        self.prefix = prefix
    }

    /// Ledger operations that failed because Redis did not answer.
    public var failures: Int { failureCount.load(ordering: .relaxed) }

    /// Records read from Redis that did not decode (out-of-range numbers, missing fields): skipped.
    public var skippedRecords: Int { skippedCount.load(ordering: .relaxed) }

    func actionList(_ action: PenaltyAction, _ kind: TargetKind, _ target: String) -> String {
        "\(prefix):a:{\(kind.rawValue)|\(target)}:\(action.rawValue)"
    }
    func targetList(_ kind: TargetKind, _ target: String) -> String { "\(prefix):t:{\(kind.rawValue)|\(target)}" }
    func recordKey(_ r: PenaltyRecord) -> String { "\(prefix):p:{\(r.targetKind.rawValue)|\(r.target)}:\(r.id)" }
    func idKey(_ id: String) -> String { "\(prefix):id:\(id)" }

    /// The records whose ids a list holds, oldest first: one script, one round trip.
    static let listScript = """
        local keys = redis.call('LRANGE', KEYS[1], 0, -1)
        local out = {}
        for i, key in ipairs(keys) do out[i] = redis.call('GET', key) or '' end
        return out
        """

    private func records(inList list: String) -> [PenaltyRecord] {
        do throws(RedisError) {
            return records(try pool.pipeline([["EVAL", Self.listScript, "1", list]])[0])
        } catch {
            failureCount.add(1, ordering: .relaxed)
            return []
        }
    }

    public func inForce(action: PenaltyAction, targetKind: TargetKind, target: String, at t: Double) -> PenaltyRecord? {
        inForce([PenaltyQuery(action: action, targetKind: targetKind, target: target)], at: t)[0]
    }

    /// Every question in one pipeline (one round trip per event, not one per target).
    public func inForce(_ queries: [PenaltyQuery], at t: Double) -> [PenaltyRecord?] {
        let commands = inForceCommands(queries)
        guard !commands.isEmpty else { return queries.map { _ in nil } }
        do throws(RedisError) {
            return inForceAnswers(queries, replies: try pool.pipeline(commands), at: t)
        } catch {
            failureCount.add(1, ordering: .relaxed)
            return queries.map { _ in nil }
        }
    }

    /// The commands that read what is in force for `queries` (none for actions that do not
    /// last), for a pipeline of the caller's: `RedisCounters` sends them with an event's
    /// counter scripts, one round trip for both.
    func inForceCommands(_ queries: [PenaltyQuery]) -> [[String]] {
        queries.filter { $0.action.isLasting }.map { ["EVAL", Self.listScript, "1", actionList($0.action, $0.targetKind, $0.target)] }
    }

    /// The answers to `queries` from the replies to `inForceCommands(queries)`, in order.
    func inForceAnswers(_ queries: [PenaltyQuery], replies: some Collection<RedisValue>, at t: Double) -> [PenaltyRecord?] {
        var answers: [PenaltyQuery: PenaltyRecord] = [:]
        for (q, reply) in zip(queries.filter { $0.action.isLasting }, replies) {
            answers[q] = records(reply).reversed().first { $0.inForce(at: t) }
        }
        return queries.map { answers[$0] }
    }

    public func offenses(action: PenaltyAction, targetKind: TargetKind, target: String) -> Int {
        records(inList: actionList(action, targetKind, target)).filter { $0.lifted == nil }.count
    }

    @discardableResult public func record(_ penalty: PenaltyRecord) throws(LedgerError) -> PenaltyRecord {
        try recordDurably(penalty).record
    }

    /// Numbers ids from a sequence that starts, when Redis has none (a new Redis, or one that
    /// restarted empty), at a millionth of a second's resolution of the time now: ids answered
    /// before the restart are never handed out again (that would take a million penalties a
    /// second since the previous start), so webhook idempotency keys and lifts by id stay apart.
    static let nextIDScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
        return redis.call('INCR', KEYS[1])
        """

    public func recordDurably(_ penalty: PenaltyRecord) throws(LedgerError) -> (record: PenaltyRecord, durability: PenaltyDurability?) {
        var r = penalty
        do throws(RedisError) {
            let seed = String(Int(Date().timeIntervalSince1970) * 1_000_000)
            guard let n = try pool.pipeline([["EVAL", Self.nextIDScript, "1", "\(prefix):seq", seed]])[0].int else {
                throw RedisError("the id sequence did not answer a number")
            }
            r.id = "p-\(n)"
            let key = recordKey(r)
            let durability = try transaction(
                [
                    ["SET", key, Self.encode(r)],
                    ["SET", idKey(r.id), key],
                    ["RPUSH", actionList(r.action, r.targetKind, r.target), key],
                    ["RPUSH", targetList(r.targetKind, r.target), key],
                    ["RPUSH", "\(prefix):all", key],
                    outboxPush(r, "recorded"),
                ], id: r.id)
            return (r, durability)
        } catch {
            failureCount.add(1, ordering: .relaxed)
            throw LedgerError("redis: \(error.message)")
        }
    }

    private func load(_ id: String) -> PenaltyRecord? {
        do throws(RedisError) {
            guard let key = try pool.pipeline([["GET", idKey(id)]])[0].string else { return nil }
            return decoded(try pool.pipeline([["GET", key]])[0].string)
        } catch {
            failureCount.add(1, ordering: .relaxed)
            return nil
        }
    }

    @discardableResult private func store(_ r: PenaltyRecord, _ change: String) throws(LedgerError) -> PenaltyDurability {
        do throws(RedisError) {
            return try transaction([["SET", recordKey(r), Self.encode(r)], outboxPush(r, change)], id: r.id)
        } catch {
            failureCount.add(1, ordering: .relaxed)
            throw LedgerError("redis: \(error.message)")
        }
    }

    public func extend(id: String, until: Double?, forever: Bool) throws(LedgerError) {
        _ = try extendDurably(id: id, until: until, forever: forever)
    }

    public func extendDurably(id: String, until: Double?, forever: Bool) throws(LedgerError) -> PenaltyDurability? {
        guard var r = load(id) else { return nil }
        if forever {
            r.forever = true
            r.until = nil
        } else if let until, !r.forever, until > (r.until ?? -.infinity) {
            r.until = until
        }
        return try store(r, "extended")
    }

    public func lift(id: String, reason: String, at t: Double) throws(LedgerError) -> PenaltyRecord? {
        guard var r = load(id) else { return nil }
        if r.lifted == nil {
            r.lifted = PenaltyRecord.Lift(at: t, reason: reason)
            try store(r, "lifted")
        }
        return r
    }

    public func records(targetKind: TargetKind, target: String) -> [PenaltyRecord] { records(inList: targetList(targetKind, target)) }

    /// Every record: the keys span every target's slot, so they are read one by one (in one
    /// pipeline), not by a script.
    public var all: [PenaltyRecord] {
        do throws(RedisError) {
            guard case .array(let keys) = try pool.pipeline([["LRANGE", "\(prefix):all", "0", "-1"]])[0], !keys.isEmpty else { return [] }
            return try pool.pipeline(keys.compactMap { $0.string.map { ["GET", $0] } }).compactMap { decoded($0.string) }
        } catch {
            failureCount.add(1, ordering: .relaxed)
            return []
        }
    }

    /// Holds a Redis lock on the target while `body` runs (waiting up to a second for another
    /// server's turn; after that, it goes ahead rather than stall the request).
    public func exclusive<R>(action: PenaltyAction, targetKind: TargetKind, target: String, _ body: () -> R) -> R {
        let lock = "\(prefix):lock:{\(targetKind.rawValue)|\(target)}:\(action.rawValue)"
        let token = UUID().uuidString
        var held = false
        for attempt in 0..<200 {
            if let reply = try? pool.pipeline([["SET", lock, token, "NX", "PX", "2000"]])[0] {
                if reply == .status("OK") {
                    held = true
                    break
                }
            } else {
                break  // Redis is down (or the check's time ran out): no lock to take
            }
            let pause = attempt < 10 ? 200 : 5_000
            if let remaining = StateDeadline.remaining, remaining < Double(pause) / 1e6 { break }  // the check's deadline
            usleep(UInt32(pause))
        }
        defer {
            if held {
                _ = try? pool.pipeline([
                    [
                        "EVAL", "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", "1", lock,
                        token,
                    ]
                ])
            }
        }
        return body()
    }

    /// The records of a list script's answer; one that does not decode is skipped and counted.
    func records(_ reply: RedisValue) -> [PenaltyRecord] {
        guard case .array(let items) = reply else { return [] }
        return items.compactMap { item in decoded(item.string) }
    }

    /// A stored record, or nil (counted in `skippedRecords`) when there is text that does not read.
    private func decoded(_ text: String?) -> PenaltyRecord? {
        guard let text, !text.isEmpty else { return nil }
        guard let record = Self.decode(text) else {
            skippedCount.add(1, ordering: .relaxed)
            return nil
        }
        return record
    }

    static func encode(_ r: PenaltyRecord) -> String { r.storedText }

    static func decode(_ text: String) -> PenaltyRecord? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return try? PenaltyRecord(stored: value)
    }

    // MARK: outbox

    /// Commands applied together (MULTI/EXEC): a record and its outbox message, or neither.
    /// A reply that did not come in time leaves the outcome unknown, and the error says so.
    private func transaction(_ commands: [[String]], id: String) throws(RedisError) -> PenaltyDurability {
        do throws(RedisError) {
            return try pool.transaction(commands)
        } catch  where error.timedOut {
            throw RedisError("\(error.message) (no answer in time: penalty \(id) may still be stored)", timedOut: true)
        }
    }

    private var outboxKeys: [String] {
        ["list", "next", "attempts", "delivered", "dead", "leader"].map { "\(prefix):{outbox}:\($0)" }
    }

    private func outboxPush(_ r: PenaltyRecord, _ change: String) -> [String] {
        let message = r.outboxMessage(change)
        return ["RPUSH", outboxKeys[0], message.key + "\n" + message.body]
    }

    /// Only the server holding the lease delivers, so messages leave in the order they were
    /// written (in order per target); a lease not renewed for 10 s passes to another server,
    /// which goes on from the shared cursor (the message in flight may be sent twice: at least
    /// once, with its idempotency key).
    static let nextScript = """
        local held = redis.call('GET', KEYS[6])
        if held and held ~= ARGV[1] then return {0} end
        redis.call('SET', KEYS[6], ARGV[1], 'PX', 10000)
        local next = tonumber(redis.call('GET', KEYS[2]) or '0')
        local item = redis.call('LINDEX', KEYS[1], next)
        if not item then return {0} end
        return {1, next, item, tonumber(redis.call('GET', KEYS[3]) or '0')}
        """

    static let attemptScript = """
        local next = tonumber(redis.call('GET', KEYS[2]) or '0')
        if next ~= tonumber(ARGV[1]) then return 0 end
        if ARGV[2] == '1' then
          redis.call('INCR', KEYS[2]); redis.call('DEL', KEYS[3]); redis.call('INCR', KEYS[4])
          return 1
        end
        if redis.call('INCR', KEYS[3]) >= tonumber(ARGV[3]) then
          redis.call('INCR', KEYS[2]); redis.call('DEL', KEYS[3]); redis.call('INCR', KEYS[5])
        end
        return 1
        """

    private let leaseToken = UUID().uuidString

    public func nextOutboxMessage() -> OutboxMessage? {
        guard let reply = try? pool.pipeline([["EVAL", Self.nextScript, "6"] + outboxKeys + [leaseToken]])[0],
            case .array(let parts) = reply, parts.count == 4, parts[0] == .integer(1),
            let seq = parts[1].int, let item = parts[2].string, let attempts = parts[3].int,
            let newline = item.firstIndex(of: "\n")
        else { return nil }
        return OutboxMessage(seq: seq, key: String(item[..<newline]), body: String(item[item.index(after: newline)...]), attempts: attempts)
    }

    public func outboxAttempt(_ seq: Int, delivered: Bool, maxAttempts: Int) {
        _ = try? pool.pipeline([
            ["EVAL", Self.attemptScript, "6"] + outboxKeys + [String(seq), delivered ? "1" : "0", String(maxAttempts)]
        ])
    }

    public func outboxCounts() -> [String: Int] {
        let replies =
            (try? pool.pipeline([["LLEN", outboxKeys[0]], ["GET", outboxKeys[1]], ["GET", outboxKeys[3]], ["GET", outboxKeys[4]]])) ?? []
        guard replies.count == 4 else { return [:] }
        let total = replies[0].int ?? 0
        return ["pending": total - (replies[1].int ?? 0), "delivered": replies[2].int ?? 0, "dead": replies[3].int ?? 0]
    }
}
