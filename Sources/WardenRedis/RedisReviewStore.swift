import Foundation
import Synchronization
import WardenEngine

/// The review loop in Redis, shared by every server on it: a case one server opens is in every
/// server's queue, a claim one grants holds on all, an entry added through one is matched by the
/// next check on each.
///
/// Every key carries the hash tag `{review}`, so on a cluster they live on one shard and the
/// scripts below are atomic: opening a case checks the cap, numbers it and indexes it in one
/// step; a claim or a resolution replaces the case only if nobody changed it since it was read
/// (compare and set), so two reviewers never both hold one case.
public final class RedisReviewStore: ReviewStore {
    let pool: any RedisClient
    let prefix: String
    public let maxOpenCases: Int
    public let retention: Double
    private let refused = Atomic<Int>(0)
    /// The change log keeps this many lines (older ones are trimmed).
    static let changesKept = 1_000_000

    public init(pool: any RedisClient, prefix: String = "warden", maxOpenCases: Int = 100_000, retention: Double = 90 * 86_400) {
        self.pool = pool
        self.prefix = prefix
        self.maxOpenCases = maxOpenCases
        self.retention = retention
    }

    func key(_ name: String) -> String { "\(prefix):{review}:\(name)" }

    private func run(_ commands: [[String]]) throws(ReviewError) -> [RedisValue] {
        do throws(RedisError) {
            let replies = try pool.pipeline(commands)
            if case .error(let message)? = replies.first(where: { if case .error = $0 { true } else { false } }) {
                throw RedisError(message)
            }
            return replies
        } catch {
            throw ReviewError(.unavailable, "redis: \(error)")
        }
    }

    // MARK: cases

    /// KEYS: seq, open count, index. ARGV: cap, body with the id as `%ID%`. Returns the number, or 0 when full.
    static let openScript = """
        local open = tonumber(redis.call('GET', KEYS[2]) or '0')
        if open >= tonumber(ARGV[1]) then return 0 end
        local n = redis.call('INCR', KEYS[1])
        local body = string.gsub(ARGV[2], '%%ID%%', 'c' .. n)
        redis.call('SET', KEYS[4] .. n, body)
        redis.call('ZADD', KEYS[3], n, n)
        redis.call('INCR', KEYS[2])
        return n
        """

    public func openCase(_ c: ReviewCase) throws(ReviewError) -> ReviewCase? {
        var c = c
        c.id = "%ID%"
        let replies = try run([
            [
                "EVAL", Self.openScript, "4", key("case:seq"), key("case:open"), key("cases"), key("case:"), String(maxOpenCases),
                c.storedText,
            ]
        ])
        guard let n = replies[0].int, n > 0 else {
            refused.add(1, ordering: .relaxed)
            return nil
        }
        c.id = "c\(n)"
        return c
    }

    public func reviewCase(id: String) throws(ReviewError) -> ReviewCase? {
        guard let n = ReviewCase.number(of: id) else { return nil }
        return try run([["GET", key("case:\(n)")]])[0].string.flatMap(ReviewCase.init(storedText:))
    }

    public func cases(_ query: CaseQuery, at t: Double) throws(ReviewError) -> (cases: [ReviewCase], next: String?) {
        var after = query.after.flatMap(ReviewCase.number(of:)) ?? 0
        var page: [ReviewCase] = []
        while true {
            let numbers = try run([["ZRANGEBYSCORE", key("cases"), "(\(after)", "+inf", "LIMIT", "0", "500"]])[0]
            guard case .array(let items) = numbers, !items.isEmpty else { return (page, nil) }
            let keys = items.compactMap { $0.string.map { key("case:\($0)") } }
            guard case .array(let bodies) = try run([["MGET"] + keys])[0] else { return (page, nil) }
            // Resolved cases past the retention have expired: their numbers leave the index.
            let expired = zip(items, bodies).compactMap { item, body in body == .null ? item.string : nil }
            if !expired.isEmpty { _ = try? run([["ZREM", key("cases")] + expired]) }
            for body in bodies {
                guard let c = body.string.flatMap(ReviewCase.init(storedText:)) else { continue }
                after = c.number
                guard query.matches(c, at: t) else { continue }
                if page.count == query.limit { return (page, page.last?.id) }
                page.append(c)
            }
            if let last = items.last?.string.flatMap(Int.init) { after = max(after, last) }
        }
    }

