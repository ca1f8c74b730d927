import WardenEngine

extension RedisCounters {
    /// Every counter key in Redis with a non-zero value at `t`, read with SCAN and HGETALL
    /// (`warden state`): the same sums the counting script computes. One node only: a
    /// cluster's keys are spread over its masters, which SCAN does not cross.
    package func readings(for engine: Engine, at t: Double, maxKeys: Int = 1_000_000) throws(RedisError) -> [CounterReading] {
        guard !(pool is RedisClusterPool) else {
            throw RedisError(
                "listing counters of a Redis Cluster is not supported (SCAN does not cross nodes); run it against each master as redis://HOST:PORT"
            )
        }
        let marker = "\(prefix):c:"
        var cursor = "0"
        var keys: [String] = []
        repeat {
            let reply = try pool.pipeline([["SCAN", cursor, "MATCH", marker + "*", "COUNT", "1000"]])
            guard case .array(let parts)? = reply.first, parts.count == 2, let next = parts[0].string, case .array(let found) = parts[1]
            else {
                throw RedisError("unexpected SCAN reply")
            }
            keys += found.compactMap(\.string)
            cursor = next
        } while cursor != "0" && keys.count < maxKeys
        var out: [CounterReading] = []
        for batch in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min($0 + 500, keys.count)]) }) {
            let replies = try pool.pipeline(batch.map { ["HGETALL", $0] })
            for (key, reply) in zip(batch, replies) {
                // prefix:c:{first}:COUNTER:KEY — the hash tag, then the counter's backend name.
                guard let close = key.range(of: "}:"), case .array(let fields) = reply else { continue }
                let rest = key[close.upperBound...]
                guard let colon = rest.firstIndex(of: ":") else { continue }
                let name = String(rest[..<colon])
                let counterKey = String(rest[rest.index(after: colon)...])
                guard let (index, windowStart, _) = engine.counterWindow(backendName: name, at: t) else { continue }
                var total = 0.0
                for k in stride(from: 0, to: fields.count - 1, by: 2) {
                    guard let field = fields[k].string, let tag = field.first, let value = fields[k + 1].string else { continue }
                    switch tag {
                    case "s": if let step = Int32(field.dropFirst()), step >= windowStart { total += Double(value) ?? 0 }
                    case "v": if let step = Int32(value), step >= windowStart { total += 1 }
                    default: break
                    }
                }
                if total != 0 { out.append(engine.counterReading(index: index, key: counterKey, value: total)) }
            }
        }
        return out
    }
}
