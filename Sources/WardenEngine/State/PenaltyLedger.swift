import Synchronization

/// Where penalties are kept. The evaluator talks only to this interface, so a durable (SQLite)
/// or shared (Redis) ledger can replace the in-memory one without touching it.
public protocol PenaltyLedger: AnyObject, Sendable {
    /// Penalties of `action` on `target` that are in force at `t`, newest first.
    func inForce(action: PenaltyAction, targetKind: TargetKind, target: String, at t: Double) -> PenaltyRecord?
    /// How many penalties of `action` were recorded on `target` and not lifted.
    func offenses(action: PenaltyAction, targetKind: TargetKind, target: String) -> Int
    /// Adds a new record; the ledger assigns its id. Throws when the record is not stored (a
    /// failed commit): the engine then leaves the penalty out of its answer, since an answer
    /// must never carry a penalty that a restart would not know.
    @discardableResult func record(_ penalty: PenaltyRecord) throws(LedgerError) -> PenaltyRecord
    /// Moves a record's end out (never in). Throws when the change is not stored.
    func extend(id: String, until: Double?, forever: Bool) throws(LedgerError)
    /// Marks a record lifted; returns it, or nil when there is no such id. Throws when the
    /// change is not stored.
    func lift(id: String, reason: String, at t: Double) throws(LedgerError) -> PenaltyRecord?
    /// Every record on a target, lifted ones included, oldest first.
    func records(targetKind: TargetKind, target: String) -> [PenaltyRecord]
    /// Every record, oldest first.
    var all: [PenaltyRecord] { get }
    /// Runs `body` (read what is in force, then record or extend) while no other process can
    /// do the same for this action and target; the engine's own threads are already excluded.
    func exclusive<R>(action: PenaltyAction, targetKind: TargetKind, target: String, _ body: () -> R) -> R
    /// `inForce` for several targets at once (an event checks its account and its code): a
    /// remote ledger answers them in one round trip.
    func inForce(_ queries: [PenaltyQuery], at t: Double) -> [PenaltyRecord?]
    /// Stored records that did not read (damaged, or written by another program) and were
    /// skipped, since the start: a shared store may hold what this process never wrote.
    var skippedRecords: Int { get }
    /// `record`, with what the write would survive when the ledger can tell (a shared one).
    func recordDurably(_ penalty: PenaltyRecord) throws(LedgerError) -> (record: PenaltyRecord, durability: PenaltyDurability?)
    /// `extend`, with what the change would survive when the ledger can tell.
    func extendDurably(id: String, until: Double?, forever: Bool) throws(LedgerError) -> PenaltyDurability?
}

/// A ledger write that was not stored: the disk is full, another process holds the database's
/// write lock, the shared store is unreachable.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One "what is in force" question: an action on a target.
public struct PenaltyQuery: Sendable, Hashable {
    public var action: PenaltyAction
    public var targetKind: TargetKind
    public var target: String

    public init(action: PenaltyAction, targetKind: TargetKind, target: String) {
        self.action = action
        self.targetKind = targetKind
        self.target = target
    }
}

extension PenaltyLedger {
    /// A ledger only this process writes needs nothing more than the engine's lock stripe.
    public func exclusive<R>(action: PenaltyAction, targetKind: TargetKind, target: String, _ body: () -> R) -> R { body() }

    public func inForce(_ queries: [PenaltyQuery], at t: Double) -> [PenaltyRecord?] {
        queries.map { inForce(action: $0.action, targetKind: $0.targetKind, target: $0.target, at: t) }
    }

    public func recordDurably(_ penalty: PenaltyRecord) throws(LedgerError) -> (record: PenaltyRecord, durability: PenaltyDurability?) {
        (try record(penalty), nil)
    }

    public var skippedRecords: Int { 0 }

    public func extendDurably(id: String, until: Double?, forever: Bool) throws(LedgerError) -> PenaltyDurability? {
        try extend(id: id, until: until, forever: forever)
        return nil
    }
}

/// The default ledger: everything in memory, indexed by target, behind its own lock.
public final class MemoryLedger: PenaltyLedger, Sendable {
    private let book = Mutex(Book())

    public init() {}

