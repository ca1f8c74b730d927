import Synchronization

/// The review loop in this process's memory: what `serve` keeps with `--state memory`, and the
/// copy the SQLite store reads from (it writes the file first, then this).
public final class MemoryReviewStore: ReviewStore, Sendable {
    struct Book {
        var cases: [Int: ReviewCase] = [:]
        /// Case numbers, ascending: the queue's order.
        var order: [Int] = []
        var unresolved = 0
        var nextCase = 1
        var labels: [String: [EntityLabel]] = [:]
        var lists: [String: [String: ListEntry]] = [:]
        var versions: [String: UInt64] = [:]
        var changes: [ChangeRecord] = []
        var nextChange = 1
        var ruleSets: [RuleSetVersion] = []
        var drafts: [RuleDraft] = []
        var opensSincePurge = 0
    }

    private let book = Mutex(Book())
    private let refused = Atomic<Int>(0)
    public let maxOpenCases: Int
    /// How long resolved cases are kept (seconds).
    public let retention: Double
    /// Change log lines kept in memory (the SQLite file keeps every one).
    package static let changesKept = 100_000

    public init(maxOpenCases: Int = 100_000, retention: Double = 90 * 86_400) {
        self.maxOpenCases = maxOpenCases
        self.retention = retention
    }

    static func labelKey(_ kind: EntityLabel.Kind, _ target: String) -> String { kind.rawValue + "\u{1F}" + target }

    // MARK: cases

    public func openCase(_ c: ReviewCase) throws(ReviewError) -> ReviewCase? {
        let (opened, purgeDue) = book.withLock { b -> (ReviewCase?, Bool) in
            guard b.unresolved < maxOpenCases else { return (nil, false) }
            var c = c
            c.id = "c\(b.nextCase)"
            Self.insert(c, into: &b)
            b.opensSincePurge += 1
            return (c, b.opensSincePurge % 1024 == 0)
        }
        if opened == nil { refused.add(1, ordering: .relaxed) }
        // Resolved cases past the retention go, checked every 1,024 opens. (The SQLite store
        // purges its copy and its file itself; it puts cases here without opening them.)
        if purgeDue { _ = purge(at: c.opened) }
        return opened
    }

    static func insert(_ c: ReviewCase, into b: inout Book) {
        let n = c.number
        if b.cases[n] == nil {
            if let last = b.order.last, last > n {
                b.order.insert(n, at: b.order.firstIndex { $0 > n } ?? b.order.count)
            } else {
                b.order.append(n)
            }
            if c.resolution == nil { b.unresolved += 1 }
        } else if b.cases[n]?.resolution == nil, c.resolution != nil {
            b.unresolved -= 1
        }
        b.cases[n] = c
        b.nextCase = max(b.nextCase, n + 1)
    }

    /// Puts a case as it is (a store that wrote it elsewhere first, or a load).
    package func put(_ c: ReviewCase) { book.withLock { Self.insert(c, into: &$0) } }

    /// The next case number, reserved.
    package func reserveCaseNumber() -> Int? {
        book.withLock { b -> Int? in
            guard b.unresolved < maxOpenCases else { return nil }
            defer { b.nextCase += 1 }
            return b.nextCase
        }
    }

    /// Takes back a case whose write failed.
    package func remove(case id: String) {
        guard let n = ReviewCase.number(of: id) else { return }
        book.withLock { b in
            guard let c = b.cases.removeValue(forKey: n) else { return }
            b.order.removeAll { $0 == n }
            if c.resolution == nil { b.unresolved -= 1 }
        }
    }

    package func noteRefused() { refused.add(1, ordering: .relaxed) }

    /// Resolved cases older than the retention, removed; their ids returned (for a store to
    /// delete them too).
    package func purge(at t: Double) -> [String] {
        book.withLock { b in
            let cutoff = t - retention
            let old = b.order.filter { (b.cases[$0]?.resolution?.at ?? .infinity) < cutoff }
            guard !old.isEmpty else { return [] }
            let gone = Set(old)
            for n in old { b.cases[n] = nil }
            b.order.removeAll { gone.contains($0) }
            return old.map { "c\($0)" }
        }
    }

    public func reviewCase(id: String) throws(ReviewError) -> ReviewCase? {
        guard let n = ReviewCase.number(of: id) else { return nil }
        return book.withLock { $0.cases[n] }
    }

    public func cases(_ query: CaseQuery, at t: Double) throws(ReviewError) -> (cases: [ReviewCase], next: String?) {
        let after = query.after.flatMap(ReviewCase.number(of:)) ?? 0
        return book.withLock { b in
            var start = b.order.partitioningIndex { $0 > after }
            var page: [ReviewCase] = []
            while start < b.order.count {
                if let c = b.cases[b.order[start]], query.matches(c, at: t) {
                    if page.count == query.limit { return (page, page.last?.id) }
                    page.append(c)
                }
                start += 1
            }
            return (page, nil)
        }
    }

    public func claim(id: String, by: String, lease: Double, at t: Double) throws(ReviewError) -> ReviewCase {
        try update(id) { c throws(ReviewError) in try c.claimed(by: by, lease: lease, at: t) }
    }

