import Dispatch
import Synchronization
import WardenEngine

/// A Redis Cluster client on the single-node pools: each command goes to the master of its
/// key's hash slot (`RedisSlot`); the commands of one pipeline are grouped by node, and the
/// nodes are asked in parallel (one round trip each, at the same time). `MOVED` refreshes the
/// slot map (`CLUSTER SLOTS`) and sends the command again; `ASK` sends it once to the node
/// named, after `ASKING`. A node that cannot be reached triggers a refresh too, so after a
/// failover the next request goes to the promoted replica.
///
/// Warden's keys keep what must stay together in one slot: a counter key's hash, a penalty
/// target's records and lists, the outbox, the invite log. Transactions run per slot.
package final class RedisClusterPool: RedisClient {
    package let timeout: Double
    package let capacity: Int
    package let credentials: RedisCredentials?
    package let tls: RedisTLS?
    private let seeds: [Node]
    private let topology: Mutex<Topology>
    private let trips = Atomic<Int>(0)

    struct Node: Sendable, Hashable {
        let host: String
        let port: Int
    }

    struct Topology: Sendable {
        /// Per slot: the index of its master in `pools`, or -1.
        var slots = [Int](repeating: -1, count: RedisSlot.count)
        var nodes: [Node] = []
        var pools: [RedisPool] = []
    }

    package init(
        seeds: [(host: String, port: Int)], timeout: Double, capacity: Int = 8, credentials: RedisCredentials? = nil, tls: RedisTLS? = nil
    ) throws(RedisError) {
        self.tls = tls
        self.seeds = seeds.map { Node(host: $0.host, port: $0.port) }
        self.timeout = timeout
        self.capacity = capacity
        self.credentials = credentials
        topology = Mutex(Topology())
        try refresh()
    }

    package var roundTrips: Int { trips.load(ordering: .relaxed) }

    /// Reads the slot map from the first node (known or seed) that answers; pools of nodes
    /// still in the map are kept.
    package func refresh() throws(RedisError) {
        let known = topology.withLock { $0 }
        var candidates = known.nodes
        for seed in seeds where !candidates.contains(seed) { candidates.append(seed) }
        for candidate in candidates {
            let probe =
                known.nodes.firstIndex(of: candidate).map { known.pools[$0] }
                ?? RedisPool(
                    host: candidate.host, port: candidate.port, timeout: timeout, capacity: capacity, credentials: credentials, tls: tls)
            let answer: RedisValue?
            do throws(RedisError) {
                answer = try probe.pipeline([["CLUSTER", "SLOTS"]]).first
            } catch  where error.refused {
                throw error
            } catch {
                answer = nil
            }
            if let refusal = RedisError.passwordRequired(by: answer) { throw refusal }
            guard let reply = answer, case .array(let ranges) = reply, !ranges.isEmpty else { continue }
            var next = Topology()
            for range in ranges {
                guard case .array(let r) = range, r.count >= 3, let low = r[0].int, let high = r[1].int,
                    case .array(let master) = r[2], master.count >= 2, let host = master[0].string, let port = master[1].int,
                    low >= 0, high < RedisSlot.count, low <= high
                else { continue }
                let node = Node(host: host.isEmpty ? candidate.host : host, port: port)
                var index = next.nodes.firstIndex(of: node)
                if index == nil {
                    next.nodes.append(node)
                    next.pools.append(
                        known.nodes.firstIndex(of: node).map { known.pools[$0] }
                            ?? RedisPool(
                                host: node.host, port: node.port, timeout: timeout, capacity: capacity, credentials: credentials, tls: tls))
                    index = next.nodes.count - 1
                }
                for slot in low...high { next.slots[slot] = index! }
            }
            guard !next.nodes.isEmpty else { continue }
            topology.withLock { $0 = next }
            return
        }
        throw RedisError("no cluster node answered CLUSTER SLOTS")
    }

    private func node(for command: [String], _ t: Topology) -> Int {
        guard let key = RedisSlot.key(of: command) else { return 0 }
        return max(0, t.slots[RedisSlot.of(key)])
    }

    package func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        trips.add(1, ordering: .relaxed)
        var replies = [RedisValue?](repeating: nil, count: commands.count)
        var pending = Array(commands.indices)
        for attempt in 0..<3 where !pending.isEmpty {
            let t = topology.withLock { $0 }
            guard !t.pools.isEmpty else { throw RedisError("the cluster has no known node") }
            var groups: [Int: [Int]] = [:]
            for i in pending { groups[node(for: commands[i], t), default: []].append(i) }
            let work = groups.sorted { $0.key < $1.key }
            let answers = Mutex([Int: Result<[RedisValue], RedisError>]())
            // Each node's share in one round trip, the nodes at the same time, all within the
            // calling check's deadline (the workers are other threads).
            let deadline = StateDeadline.current
            DispatchQueue.concurrentPerform(iterations: work.count) { k in
                let (n, indices) = work[k]
                let result = StateDeadline.with(deadline) { () -> Result<[RedisValue], RedisError> in
                    do throws(RedisError) {
                        return .success(try t.pools[n].pipeline(indices.map { commands[$0] }))
                    } catch {
                        return .failure(error)
                    }
                }
                answers.withLock { $0[k] = result }
            }
            var retry: [Int] = []
            var refreshNeeded = false
            for (k, (_, indices)) in work.enumerated() {
                switch answers.withLock({ $0[k] })! {
                case .failure(let error):
                    // A node down (failover under way): learn the new map, and send its commands
                    // again if the map moved their slots (not after a timeout: the node may have
                    // run them, and counting twice is worse than answering without the counters).
                    try? refresh()
                    let down = t.nodes[work[k].key]
                    let moved = topology.withLock { now in indices.contains { now.nodes[node(for: commands[$0], now)] != down } }
                    guard attempt < 2, !error.timedOut, moved else { throw error }
                    retry += indices
                case .success(let got):
                    for (i, reply) in zip(indices, got) {
                        if case .error(let message) = reply, message.hasPrefix("MOVED ") {
                            refreshNeeded = true
                            retry.append(i)
                        } else if case .error(let message) = reply, message.hasPrefix("ASK "), let target = Self.node(in: message) {
                            let pool = RedisPool(
                                host: target.host, port: target.port, timeout: timeout, capacity: 1, credentials: credentials, tls: tls)
                            replies[i] = try pool.pipeline([["ASKING"], commands[i]]).last
                        } else {
                            replies[i] = reply
                        }
                    }
                }
            }
            if refreshNeeded, attempt < 2 { try refresh() }
            pending = retry.sorted()
        }
        return replies.map { $0 ?? .error("MOVED: the cluster kept moving the slot") }
    }

    /// `host:port` from a `MOVED`/`ASK` error.
    static func node(in message: String) -> Node? {
        let parts = message.split(separator: " ")
        guard parts.count == 3, let colon = parts[2].lastIndex(of: ":"), let port = Int(parts[2][parts[2].index(after: colon)...]) else {
            return nil
        }
        return Node(host: String(parts[2][..<colon]), port: port)
    }

    /// How long a transaction waits at most for a replica to acknowledge it (`WAIT 1`), and
    /// never past the check's deadline. Replication is asynchronous: a write only the master
    /// has is lost if the master dies before sending it. The answer says which it was
    /// (`PenaltyDurability`); a replica that is slow, paused or still syncing never turns a
    /// write the master accepted into a failure.
    package static let replicaWait = 0.25

    /// One MULTI/EXEC per hash slot, each on its master, each followed by `WAIT 1`.
    @discardableResult package func transaction(_ commands: [[String]]) throws(RedisError) -> PenaltyDurability {
        var bySlot: [Int: [[String]]] = [:]
        var order: [Int] = []
        for command in commands {
            let slot = RedisSlot.key(of: command).map(RedisSlot.of) ?? 0
            if bySlot[slot] == nil { order.append(slot) }
            bySlot[slot, default: []].append(command)
        }
        var replicated = true
        for slot in order {
            let group = bySlot[slot]!
            for attempt in 0..<2 {
                let t = topology.withLock { $0 }
                let n = max(0, t.slots[slot])
                guard n < t.pools.count else { throw RedisError("the cluster has no known node") }
                trips.add(1, ordering: .relaxed)
                let (replies, replicas) = try t.pools[n].transaction(group, replicaWait: Self.replicaWait)
                let moved = replies.contains { if case .error(let m) = $0 { m.hasPrefix("MOVED ") } else { false } }
                if moved, attempt == 0 {
                    try refresh()
                    continue
                }
                try Self.check(replies)
                if replicas < 1 { replicated = false }
                break
            }
        }
        return replicated ? .replicated : .primaryOnly
    }

    /// On every master (SCRIPT LOAD must be on the node that runs the script).
    package func everywhere(_ command: [String]) throws(RedisError) -> RedisValue {
        let pools = topology.withLock { $0.pools }
        var first: RedisValue?
        for pool in pools {
            trips.add(1, ordering: .relaxed)
            let reply = try pool.pipeline([command])[0]
            if first == nil { first = reply }
        }
        guard let first else { throw RedisError("the cluster has no known node") }
        return first
    }
}