    public func inForce(action: PenaltyAction, targetKind: TargetKind, target: String, at t: Double) -> PenaltyRecord? {
        guard action.isLasting else { return nil }
        return book.withLock { $0.inForce(action: action, targetKind: targetKind, target: target, at: t) }
    }

    /// Every query under one lock.
    public func inForce(_ queries: [PenaltyQuery], at t: Double) -> [PenaltyRecord?] {
        book.withLock { b in
            queries.map { q in
                q.action.isLasting ? b.inForce(action: q.action, targetKind: q.targetKind, target: q.target, at: t) : nil
            }
        }
    }

    public func offenses(action: PenaltyAction, targetKind: TargetKind, target: String) -> Int {
        book.withLock { $0.offenses(action: action, targetKind: targetKind, target: target) }
    }

    @discardableResult public func record(_ penalty: PenaltyRecord) -> PenaltyRecord {
        book.withLock { b in
            let r = b.assignID(penalty)
            b.index(r)
            return r
        }
    }

    public func extend(id: String, until: Double?, forever: Bool) {
        book.withLock { b in
            guard let r = b.extended(id: id, until: until, forever: forever) else { return }
            b.replace(r)
        }
    }

    public func lift(id: String, reason: String, at t: Double) -> PenaltyRecord? {
        book.withLock { b in
            guard let r = b.lifted(id: id, reason: reason, at: t) else { return nil }
            b.replace(r)
            return r
        }
    }

    public func records(targetKind: TargetKind, target: String) -> [PenaltyRecord] {
        book.withLock { b in b.byTarget[Book.targetKey(targetKind, target)].map { $0.map { b.storage[$0] } } ?? [] }
    }

    public var all: [PenaltyRecord] { book.withLock { $0.all } }

    /// Restores records (from a snapshot or a database), ids kept.
    public func load(_ records: [PenaltyRecord]) {
        book.withLock { b in
            b = Book()
            for r in records {
                if r.id.hasPrefix("p-"), let n = Int(r.id.dropFirst(2)), n < Int.max { b.nextNumber = max(b.nextNumber, n + 1) }
                b.index(r)
            }
        }
    }

    /// The number the next record's id carries (`p-N`).
    package var nextNumber: Int { book.withLock { $0.nextNumber } }

    /// Gives the records numbered `first` and on the numbers `renumbered` says (a permutation of
    /// them; a number it lacks stays), and puts them in that order: records made side by side
    /// (an audit deciding accounts on every core) get the ids, and the places, that one event at
    /// a time in order would have given them.
    package func renumber(from first: Int, _ renumbered: [Int: Int]) {
        book.withLock { $0.renumber(from: first, renumbered) }
    }

    // A durable ledger writes a change to disk before it becomes visible here, so it asks for
    // the changed record first and applies it after the write.

    /// The record with its id assigned; not yet visible. Callers serialize assign and insert.
    package func assignID(_ penalty: PenaltyRecord) -> PenaltyRecord { book.withLock { $0.assignID(penalty) } }
    /// Makes a record from `assignID` visible.
    package func insert(_ r: PenaltyRecord) { book.withLock { $0.index(r) } }
    /// The record `extend` would leave, or nil when the id is unknown.
    package func extended(id: String, until: Double?, forever: Bool) -> PenaltyRecord? {
        book.withLock { $0.extended(id: id, until: until, forever: forever) }
    }
    /// The record `lift` would leave, or nil when the id is unknown.
    package func lifted(id: String, reason: String, at t: Double) -> PenaltyRecord? {
        book.withLock { $0.lifted(id: id, reason: reason, at: t) }
    }
    /// Replaces a record (same id) with a changed copy.
    package func replace(_ r: PenaltyRecord) { book.withLock { $0.replace(r) } }
    /// The record with this id, if any.
    package func record(id: String) -> PenaltyRecord? { book.withLock { b in b.byID[id].map { b.storage[$0] } } }
    /// Takes back a record whose write failed after it was made visible (a deferred commit);
    /// its id is not given out again.
    package func remove(id: String) { book.withLock { $0.remove(id: id) } }

