import Foundation
import WardenRedis

/// A throwaway Redis Cluster for tests: three masters and three replicas on loopback ports
/// (`redis-server --cluster-enabled yes`, joined by `redis-cli --cluster create`), no persistence,
/// every node stopped on deinit.
public final class RedisClusterServer: @unchecked Sendable {
    public private(set) var ports: [Int] = []
    private var processes: [Int: Process] = [:]
    private let dir: URL

    /// - Parameter replicasInSync: wait until every master's replica has synced (the default);
    ///   false hands the cluster over the moment it reports `cluster_state:ok`, replicas
    ///   possibly still syncing, as an operator's script would.
    public init(replicasInSync: Bool = true) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // A random port may be taken (by another test's server, or its cluster bus port): try
        // three bases.
        var chosen: [Int] = []
        for attempt in 0..<3 {
            // Data ports 12,000–19,999 put the cluster bus ports (+10,000) below the ephemeral range.
            let base = Int.random(in: 12_000..<19_990)
            let candidate = (0..<6).map { base + $0 }
            do {
                for port in candidate { try start(port) }
                chosen = candidate
                break
            } catch {
                for port in Array(processes.keys) { kill(port) }
                if attempt == 2 { throw error }
            }
        }
        ports = chosen
        let create = Process()
        create.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        create.arguments = ["--cluster", "create"] + ports.map { "127.0.0.1:\($0)" } + ["--cluster-replicas", "1", "--cluster-yes"]
        create.standardOutput = FileHandle.nullDevice
        create.standardError = FileHandle.nullDevice
        try create.run()
        create.waitUntilExit()
        guard create.terminationStatus == 0 else { throw RedisError("redis-cli --cluster create failed") }
        try waitUntilOK(replicas: replicasInSync ? true : nil)
    }

    public var url: String { "redis+cluster://" + ports.prefix(3).map { "127.0.0.1:\($0)" }.joined(separator: ",") }

    func start(_ port: Int) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        p.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--cluster-enabled", "yes",
            "--cluster-config-file", dir.appendingPathComponent("nodes-\(port).conf").path, "--cluster-node-timeout", "1000",
            // A replica may take over however long since it last heard its master (a young test cluster).
            "--cluster-replica-validity-factor", "0",
            // Replicas sync at once (the default waits 5 s for more replicas before a diskless
            // transfer): under a loaded test run, creation plus three delayed syncs could pass
            // the deadline below.
            "--repl-diskless-sync-delay", "0",
            "--dir", dir.path,
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        processes[port] = p
        for _ in 0..<100 {
            if (try? RedisPool(host: "127.0.0.1", port: port, timeout: 0.2).pipeline([["PING"]])) == [.status("PONG")] { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw RedisError("redis-server did not start on port \(port)")
    }

    /// Waits until every running node says the cluster is ok (all slots served) and, with
    /// `replicas`, every master has a replica in sync (ledger writes wait for its
    /// acknowledgement). After a master is killed its promoted replica has no replica of its
    /// own, so a test waiting for the failover passes `replicas: false`: then only the masters
    /// that have replicas must have them in sync. The deadline is generous: on a CI machine whose
    /// two cores also run the rest of the suite, a young cluster once took longer than 30 s.
    /// `replicas: nil` asks only for `cluster_state:ok`.
    public func waitUntilOK(seconds: Double = 90, replicas: Bool? = true) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let ok = processes.keys.allSatisfy { port in
                guard
                    case .string(let info)? = try? RedisPool(host: "127.0.0.1", port: port, timeout: 0.5).pipeline([["CLUSTER", "INFO"]])
                        .first
                else { return false }
                guard info.contains("cluster_state:ok") else { return false }
                guard let replicas else { return true }
                guard
                    case .string(let replication)? = try? RedisPool(host: "127.0.0.1", port: port, timeout: 0.5).pipeline([
                        ["INFO", "replication"]
                    ]).first
                else { return false }
                guard replication.contains("role:master") else { return true }
                let lines = replication.split(whereSeparator: \.isNewline)
                let connected =
                    lines.first { $0.hasPrefix("connected_slaves:") }.flatMap { Int($0.dropFirst("connected_slaves:".count)) } ?? 0
                let online = lines.filter { $0.hasPrefix("slave") && $0.contains("state=online") }.count
                return replicas ? connected > 0 && online == connected : online == connected
            }
            if ok { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw RedisError("the cluster did not reach cluster_state:ok")
    }

    /// The port of the master serving `slot`.
    public func master(of slot: Int) throws -> Int {
        guard
            case .array(let ranges)? = try RedisPool(host: "127.0.0.1", port: processes.keys.first!, timeout: 1).pipeline([
                ["CLUSTER", "SLOTS"]
            ]).first
        else { throw RedisError("no CLUSTER SLOTS") }
        for case .array(let r) in ranges {
            if let low = r[0].int, let high = r[1].int, (low...high).contains(slot), case .array(let master) = r[2],
                let port = master[1].int
            {
                return port
            }
        }
        throw RedisError("slot \(slot) unserved")
    }

    /// The port of a replica of the master on `port`, from the master's `INFO replication`.
    public func replica(of port: Int) throws -> Int {
        guard
            case .string(let info)? = try RedisPool(host: "127.0.0.1", port: port, timeout: 1).pipeline([["INFO", "replication"]]).first,
            let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("slave0:") }),
            let field = line.split(separator: ",").first(where: { $0.hasPrefix("port=") }), let replica = Int(field.dropFirst(5))
        else { throw RedisError("the master on \(port) has no replica") }
        return replica
    }

    /// SIGSTOP one node: alive to the kernel (connections stay open) but answering nothing.
    public func pause(_ port: Int) {
        if let p = processes[port] { Foundation.kill(p.processIdentifier, SIGSTOP) }
    }

    /// SIGCONT a paused node.
    public func resume(_ port: Int) {
        if let p = processes[port] { Foundation.kill(p.processIdentifier, SIGCONT) }
    }

    /// SIGKILL one node (a master, for a failover).
    public func kill(_ port: Int) {
        guard let p = processes.removeValue(forKey: port) else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    deinit {
        for port in Array(processes.keys) {
            resume(port)
            kill(port)
        }
        try? FileManager.default.removeItem(at: dir)
    }
}
