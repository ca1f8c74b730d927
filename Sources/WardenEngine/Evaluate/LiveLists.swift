import Synchronization
import WardenMatching

/// The live lists' added entries as this engine matches them: per list, a small keyword
/// automaton built with the list's folds, rebuilt when the store says the list changed
/// (`ReviewStore.listVersion`), so the next check on any server sharing the store sees an entry.
final class LiveLists: Sendable {
    /// One list's entries in force, compiled.
    struct Compiled: Sendable {
        var version: UInt64
        var builtAt: Double
        var entries: [String]
        var set: Set<String>
        var matcher: KeywordMatcher?
    }

    /// Per keyword-list index of the rule set, what is live now (nil: not a live list).
    struct Snapshot: Sendable {
        var lists: [Int: Compiled] = [:]
        var specs: [LiveListSpec] = []
    }

    private let current = Mutex(Snapshot())
    /// Expired entries leave the automaton when it is rebuilt; it is rebuilt at least this often.
    static let rebuildEvery = 60.0

    init(specs: [LiveListSpec]) {
        current.withLock { $0.specs = specs }
    }

    /// What to match this event with: each live list checked against the store's version.
    func snapshot(review: any ReviewStore, at t: Double) -> Snapshot {
        let snapshot = current.withLock { $0 }
        var rebuilt: [(Int, Compiled)] = []
        for spec in snapshot.specs {
            let version = review.listVersion(spec.name)
            if let compiled = snapshot.lists[spec.index], compiled.version == version, t - compiled.builtAt < Self.rebuildEvery { continue }
            let entries = review.entries(list: spec.name, at: t).map(\.entry)
            let matcher = entries.isEmpty ? nil : KeywordMatcher(lists: [KeywordList(name: spec.name, entries: entries, folds: spec.folds)])
            rebuilt.append((spec.index, Compiled(version: version, builtAt: t, entries: entries, set: Set(entries), matcher: matcher)))
        }
        guard !rebuilt.isEmpty else { return snapshot }
        return current.withLock { s in
            for (index, compiled) in rebuilt { s.lists[index] = compiled }
            return s
        }
    }
}

extension LiveLists.Snapshot {
    /// Adds the live entries' hits in `text` to `hits` (numbered after the list's own entries).
    func scan(_ text: String, into hits: inout [[KeywordHit]]) {
        for spec in specs {
            guard let compiled = lists[spec.index], let matcher = compiled.matcher else { continue }
            for hit in matcher.scan(text)[0] {
                hits[spec.index].append(KeywordHit(list: spec.index, entry: spec.staticCount + hit.entry, span: hit.span))
            }
        }
    }

    /// The text of entry `entry` of list `list`: a live one when past the list's own.
    func entry(_ entry: Int, of list: Int, staticEntries: [String]) -> String {
        if entry < staticEntries.count { return staticEntries[entry] }
        guard let compiled = lists[list] else { return "" }
        let k = entry - staticEntries.count
        return k < compiled.entries.count ? compiled.entries[k] : ""
    }

    func count(of list: Int) -> Int { lists[list]?.entries.count ?? 0 }

    func contains(_ value: String, in list: Int) -> Bool { lists[list]?.set.contains(value) ?? false }
}
