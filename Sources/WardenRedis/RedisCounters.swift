import Synchronization
import WardenEngine

/// Counter state in Redis, shared by every Warden server that uses the same Redis.
///
/// Each (counter, key) is one hash: field `n` holds the newest step, `s<step>` a bucket of a
/// count or sum, `v<hash>` the newest step of a distinct value. A Lua script updates and sums
/// one hash atomically on the server; the scripts of one event go in one pipelined round trip.
/// The hash tag is the key's first part (see `key(_:)`), so an account's counters share a shard; keys
/// expire after their window and the lateness bound have passed without an event.
///
/// The lateness bound is relative to the key's own newest step (the in-memory store uses the
/// counter's newest step over all keys): a late event of a quiet key keeps its own step longer.
public final class RedisCounters: CounterBackend {
    let pool: any RedisClient
    let prefix: String
    /// The ledger on the same Redis: its in-force reads ride in the counters' pipeline.
    let ledger: RedisLedger?

    public init(pool: any RedisClient, prefix: String = "warden", ledger: RedisLedger? = nil) {
        self.pool = pool
        self.prefix = prefix
        self.ledger = ledger
    }

    /// Values one distinct key keeps (as the in-memory store's exact range): past it, new
    /// values are not stored, so the count stays at the cap (far past any threshold) and an
    /// attacker spraying recipients cannot grow one hash without bound.
    public static let distinctCap = 32_768

    /// KEYS[1] the hash; ARGV kind ('s' or 'd'), step, windowStart, keepSteps, amount, counts,
    /// commit, ttl ms, then the value hashes of a distinct.
    static let script = """
        local CAP = \(distinctCap)
        local h = KEYS[1]
        local kind = ARGV[1]
        local step = tonumber(ARGV[2])
        local ws = tonumber(ARGV[3])
        local keep = tonumber(ARGV[4])
        local counts = ARGV[6] == '1'
        local commit = ARGV[7] == '1'
        local newest = tonumber(redis.call('HGET', h, 'n') or ARGV[2])
        if step > newest then newest = step end
        local from = newest - keep
        local pending = 0
        local seen = {}
        if counts then
          if commit then
            redis.call('HSET', h, 'n', newest)
            if kind == 'd' then
              local size = redis.call('HLEN', h) - 1  -- the newest-step field 'n' is set above
              for i = 9, #ARGV do
                local f = 'v' .. ARGV[i]
                local stored = redis.call('HGET', h, f)
                if stored then
                  if step > tonumber(stored) then redis.call('HSET', h, f, step) end
                elseif size < CAP then
                  redis.call('HSET', h, f, step)
                  size = size + 1
                end
              end
            else
              redis.call('HINCRBYFLOAT', h, 's' .. step, ARGV[5])
            end
            redis.call('PEXPIRE', h, ARGV[8])
          elseif kind == 'd' then
            for i = 9, #ARGV do seen['v' .. ARGV[i]] = true end
          elseif step >= ws then
            pending = tonumber(ARGV[5])
          end
        end
        local total = pending
        local all = redis.call('HGETALL', h)
        for i = 1, #all, 2 do
          local f = all[i]
          local tag = string.sub(f, 1, 1)
          if tag == 's' then
            local s = tonumber(string.sub(f, 2))
            if s < from then
              if commit then redis.call('HDEL', h, f) end
            elseif s >= ws then
              total = total + tonumber(all[i + 1])
            end
          elseif tag == 'v' then
            local s = tonumber(all[i + 1])
            if seen[f] then
              seen[f] = nil
              if s < ws and step >= ws then s = step end
            end
            if s < from then
              if commit then redis.call('HDEL', h, f) end
            elseif s >= ws then
              total = total + 1
            end
          end
        end
        if step >= ws then
          for _ in pairs(seen) do total = total + 1 end
        end
        return tostring(total)
        """

    /// The Redis key of an operation's (counter, key): the hash tag is the key's first part (the
    /// account, for `by: account` and `by: account, …`), so one event's counters of an account
    /// live in one Cluster slot, on one node.
    func key(_ op: CounterOperation) -> String {
        let first = op.key.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? op.key
        return "\(prefix):c:{\(first)}:\(op.counter):\(op.key)"
    }

    /// The script's SHA1 as Redis reported it on `SCRIPT LOAD`.
    private let sha = Mutex<String?>(nil)

    private func loadScript() throws(RedisError) -> String {
        guard case .string(let digest) = try pool.everywhere(["SCRIPT", "LOAD", Self.script]) else {
            throw RedisError("SCRIPT LOAD did not answer a digest")
        }
        sha.withLock { $0 = digest }
        return digest
    }

    public func apply(_ operations: [CounterOperation]) throws(CounterStateError) -> [Double] {
        guard !operations.isEmpty else { return [] }
        do throws(RedisError) {
            var digest = sha.withLock { $0 }
            if digest == nil { digest = try loadScript() }
            return try run(operations, digest: digest ?? "", extra: []).values
        } catch {
            throw CounterStateError(error.description)
        }
    }

    /// The counter scripts and, with a ledger, its in-force reads in one pipeline: the one
    /// round trip of an event that earns no penalty.
    public func apply(
        _ operations: [CounterOperation], into values: inout [Double], inForce queries: [PenaltyQuery], at t: Double
    ) throws(CounterStateError) -> [PenaltyRecord?]? {
        guard let ledger else {
            values = try apply(operations)
            return nil
        }
        let reads = ledger.inForceCommands(queries)
        do throws(RedisError) {
            var digest = sha.withLock { $0 }
            if digest == nil { digest = try loadScript() }
            let (counted, replies) = try run(operations, digest: digest ?? "", extra: reads)
            values = counted
            return ledger.inForceAnswers(queries, replies: replies, at: t)
        } catch {
            throw CounterStateError(error.description)
        }
    }

    /// Runs the operations' scripts, with `extra` commands after them in the same pipeline;
    /// returns the counters' values and the replies to `extra`.
    private func run(_ operations: [CounterOperation], digest: String, extra: [[String]]) throws(RedisError) -> (
        values: [Double], extra: ArraySlice<RedisValue>
    ) {
        var commands = operations.map { op -> [String] in
            var command = ["EVALSHA", digest, "1", key(op)]
            command += [
                op.kind == .distinct ? "d" : "s", String(op.step), String(op.windowStart), String(op.keepSteps),
                String(op.amount), op.counts ? "1" : "0", op.commit ? "1" : "0", String(max(1, op.ttlMilliseconds)),
            ]
            command += op.hashes.map { String($0, radix: 16) }
            return command
        }
        let scripts = commands.count
        commands += extra
        var replies = try pool.pipeline(commands)
        if replies.contains(where: { if case .error(let m) = $0 { m.hasPrefix("NOSCRIPT") } else { false } }) {
            // Redis restarted (or flushed its scripts): load the script and send again.
            let fresh = try loadScript()
            for i in 0..<scripts { commands[i][1] = fresh }
            replies = try pool.pipeline(commands)
        }
        let values = try replies.prefix(scripts).map { reply throws(RedisError) -> Double in
            guard let text = reply.string, let value = Double(text) else { throw RedisError("counter script answered \(reply)") }
            return value
        }
        return (values, replies.dropFirst(scripts))
    }
}
