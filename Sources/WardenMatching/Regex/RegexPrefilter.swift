/// Tells which of many patterns can match a text, from the literals each one requires
/// (`RegexLiterals`), with one keyword scan. A pattern can have several required sets (every
/// match contains a string of each); it is a candidate only when each of them occurs. Patterns
/// without requirements are always candidates.
package final class RegexPrefilter: Sendable {
    package let count: Int
    let lists: [KeywordList]
    /// The exact lists and the caseless ones spelled out, with their global indices; nil when
    /// there are none (or too many states).
    let bytes: ByteAutomaton?
    let byteLists: [Int]
    /// The other lists (and, when the byte automaton would be too large, all of them).
    let matcher: KeywordMatcher
    let matcherLists: [Int]
    /// Per list: its pattern; per pattern: how many lists it needs (all must be present; none:
    /// always a candidate).
    let listPattern: FixedArray<Int32>
    let requiredCount: FixedArray<UInt8>
    /// Patterns with no literal requirement.
    package let unguarded: [Int]

    /// Whether the prefilter can rule `pattern` out for a text (it requires literals).
    package static func canRuleOut(_ pattern: String, flags: String) -> Bool {
        !RegexLiterals.requirements(pattern, flags: flags).isEmpty
    }

    package convenience init(patterns: [(pattern: String, flags: String)]) {
        self.init(patterns: patterns, byteAutomatonLimit: ByteAutomaton.maxEntries)
    }

    /// - Parameter byteAutomatonLimit: most table entries of the byte automaton (tests lower it).
    init(patterns: [(pattern: String, flags: String)], byteAutomatonLimit: Int) {
        var lists: [KeywordList] = []
        var required: [[Int]] = []
        var unguarded: [Int] = []
        for (index, p) in patterns.enumerated() {
            let sets = RegexLiterals.requirements(p.pattern, flags: p.flags)
            if sets.isEmpty { unguarded.append(index) }
            var mine: [Int] = []
            for set in sets {
                mine.append(lists.count)
                lists.append(
                    KeywordList(name: "#\(index).\(mine.count)", entries: set.sorted(), folds: p.flags.contains("i") ? [.caseFold] : []))
            }
            required.append(mine)
        }
        count = patterns.count
        self.lists = lists
        // Exact lists, and caseless ones spelled out in every case (`CaselessSpellings`): all
        // of them in one byte automaton, so a text is read once for them.
        var exact: [Int] = []
        var spelled: [[String]] = []
        for (k, list) in lists.enumerated() {
            if list.folds.isEmpty {
                exact.append(k)
                spelled.append(list.entries)
            } else if list.folds == [.caseFold], let spellings = CaselessSpellings.spellings(of: list.entries, asciiFolded: true) {
                exact.append(k)
                spelled.append(spellings)
            }
        }
        // With caseless lists in it, the automaton folds ASCII case (their spellings leave A–Z
        // out); an exact literal with a capital then lets a few more texts try its regex.
        let caseless = exact.contains { !lists[$0].folds.isEmpty }
        var automaton =
            exact.isEmpty ? nil : ByteAutomaton(sets: spelled, maxEntries: byteAutomatonLimit, foldsASCIICase: caseless)
        if automaton == nil, caseless {
            // Too large with the spellings: the caseless lists go back to the matcher.
            let plain = exact.indices.filter { lists[exact[$0]].folds.isEmpty }
            spelled = plain.map { spelled[$0] }
            exact = plain.map { exact[$0] }
            automaton = exact.isEmpty ? nil : ByteAutomaton(sets: spelled, maxEntries: byteAutomatonLimit)
        }
        if automaton == nil { exact = [] }
        bytes = automaton
        byteLists = exact
        let exactSet = Set(exact)
        matcherLists = lists.indices.filter { !exactSet.contains($0) }
        matcher = KeywordMatcher(lists: matcherLists.map { lists[$0] })
        listPattern = FixedArray(required.indices.flatMap { p in required[p].map { _ in Int32(p) } })
        requiredCount = FixedArray(required.map { UInt8($0.count) })
        self.unguarded = unguarded
    }

    /// Per pattern: whether it can match `text` (true for every pattern that does).
    package func candidates(in text: String) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        var copy = text
        copy.withUTF8 { forEachCandidate(in: $0) { out[$0] = true } }
        return out
    }

    /// Calls `body` with each pattern that can match `utf8`, in order, without allocating: the
    /// scan lists the sets it found, each adds one to its pattern's count, and a pattern whose
    /// count reaches the number of sets it needs is a candidate.
    func forEachCandidate(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        withExtendedLifetime(self) {
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(byteLists.count, 1)) { seen in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(lists.count, 1)) { found in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { have in
                        let found = found.baseAddress!
                        var n = 0
                        if let bytes {
                            seen.initialize(repeating: false)
                            n = bytes.markPresent(utf8, seen, newly: found)
                            for j in 0..<n { found[j] = Int32(byteLists[Int(found[j])]) }
                        }
                        if !matcherLists.isEmpty {
                            for (k, hit) in matcher.listsPresent(inUTF8: utf8).enumerated() where hit {
                                found[n] = Int32(matcherLists[k])
                                n += 1
                            }
                        }
                        have.initialize(repeating: 0)
                        let listPattern = self.listPattern.pointer
                        for j in 0..<n { have[Int(listPattern[Int(found[j])])] &+= 1 }
                        let required = requiredCount.pointer
                        for p in 0..<count where have[p] == required[p] { body(p) }
                    }
                }
            }
        }
    }
}