    public func resolve(id: String, _ resolution: ReviewCase.Resolution) throws(ReviewError) -> ReviewCase {
        try update(id) { c throws(ReviewError) in try c.resolved(with: resolution) }
    }

    private func update(_ id: String, _ change: (ReviewCase) throws(ReviewError) -> ReviewCase) throws(ReviewError) -> ReviewCase {
        let n = ReviewCase.number(of: id)
        let result: Result<ReviewCase, ReviewError> = book.withLock { b in
            guard let n, let c = b.cases[n] else { return .failure(ReviewError(.notFound, "no case \(id)")) }
            do throws(ReviewError) {
                let next = try change(c)
                Self.insert(next, into: &b)
                return .success(next)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public var openCaseCount: Int { book.withLock { $0.unresolved } }
    public var casesRefused: Int { refused.load(ordering: .relaxed) }

    // MARK: labels

    public func addLabel(_ label: EntityLabel) throws(ReviewError) {
        book.withLock { b in
            let key = Self.labelKey(label.kind, label.target)
            var list = b.labels[key, default: []]
            list.removeAll { $0.label == label.label }
            list.append(label)
            b.labels[key] = list
        }
    }

    public func removeLabel(kind: EntityLabel.Kind, target: String, label: String) throws(ReviewError) -> Bool {
        book.withLock { b in
            let key = Self.labelKey(kind, target)
            guard let list = b.labels[key], list.contains(where: { $0.label == label }) else { return false }
            let rest = list.filter { $0.label != label }
            b.labels[key] = rest.isEmpty ? nil : rest
            return true
        }
    }

    public func labels(kind: EntityLabel.Kind, target: String, at t: Double) -> [EntityLabel] {
        book.withLock { $0.labels[Self.labelKey(kind, target)]?.filter { $0.inForce(at: t) } ?? [] }
    }

    public func hasLabel(kind: EntityLabel.Kind, target: String, label: String, at t: Double) -> Bool {
        book.withLock { b in b.labels[Self.labelKey(kind, target)]?.contains { $0.label == label && $0.inForce(at: t) } ?? false }
    }

    // MARK: live lists

    public func addEntry(_ entry: ListEntry, cap: Int) throws(ReviewError) {
        let result: ReviewError? = book.withLock { b in
            var list = b.lists[entry.list, default: [:]]
            if list[entry.entry] == nil, list.count >= cap {
                return ReviewError(.invalid, "list \(entry.list) holds \(list.count) live entries; its cap is \(cap)")
            }
            list[entry.entry] = entry
            b.lists[entry.list] = list
            b.versions[entry.list, default: 0] &+= 1
            return nil
        }
        if let result { throw result }
    }

    public func removeEntry(list: String, entry: String) throws(ReviewError) -> Bool {
        book.withLock { b in
            guard b.lists[list]?.removeValue(forKey: entry) != nil else { return false }
            b.versions[list, default: 0] &+= 1
            return true
        }
    }

    public func entries(list: String, at t: Double) -> [ListEntry] {
        book.withLock { b in (b.lists[list]?.values.filter { $0.inForce(at: t) } ?? []).sorted { $0.entry < $1.entry } }
    }

    public func listVersion(_ list: String) -> UInt64 { book.withLock { $0.versions[list] ?? 0 } }

    // MARK: change log and history

    @discardableResult
    public func append(_ change: ChangeRecord) throws(ReviewError) -> ChangeRecord {
        book.withLock { b in
            var c = change
            if c.seq == 0 { c.seq = b.nextChange }
            b.nextChange = max(b.nextChange, c.seq + 1)
            b.changes.append(c)
            if b.changes.count > Self.changesKept { b.changes.removeFirst(b.changes.count - Self.changesKept) }
            return c
        }
    }

    /// The number the next change will get, reserved.
    package func reserveChangeNumber() -> Int {
        book.withLock { b in
            defer { b.nextChange += 1 }
            return b.nextChange
        }
    }

    public func changes(since: Double?, kind: ChangeRecord.Kind?, limit: Int) -> [ChangeRecord] {
        book.withLock { b in
            var out: [ChangeRecord] = []
            for c in b.changes where (since.map { c.at >= $0 } ?? true) && (kind.map { c.kind == $0 } ?? true) {
                out.append(c)
                if out.count == limit { break }
            }
            return out
        }
    }

    public func storeRuleSet(_ version: RuleSetVersion) throws(ReviewError) {
        book.withLock { b in
            if !b.ruleSets.contains(where: { $0.digest == version.digest }) { b.ruleSets.append(version) }
        }
    }

    public func ruleSets() -> [RuleSetVersion] { book.withLock { $0.ruleSets } }

    public func saveDraft(_ draft: RuleDraft) throws(ReviewError) {
        book.withLock { b in
            if let i = b.drafts.firstIndex(where: { $0.id == draft.id }) { b.drafts[i] = draft } else { b.drafts.append(draft) }
        }
    }

    public func drafts() -> [RuleDraft] { book.withLock { $0.drafts } }
}

extension Array where Element == Int {
    /// The first index whose element satisfies `belongs` (which must be false, then true).
    func partitioningIndex(where belongs: (Int) -> Bool) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
