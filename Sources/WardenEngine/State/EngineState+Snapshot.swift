/// Snapshots: counters and the ledger as one JSON document, to carry state from one run to the
/// next (audit day after day, a warm restart).
///
/// Counters are matched by their identity (their definition as written), so a counter whose
/// definition changed starts empty while the others keep their state.
extension EngineState {
    static let format = "warden-state/1"

    func snapshot(digest: String) -> String {
        var counterItems: [JSONValue] = []
        for (i, spec) in counters.specs.enumerated() {
            var keys: [JSONValue] = []
            let entries = counters.entries(i)
            if spec.kind == .distinct {
                for (key, s) in entries.distinct {
                    let values = s.newest.sorted { $0.key < $1.key }.map {
                        JSONValue.array([.string(String($0.key, radix: 16)), .number(Double($0.value))])
                    }
                    keys.append(.object([("key", .string(key)), ("level", .number(Double(s.level))), ("values", .array(values))]))
                }
            } else {
                for (key, s) in entries.series {
                    let buckets = s.buckets.map { JSONValue.array([.number(Double($0.step)), .number($0.value)]) }
                    keys.append(.object([("key", .string(key)), ("buckets", .array(buckets))]))
                }
            }
            counterItems.append(.object([("id", .string(spec.identity)), ("keys", .array(keys))]))
        }
        let records = ledger.all.map(\.storedValue)
        var w = JSONWriter()
        w.value(
            .object([
                ("format", .string(Self.format)), ("ruleset", .string(digest)), ("counters", .array(counterItems)),
                ("penalties", .array(records)),
                (
                    "invites",
                    {
                        _ = invites.sync()
                        return invites.store.withLock { $0.json }
                    }()
                ),
            ]))
        return w.output
    }

    /// Replaces the state with a snapshot's; returns how many counters of the snapshot no
    /// longer exist in the rule set (their state is dropped).
    func restore(_ text: String) throws(SnapshotError) -> Int {
        let root: JSONValue
        do throws(JSONParser.Failure) {
            root = try JSONParser.parse(text)
        } catch {
            throw SnapshotError(message: "not valid JSON at column \(error.column): \(error.message)")
        }
        guard root["format"] == .string(Self.format) else { throw SnapshotError(message: "not a \(Self.format) snapshot") }
        // Snapshots from before the invite graph have none: it starts empty.
        let graph = try root["invites"].map { v throws(SnapshotError) in try InviteStore.load(v) } ?? InviteStore()
        var dropped = 0
        let index = Dictionary(counters.specs.enumerated().map { ($1.identity, $0) }, uniquingKeysWith: { a, _ in a })
        guard case .array(let items)? = root["counters"], case .array(let records)? = root["penalties"] else {
            throw SnapshotError(message: "a snapshot has 'counters' and 'penalties' arrays")
        }
        for item in items {
            guard case .string(let id)? = item["id"], case .array(let keys)? = item["keys"] else {
                throw SnapshotError(message: "a counter needs 'id' and 'keys'")
            }
            guard let i = index[id] else {
                dropped += 1
                continue
            }
            for entry in keys {
                guard case .string(let key)? = entry["key"] else { throw SnapshotError(message: "counter \(id): a key entry needs 'key'") }
                if counters.specs[i].kind == .distinct {
                    var s = DistinctSeries()
                    if case .number(let level)? = entry["level"] {
                        guard let l = UInt64(exactly: level), l < 64 else {
                            throw SnapshotError(message: "counter \(id): level \(level) is out of range")
                        }
                        s.level = l
                    }
                    if case .array(let values)? = entry["values"] {
                        for v in values {
                            guard case .array(let pair) = v, pair.count == 2, case .string(let hex) = pair[0],
                                let h = UInt64(hex, radix: 16), case .number(let step) = pair[1]
                            else { throw SnapshotError(message: "counter \(id): bad distinct value") }
                            guard let st = Int32(exactly: step) else {
                                throw SnapshotError(message: "counter \(id): step \(step) is out of range")
                            }
                            s.newest[h] = st
                            s.perStep[st, default: 0] += 1
                            s.newestStep = max(s.newestStep, st)
                        }
                    }
                    counters.put(i, key: key, distinct: s)
                } else {
                    var s = WindowSeries()
                    // Gathered apart and set once: `buckets` is computed, and appending to it
                    // copied every bucket each time (10^5 buckets of one key took 21 s).
                    var gathered: [WindowSeries.Bucket] = []
                    if case .array(let buckets)? = entry["buckets"] {
                        gathered.reserveCapacity(buckets.count)
                        for b in buckets {
                            guard case .array(let pair) = b, pair.count == 2, case .number(let step) = pair[0],
                                case .number(let v) = pair[1], v.isFinite
                            else { throw SnapshotError(message: "counter \(id): bad bucket") }
                            guard let st = Int32(exactly: step) else {
                                throw SnapshotError(message: "counter \(id): step \(step) is out of range")
                            }
                            gathered.append(WindowSeries.Bucket(step: st, value: v))
                        }
                    }
                    gathered.sort { $0.step < $1.step }
                    s.buckets = gathered
                    counters.put(i, key: key, series: s)
                }
            }
        }
        var restored: [PenaltyRecord] = []
        for r in records {
            let record = try PenaltyRecord(stored: r)
            restored.append(record)
        }
        // A durable ledger keeps its own records; only an in-memory one is restored from here.
        if let memory = ledger as? MemoryLedger { memory.load(restored) }
        invites.store.withLock { $0 = graph }
        invites.rewind()
        counters.recomputeNewest()
        return dropped
    }
}

public struct SnapshotError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Engine {
    /// The identities of the counters of this engine that start empty next to `previous`, the
    /// engine it replaced (`init(replacing:)`): new or changed definitions.
    func countersReset(comparedTo previous: Engine) -> [String] {
        state.counters.fresh(comparedTo: previous.state.counters)
    }

    /// The counters and the ledger as a JSON document.
    /// Each counter shard is read under its lock, so a snapshot taken under load is consistent
    /// per key (not one instant for all keys).
    public func snapshot() -> String { state.snapshot(digest: ruleSet.info.digest) }

    /// Replaces the state with a snapshot's. Returns the number of counters in the snapshot that
    /// the current rule set no longer has (their state is dropped).
    @discardableResult
    public func restore(snapshot text: String) throws(SnapshotError) -> Int {
        try state.restore(text)
    }
}