    /// The records and their indexes.
    private struct Book {
        var storage: [PenaltyRecord] = []
        var byTarget: [TargetKey: [Int]] = [:]
        var byID: [String: Int] = [:]
        /// Per action and target: record indices, oldest first (in-force checks and offense
        /// counts stay proportional to that target's history of that action).
        var byAction: [ActionKey: [Int]] = [:]
        var nextNumber = 1
        /// Slots of removed records (rare: only a failed deferred commit removes one).
        var removed: Set<Int> = []

        var all: [PenaltyRecord] {
            removed.isEmpty ? storage : storage.indices.filter { !removed.contains($0) }.map { storage[$0] }
        }

        struct TargetKey: Hashable {
            var kind: TargetKind
            var target: String
        }

        static func targetKey(_ kind: TargetKind, _ target: String) -> TargetKey { TargetKey(kind: kind, target: target) }
        /// The action, kind and target as they are: hashing them costs less than joining them.
        struct ActionKey: Hashable {
            var action: PenaltyAction
            var kind: TargetKind
            var target: String
        }

        static func actionKey(_ action: PenaltyAction, _ kind: TargetKind, _ target: String) -> ActionKey {
            ActionKey(action: action, kind: kind, target: target)
        }

        func inForce(action: PenaltyAction, targetKind: TargetKind, target: String, at t: Double) -> PenaltyRecord? {
            if storage.isEmpty { return nil }
            for i in (byAction[Self.actionKey(action, targetKind, target)] ?? []).reversed() where storage[i].inForce(at: t) {
                return storage[i]
            }
            return nil
        }

        func offenses(action: PenaltyAction, targetKind: TargetKind, target: String) -> Int {
            (byAction[Self.actionKey(action, targetKind, target)] ?? []).reduce(0) { $0 + (storage[$1].lifted == nil ? 1 : 0) }
        }

        mutating func assignID(_ penalty: PenaltyRecord) -> PenaltyRecord {
            var r = penalty
            r.id = "p-\(nextNumber)"
            nextNumber += 1
            return r
        }

        mutating func renumber(from first: Int, _ renumbered: [Int: Int]) {
            // `record` numbers and stores under one lock: the records from `first` on are the
            // last ones stored, in the order of their numbers.
            guard let start = byID["p-\(first)"], !removed.contains(where: { $0 >= start }) else { return }
            func number(_ r: PenaltyRecord) -> Int { Int(r.id.dropFirst(2)) ?? 0 }
            var tail = Array(storage[start...])
            for r in tail {
                byID[r.id] = nil
                byTarget[Self.targetKey(r.targetKind, r.target)]?.removeAll { $0 >= start }
                byAction[Self.actionKey(r.action, r.targetKind, r.target)]?.removeAll { $0 >= start }
            }
            storage.removeSubrange(start...)
            for k in tail.indices {
                let n = number(tail[k])
                tail[k].id = "p-\(renumbered[n] ?? n)"
            }
            tail.sort { number($0) < number($1) }
            for r in tail { index(r) }
        }

        mutating func index(_ r: PenaltyRecord) {
            byID[r.id] = storage.count
            byTarget[Self.targetKey(r.targetKind, r.target), default: []].append(storage.count)
            byAction[Self.actionKey(r.action, r.targetKind, r.target), default: []].append(storage.count)
            storage.append(r)
        }

        func extended(id: String, until: Double?, forever: Bool) -> PenaltyRecord? {
            guard let i = byID[id] else { return nil }
            var r = storage[i]
            if forever {
                r.forever = true
                r.until = nil
            } else if let until, !r.forever, until > (r.until ?? -.infinity) {
                r.until = until
            }
            return r
        }

        func lifted(id: String, reason: String, at t: Double) -> PenaltyRecord? {
            guard let i = byID[id] else { return nil }
            var r = storage[i]
            if r.lifted == nil { r.lifted = PenaltyRecord.Lift(at: t, reason: reason) }
            return r
        }

        mutating func replace(_ r: PenaltyRecord) {
            guard let i = byID[r.id] else { return }
            storage[i] = r
        }

        mutating func remove(id: String) {
            guard let i = byID.removeValue(forKey: id) else { return }
            let r = storage[i]
            byTarget[Self.targetKey(r.targetKind, r.target)]?.removeAll { $0 == i }
            byAction[Self.actionKey(r.action, r.targetKind, r.target)]?.removeAll { $0 == i }
            removed.insert(i)
        }
    }
}