    /// KEYS: the case, the open count. ARGV: the body read, the new body, 1 when it resolves,
    /// the retention in seconds (a resolved case expires then; the queue skips and drops it).
    static let swapScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2])
        if ARGV[3] == '1' then
          redis.call('DECR', KEYS[2])
          redis.call('EXPIRE', KEYS[1], ARGV[4])
        end
        return 1
        """

    private func change(_ id: String, _ transition: (ReviewCase) throws(ReviewError) -> ReviewCase) throws(ReviewError) -> ReviewCase {
        for _ in 0..<8 {
            guard let n = ReviewCase.number(of: id),
                let body = try run([["GET", key("case:\(n)")]])[0].string, let current = ReviewCase(storedText: body)
            else { throw ReviewError(.notFound, "no case \(id)") }
            let next = try transition(current)
            let resolves = current.resolution == nil && next.resolution != nil
            let swapped = try run([
                [
                    "EVAL", Self.swapScript, "2", key("case:\(n)"), key("case:open"), body, next.storedText, resolves ? "1" : "0",
                    String(max(1, Int(retention))),
                ]
            ])[0]
            if swapped.int == 1 { return next }
            // Changed by another server between the read and the write: read it again.
        }
        throw ReviewError(.conflict, "case \(id) keeps changing under this request; try again")
    }

    public func claim(id: String, by: String, lease: Double, at t: Double) throws(ReviewError) -> ReviewCase {
        try change(id) { c throws(ReviewError) in try c.claimed(by: by, lease: lease, at: t) }
    }

    public func resolve(id: String, _ resolution: ReviewCase.Resolution) throws(ReviewError) -> ReviewCase {
        try change(id) { c throws(ReviewError) in try c.resolved(with: resolution) }
    }

    public var openCaseCount: Int { (try? run([["GET", key("case:open")]])[0].int) ?? 0 }
    public var casesRefused: Int { refused.load(ordering: .relaxed) }

    // MARK: labels

    func labelKey(_ kind: EntityLabel.Kind, _ target: String) -> String { key("labels:\(kind.rawValue)|\(target)") }

    public func addLabel(_ label: EntityLabel) throws(ReviewError) {
        _ = try run([["HSET", labelKey(label.kind, label.target), label.label, label.jsonValue.text]])
    }

    public func removeLabel(kind: EntityLabel.Kind, target: String, label: String) throws(ReviewError) -> Bool {
        try run([["HDEL", labelKey(kind, target), label]])[0].int == 1
    }

    public func labels(kind: EntityLabel.Kind, target: String, at t: Double) -> [EntityLabel] {
        guard case .array(let items)? = try? run([["HVALS", labelKey(kind, target)]])[0] else { return [] }
        return items.compactMap { $0.string.flatMap(EntityLabel.init(storedText:)) }
            .filter { $0.inForce(at: t) }.sorted { $0.at < $1.at }
    }

    /// A store that does not answer reads as "no label": a rule reading it does not fire.
    public func hasLabel(kind: EntityLabel.Kind, target: String, label: String, at t: Double) -> Bool {
        guard let body = (try? run([["HGET", labelKey(kind, target), label]]))?[0].string,
            let l = EntityLabel(storedText: body)
        else { return false }
        return l.inForce(at: t)
    }

    // MARK: live lists

    /// KEYS: the list's hash, its version. ARGV: entry, body, cap. 0 when at the cap.
    static let addEntryScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('INCR', KEYS[2])
        return 1
        """

    public func addEntry(_ entry: ListEntry, cap: Int) throws(ReviewError) {
        let added = try run([
            [
                "EVAL", Self.addEntryScript, "2", key("list:\(entry.list)"), key("listver:\(entry.list)"), entry.entry,
                entry.jsonValue.text,
                String(cap),
            ]
        ])[0]
        if added.int != 1 { throw ReviewError(.invalid, "list \(entry.list) holds \(cap) live entries; its cap is \(cap)") }
    }

    public func removeEntry(list: String, entry: String) throws(ReviewError) -> Bool {
        let replies = try run([["HDEL", key("list:\(list)"), entry], ["INCR", key("listver:\(list)")]])
        return replies[0].int == 1
    }

    public func entries(list: String, at t: Double) -> [ListEntry] {
        guard case .array(let items)? = try? run([["HVALS", key("list:\(list)")]])[0] else { return [] }
        return items.compactMap { $0.string.flatMap(ListEntry.init(storedText:)) }
            .filter { $0.inForce(at: t) }.sorted { $0.entry < $1.entry }
    }

    /// One GET per live list per check: what makes an entry added on another server count on
    /// this one's next check. A store that does not answer keeps the version this engine has.
    public func listVersion(_ list: String) -> UInt64 {
        guard let n = (try? run([["GET", key("listver:\(list)")]]))?[0].int else { return 0 }
        return UInt64(max(0, n))
    }

    // MARK: change log and history

    @discardableResult
    public func append(_ change: ChangeRecord) throws(ReviewError) -> ChangeRecord {
        var c = change
        guard let n = try run([["INCR", key("change:seq")]])[0].int else { throw ReviewError(.unavailable, "redis: INCR did not answer") }
        c.seq = n
        _ = try run([["RPUSH", key("changes"), c.jsonValue.text], ["LTRIM", key("changes"), String(-Self.changesKept), "-1"]])
        return c
    }

    public func changes(since: Double?, kind: ChangeRecord.Kind?, limit: Int) -> [ChangeRecord] {
        guard case .array(let items)? = try? run([["LRANGE", key("changes"), "0", "-1"]])[0] else { return [] }
        var out: [ChangeRecord] = []
        for item in items {
            guard let c = item.string.flatMap(ChangeRecord.init(storedText:)) else { continue }
            if let since, c.at < since { continue }
            if let kind, c.kind != kind { continue }
            out.append(c)
            if out.count == limit { break }
        }
        return out
    }

    public func storeRuleSet(_ version: RuleSetVersion) throws(ReviewError) {
        let added = try run([["HSETNX", key("rulesets"), version.digest, version.jsonValue(withFiles: true).text]])[0]
        if added.int == 1 { _ = try run([["RPUSH", key("rulesets:order"), version.digest]]) }
    }

    public func ruleSets() -> [RuleSetVersion] {
        guard case .array(let order)? = try? run([["LRANGE", key("rulesets:order"), "0", "-1"]])[0] else { return [] }
        let digests = order.compactMap(\.string)
        guard !digests.isEmpty, case .array(let bodies)? = try? run([["HMGET", key("rulesets")] + digests])[0] else { return [] }
        return bodies.compactMap { $0.string.flatMap(RuleSetVersion.init(storedText:)) }
    }

    public func saveDraft(_ draft: RuleDraft) throws(ReviewError) {
        let replies = try run([["HSET", key("drafts"), draft.id, draft.jsonValue(withFiles: true).text]])
        if replies[0].int == 1 { _ = try run([["RPUSH", key("drafts:order"), draft.id]]) }
    }

    public func drafts() -> [RuleDraft] {
        guard case .array(let order)? = try? run([["LRANGE", key("drafts:order"), "0", "-1"]])[0] else { return [] }
        let ids = order.compactMap(\.string)
        guard !ids.isEmpty, case .array(let bodies)? = try? run([["HMGET", key("drafts")] + ids])[0] else { return [] }
        return bodies.compactMap { $0.string.flatMap(RuleDraft.init(storedText:)) }
    }
}
