/// Where penalties are kept. The evaluator talks only to this interface, so a durable (SQLite)
/// or shared (Redis) ledger can replace the in-memory one without touching it.
public protocol PenaltyLedger: AnyObject, Sendable {
    /// Penalties of `action` on `target` that are in force at `t`, newest first.
    func inForce(action: String, targetKind: String, target: String, at t: Double) -> PenaltyRecord?
    /// How many penalties of `action` were recorded on `target` and not lifted.
    func offenses(action: String, targetKind: String, target: String) -> Int
    /// Adds a new record; the ledger assigns its id.
    @discardableResult func record(_ penalty: PenaltyRecord) -> PenaltyRecord
    /// Moves a record's end out (never in).
    func extend(id: String, until: Double?, forever: Bool)
    /// Marks a record lifted; returns it, or nil when there is no such id.
    func lift(id: String, reason: String, at t: Double) -> PenaltyRecord?
    /// Every record on a target, lifted ones included, oldest first.
    func records(targetKind: String, target: String) -> [PenaltyRecord]
    /// Every record, oldest first.
    var all: [PenaltyRecord] { get }
}

/// The default ledger: everything in memory, indexed by target.
///
/// `@unchecked Sendable`: it has no lock of its own; an engine touches it only under the lock of
/// its state, and a durable ledger that wraps it (`SQLiteLedger`) only under its own lock.
public final class MemoryLedger: PenaltyLedger, @unchecked Sendable {
    private var storage: [PenaltyRecord] = []
    private var byTarget: [String: [Int]] = [:]
    private var byID: [String: Int] = [:]
    /// Per action and target: record indices, oldest first (in-force checks and offense counts
    /// stay proportional to that target's history of that action, not to all its records).
    private var byAction: [String: [Int]] = [:]
    private var nextNumber = 1

    public init() {}

    static func targetKey(_ kind: String, _ target: String) -> String { kind + "\u{1F}" + target }
    static func actionKey(_ action: String, _ kind: String, _ target: String) -> String { action + "\u{1F}" + kind + "\u{1F}" + target }

    public func inForce(action: String, targetKind: String, target: String, at t: Double) -> PenaltyRecord? {
        guard PenaltyRecord.lasting.contains(action) else { return nil }
        for i in (byAction[Self.actionKey(action, targetKind, target)] ?? []).reversed() where storage[i].inForce(at: t) {
            return storage[i]
        }
        return nil
    }

    public func offenses(action: String, targetKind: String, target: String) -> Int {
        (byAction[Self.actionKey(action, targetKind, target)] ?? []).reduce(0) { $0 + (storage[$1].lifted == nil ? 1 : 0) }
    }

    private func index(_ r: PenaltyRecord) {
        byID[r.id] = storage.count
        byTarget[Self.targetKey(r.targetKind, r.target), default: []].append(storage.count)
        byAction[Self.actionKey(r.action, r.targetKind, r.target), default: []].append(storage.count)
        storage.append(r)
    }

    @discardableResult public func record(_ penalty: PenaltyRecord) -> PenaltyRecord {
        var r = penalty
        r.id = "p-\(nextNumber)"
        nextNumber += 1
        index(r)
        return r
    }

    public func extend(id: String, until: Double?, forever: Bool) {
        guard let i = byID[id] else { return }
        if forever {
            storage[i].forever = true
            storage[i].until = nil
        } else if let until, !storage[i].forever, until > (storage[i].until ?? -.infinity) {
            storage[i].until = until
        }
    }

    public func lift(id: String, reason: String, at t: Double) -> PenaltyRecord? {
        guard let i = byID[id] else { return nil }
        if storage[i].lifted == nil { storage[i].lifted = PenaltyRecord.Lift(at: t, reason: reason) }
        return storage[i]
    }

    public func records(targetKind: String, target: String) -> [PenaltyRecord] {
        (byTarget[Self.targetKey(targetKind, target)] ?? []).map { storage[$0] }
    }

    public var all: [PenaltyRecord] { storage }

    /// Restores records (from a snapshot or a database), ids kept.
    public func load(_ records: [PenaltyRecord]) {
        storage = []
        byTarget = [:]
        byID = [:]
        byAction = [:]
        nextNumber = 1
        for r in records {
            if r.id.hasPrefix("p-"), let n = Int(r.id.dropFirst(2)) { nextNumber = max(nextNumber, n + 1) }
            index(r)
        }
    }
}
