import Dispatch
import Synchronization

/// Finds the hits of every word list in a text at once, folding as it reads.
///
/// Lists that fold the same way share one `ReverseTrie`. The text is read once per distinct
/// fold set (normally once): each UTF-8 scalar is decoded, folded and mapped to its keyword
/// class by a single table lookup, and the keywords ending at it are looked up; no folded copy
/// of the text is built. A small
/// ring remembers where the last units started in the original text, so hits come back as spans
/// of the original, in Unicode scalars.
package final class KeywordMatcher: Sendable {
    package let lists: [KeywordList]
    let groups: [Group]
    /// The hidden lists of the `pinyin` fold, after `lists` in the groups' numbering.
    let derived: [Derived]
    /// An empty hit list per list.
    let noHits: [[KeywordHit]]

    /// One keyword index (`ReverseTrie`) and its tables. A class, so that a scan takes one
    /// reference to it rather than copying (and retaining) every table per text: shared objects
    /// retained per event make the cores fight over their reference counts.
    final class Group: Sendable {
        let folds: FoldOptions
        let table: FoldTable
        /// Per scalar below U+20000: class | end flags | digit flag, `drop`, or multi flag | index.
        let entries: FixedArray<UInt32>
        let multi: [[UInt32]]
        /// Classes of folded scalars above U+1FFFF.
        let highClass: [UInt32: UInt32]
        let trie: ReverseTrie
        /// Per pattern: its owners (list, entry) are `ownerList/ownerEntry[ownerStart[p]..<ownerStart[p+1]]`.
        let ownerStart: FixedArray<Int32>
        let ownerList: FixedArray<Int32>
        let ownerEntry: FixedArray<Int32>
        /// Per pattern: bit 0, an ASCII letter or digit first; bit 1, last (the boundary rule).
        let wordEdges: FixedArray<UInt8>
        /// Per owner (as `ownerList`): -1, or where in `runs` the keyword's own run lengths start,
        /// one per pattern unit. Under the `repeats` fold `拼多多` is stored as `拼多`, so a hit
        /// must show a run of at least two `多` to be one (`拼多少` is not).
        let ownerRuns: FixedArray<Int32>
        let runs: FixedArray<UInt8>
        let ringSize: Int

        init(
            folds: FoldOptions, table: FoldTable, entries: FixedArray<UInt32>, multi: [[UInt32]], highClass: [UInt32: UInt32],
            trie: ReverseTrie, ownerStart: FixedArray<Int32>, ownerList: FixedArray<Int32>, ownerEntry: FixedArray<Int32>,
            wordEdges: FixedArray<UInt8>, ownerRuns: FixedArray<Int32>, runs: FixedArray<UInt8>, ringSize: Int
        ) {
            self.folds = folds
            self.table = table
            self.entries = entries
            self.multi = multi
            self.highClass = highClass
            self.trie = trie
            self.ownerStart = ownerStart
            self.ownerList = ownerList
            self.ownerEntry = ownerEntry
            self.wordEdges = wordEdges
            self.ownerRuns = ownerRuns
            self.runs = runs
            self.ringSize = ringSize
        }
    }

    static let drop: UInt32 = 0xFFFF_FFFF
    static let digitFlag: UInt32 = 1 << 30
    static let multiFlag: UInt32 = 1 << 31
    /// Bits 28–29 of a code: the class's `ReverseTrie` flags (does a keyword end with it, is it
    /// one), packed into the entry so that the scan learns them from the read it makes anyway;
    /// most units end no keyword and are done with after that one read.
    static let endShift: UInt32 = 28
    static let classMask: UInt32 = (1 << 28) - 1

    /// The end flags of a code, as `ReverseTrie.classFlags` has them.
    @inline(__always)
    static func endFlags(_ e: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: (e >> endShift) & 3) }

    package init(lists: [KeywordList]) {
        self.lists = lists
        noHits = [[KeywordHit]](repeating: [], count: lists.count)
        let hidden = Self.pinyinLists(lists)
        derived = hidden.derived
        let all = lists + hidden.lists
        var byFolds: [FoldOptions: [Int]] = [:]
        var order: [FoldOptions] = []
        for (i, list) in all.enumerated() {
            let folds = list.folds.subtracting([.pinyin, .split])
            if byFolds[folds] == nil { order.append(folds) }
            byFolds[folds, default: []].append(i)
        }
        // Each group builds its fold table and index on its own, on every core.
        let sets = order.map { ($0, byFolds[$0]!) }
        let built = Mutex([Group?](repeating: nil, count: sets.count))
        DispatchQueue.concurrentPerform(iterations: sets.count) { k in
            let group = Self.build(folds: sets[k].0, lists: all, members: sets[k].1)
            built.withLock { $0[k] = group }
        }
        groups = built.withLock { $0.map { $0! } }
    }

    private static func build(folds: FoldOptions, lists: [KeywordList], members: [Int]) -> Group {
        let table = FoldTable.forOptions(folds)
        let normalizer = Normalizer(options: folds)
        var classOf: [UInt32: UInt32] = [:]
        var patternIndex: [[UInt32]: Int] = [:]
        var patterns: [[UInt32]] = []
        var owners: [[(list: Int32, entry: Int32, runs: [UInt8]?)]] = []
        var edges: [(Bool, Bool)] = []
        let uncollapsed = folds.contains(.repeats) ? Normalizer(options: folds.subtracting(.repeats)) : nil
        // Every entry folded (and its repeats measured) on every core first: independent per
        // entry, and most of the time a large list takes to load. Indexed below, in order.
        let items = members.flatMap { list in lists[list].entries.indices.map { (list, $0) } }
        let folded = [(units: [UInt32], runs: [UInt8]?)].parallel(items.count) { k in
            let entry = lists[items[k].0].entries[items[k].1]
            let units = normalizer.units(entry)
            return (units, units.isEmpty ? nil : uncollapsed.flatMap { Self.runLengths(of: $0.units(entry), collapsedTo: units.count) })
        }
        // Sized once: grown entry by entry, the index rehashed every array key at each doubling.
        patternIndex.reserveCapacity(items.count)
        patterns.reserveCapacity(items.count)
        owners.reserveCapacity(items.count)
        edges.reserveCapacity(items.count)
        for (k, (listIndex, entryIndex)) in items.enumerated() {
            let (units, runs) = folded[k]
            if units.isEmpty { continue }
            let classes = units.map { u -> UInt32 in
                if let c = classOf[u] { return c }
                let c = UInt32(classOf.count + 1)
                classOf[u] = c
                return c
            }
            if let p = patternIndex[classes] {
                owners[p].append((Int32(listIndex), Int32(entryIndex), runs))
            } else {
                patternIndex[classes] = patterns.count
                patterns.append(classes)
                owners.append([(Int32(listIndex), Int32(entryIndex), runs)])
                edges.append((isWord(units.first!), isWord(units.last!)))
            }
        }
        precondition(classOf.count < Int(classMask), "too many distinct keyword characters")
        // Per class: the trie's flags, shifted into place (see `endShift`).
        var ends = [UInt32](repeating: 0, count: classOf.count + 1)
        for pattern in patterns {
            ends[Int(pattern[pattern.count - 1])] |= UInt32(pattern.count == 1 ? ReverseTrie.isKeyword : ReverseTrie.endsLonger) << endShift
        }
        func tagged(_ c: UInt32) -> UInt32 { c | ends[Int(c)] }
        func code(_ folded: UInt32) -> UInt32 {
            tagged(classOf[folded] ?? 0) | (folded >= 0x30 && folded <= 0x39 ? digitFlag : 0)
        }
        // Start from the fold set's skeleton (drops, multi-scalar folds, digit flags) and add
        // the classes of the keywords' scalars to the entries of every scalar folding to them.
        let skeleton = Skeleton.forTable(table)
        var entries = skeleton.codes
        entries.withUnsafeMutableBufferPointer { e in
            for (u, c) in classOf {
                if u < FoldTable.size, table.entries[Int(u)] == u { e[Int(u)] |= tagged(c) }
                for source in skeleton.sources[u] ?? [] { e[Int(source)] |= tagged(c) }
            }
        }
        let multi = table.multi.map { $0.map(code) }
        var high: [UInt32: UInt32] = [:]
        for (scalar, c) in classOf where scalar >= FoldTable.size { high[scalar] = tagged(c) }
        let longest = patterns.map(\.count).max() ?? 1
        var ring = 1
        while ring < longest + 1 { ring <<= 1 }
        var ownerStart: [Int32] = [0]
        var ownerList: [Int32] = []
        var ownerEntry: [Int32] = []
        var ownerRuns: [Int32] = []
        var runData: [UInt8] = []
        for list in owners {
            for owner in list {
                ownerList.append(owner.list)
                ownerEntry.append(owner.entry)
                if let runs = owner.runs {
                    ownerRuns.append(Int32(runData.count))
                    runData += runs + [0]  // 0 ends each keyword's runs
                } else {
                    ownerRuns.append(-1)
                }
            }
            ownerStart.append(Int32(ownerList.count))
        }
        return Group(
            folds: folds, table: table, entries: FixedArray(entries), multi: multi, highClass: high,
            trie: ReverseTrie(patterns: patterns, classCount: classOf.count + 1),
            ownerStart: FixedArray(ownerStart), ownerList: FixedArray(ownerList), ownerEntry: FixedArray(ownerEntry),
            wordEdges: FixedArray(edges.map { ($0.0 ? 1 : 0) | ($0.1 ? 2 : 0) }), ownerRuns: FixedArray(ownerRuns),
            runs: FixedArray(runData), ringSize: ring)
    }

    /// The run length of each unit of a keyword once its repeats collapse (`拼多多` → 1, 2), or nil
    /// when every run is one (the common case, checked for nothing). Digits never collapse.
    static func runLengths(of units: [UInt32], collapsedTo count: Int) -> [UInt8]? {
        var runs: [UInt8] = []
        var last: UInt32?
        for u in units {
            if u == last, !(u >= 0x30 && u <= 0x39) {
                runs[runs.count - 1] = runs[runs.count - 1] &+ (runs[runs.count - 1] < 255 ? 1 : 0)
            } else {
                runs.append(1)
            }
            last = u
        }
        guard runs.count == count, runs.contains(where: { $0 > 1 }) else { return nil }
        return runs
    }

    /// What every group of one fold set starts from, built once per fold set: per scalar below
    /// U+20000, `drop`, multi flag | the fold table's expansion index, or the digit flag (class
    /// 0); and for each folded scalar, the other scalars that fold to it.
    final class Skeleton: Sendable {
        let codes: [UInt32]
        let sources: [UInt32: [UInt32]]

        private static let cache = Mutex<[FoldOptions: Skeleton]>([:])

        static func forTable(_ table: FoldTable) -> Skeleton {
            cache.withLock { skeletons in
                if let s = skeletons[table.options] { return s }
                let s = Skeleton(table)
                skeletons[table.options] = s
                return s
            }
        }

        private init(_ table: FoldTable) {
            var codes = [UInt32](repeating: 0, count: FoldTable.size)
            var sources: [UInt32: [UInt32]] = [:]
            for v in 0..<FoldTable.size {
                let e = table.entries[v]
                if e == FoldTable.drop {
                    codes[v] = KeywordMatcher.drop
                } else if FoldTable.isMulti(e) {
                    codes[v] = KeywordMatcher.multiFlag | (e & ~FoldTable.multiFlag)
                } else {
                    codes[v] = e >= 0x30 && e <= 0x39 ? KeywordMatcher.digitFlag : 0
                    if e != UInt32(v) { sources[e, default: []].append(UInt32(v)) }
                }
            }
            self.codes = codes
            self.sources = sources
        }
    }

    static func isWord(_ v: UInt32) -> Bool {
        (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }

    /// Every hit of every list in `text`, grouped by list index, in order of position.
    package func scan(_ text: String) -> [[KeywordHit]] { scan(text, displayOrder: true) }

    /// `displayOrder`: rescan a text with right-to-left overrides in the order it is shown.
    private func scan(_ text: String, displayOrder: Bool) -> [[KeywordHit]] {
        var flat: [KeywordHit] = []
        var reversed = false
        withExtendedLifetime(self) {
            let scanned: Void? = text.utf8.withContiguousStorageIfAvailable { buffer in
                for group in groups { reversed = scan(buffer, group, into: &flat) || reversed }
            }
            if scanned == nil {
                let bytes = Array(text.utf8)
                bytes.withUnsafeBufferPointer { buffer in
                    for group in groups { reversed = scan(buffer, group, into: &flat) || reversed }
                }
            }
        }
        // Right-to-left overrides: the reader sees the text in display order, so that is the
        // order it is matched in (spans still point into the text as stored).
        if reversed, displayOrder, let display = BidiDisplay(text) {
            var hits = scan(display.text, displayOrder: false)
            for l in hits.indices {
                for h in hits[l].indices { hits[l][h].span = display.original(hits[l][h].span) }
            }
            return hits
        }
        // Most texts have no hit: answer with one shared empty result, not a new allocation.
        if flat.isEmpty { return noHits }
        var hits = collect(flat, text: text)
        applyAllowLists(&hits, text: text)
        return hits
    }

    private func applyAllowLists(_ hits: inout [[KeywordHit]], text: String) {
        var clauses: [Int]?
        for (i, list) in lists.enumerated() {
            if let other = list.except, !hits[i].isEmpty, !hits[other].isEmpty {
                let covers = hits[other]
                hits[i].removeAll { hit in
                    covers.contains { $0.span.lowerBound <= hit.span.lowerBound && $0.span.upperBound >= hit.span.upperBound }
                }
            }
            if let warner = list.warnedBy, !hits[i].isEmpty, !hits[warner].isEmpty {
                let ends = clauses ?? Self.clauseEnds(text)
                clauses = ends
                func clause(_ offset: Int) -> Int {
                    var low = 0
                    var high = ends.count
                    while low < high {
                        let mid = (low + high) / 2
                        if ends[mid] < offset { low = mid + 1 } else { high = mid }
                    }
                    return low
                }
                let warned = Set(hits[warner].map { clause($0.span.lowerBound) })
                hits[i].removeAll { warned.contains(clause($0.span.lowerBound)) }
            }
        }
    }

    /// Offsets (Unicode scalars) of the characters that end a clause: sentence and clause
    /// punctuation (，。！？；、 and their ASCII and full-width forms, …), colons, closing brackets
    /// and line breaks. A colon or a 【…】 bracket ends a heading: `防骗小贴士：兼职刷单日赚300` is a pitch under a warning's title, and
    /// an honest tip warns in its own words after the colon (提醒：谨防刷单, 提醒：刷单就是诈骗).
    static func clauseEnds(_ text: String) -> [Int] {
        var ends: [Int] = []
        for (offset, scalar) in text.unicodeScalars.enumerated() where clausePunctuation.contains(scalar.value) {
            ends.append(offset)
        }
        return ends
    }

    static let clausePunctuation: Set<UInt32> = Set("，,。．.！!？?；;、…\n\r｡︒﹐﹒﹔﹖﹗：:】］]".unicodeScalars.map(\.value))

    /// One pass over the UTF-8 of a text: decode, fold, classify, look up the keywords ending here, report.
    /// Returns whether the text holds a right-to-left override, embedding or isolate that the
    /// group's folds drop (the display order then differs from the stored one).
    private func scan(_ b: UnsafeBufferPointer<UInt8>, _ g: Group, into hits: inout [KeywordHit]) -> Bool {
        let trie = g.trie
        let reader = trie.reader
        let patternLength = trie.patternLength.pointer
        let ownerStart = g.ownerStart.pointer
        let ownerList = g.ownerList.pointer
        let ownerEntry = g.ownerEntry.pointer
        let wordEdges = g.wordEdges.pointer
        let ownerRuns = g.ownerRuns.pointer
        let runs = g.runs.pointer
        let repeats = g.folds.contains(.repeats)
        let boundary = g.folds.contains(.boundary)
        let ringMask = g.ringSize - 1
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * g.ringSize + trie.longest + 1) { ring -> Bool in
            let ringScalar = ring.baseAddress!
            let ringByte = ring.baseAddress! + g.ringSize
            let ringClass = UnsafeMutableRawPointer(ring.baseAddress! + 2 * g.ringSize).assumingMemoryBound(to: UInt32.self)
            // How many times each unit repeated (the repeats fold collapses them into one unit).
            let ringRun = ring.baseAddress! + 3 * g.ringSize
            let found = ring.baseAddress! + 4 * g.ringSize
            var unit = 0
            var lastClass: UInt32 = .max
            // Hits from `pendingFrom` on end at the current unit; a repeat of it moves their end,
            // so their end-side boundary is checked only once the unit is complete.
            var pendingFrom = hits.count
            var pending = false  // hits.count > pendingFrom, kept apart so most units read no array
            var pendingEndCheck: [Bool] = []
            // Per pending hit: its owner's run lengths in `runs`, or -1.
            var pendingRuns: [Int32] = []
            var unitEndByte = 0
            /// Whether the units ending at `unit` repeat at least as often as the keyword's own.
            func runsHold(_ start: Int32, _ unit: Int) -> Bool {
                var k = 0
                while runs[Int(start) + k] != 0 {
                    k += 1
                }
                for j in 0..<k where Int32(runs[Int(start) + j]) > ringRun[(unit &- k &+ 1 &+ j) & ringMask] { return false }
                return true
            }
            // The pending state goes in as arguments, not captures: a nested function that
            // captures mutable locals gets Swift's run-time exclusivity checks on every access.
            func settle(
                _ hits: inout [KeywordHit], _ pendingFrom: Int, _ pendingEndCheck: [Bool], _ pendingRuns: [Int32], _ unitEndByte: Int,
                _ unit: Int
            ) {
                let wordAfter = pendingEndCheck.contains(true) && Self.wordAt(b, unitEndByte, g.table)
                guard wordAfter || pendingRuns.contains(where: { $0 >= 0 }) else { return }
                var kept = pendingFrom
                for p in pendingFrom..<hits.count {
                    let i = p - pendingFrom
                    if wordAfter, pendingEndCheck[i] { continue }
                    if pendingRuns[i] >= 0, !runsHold(pendingRuns[i], unit) { continue }
                    hits[kept] = hits[p]
                    kept += 1
                }
                hits.removeSubrange(kept..<hits.count)
            }
            let reversed = Self.forEachUnit(b, g) { e, start, end, here in
                let c = e & Self.classMask
                if repeats, c == lastClass, e & Self.digitFlag == 0 {
                    if pending { for p in pendingFrom..<hits.count { hits[p].span = hits[p].span.lowerBound..<Int(here) + 1 } }
                    ringRun[unit & ringMask] &+= 1
                    unitEndByte = end
                    return
                }
                // Hits of the previous unit are final now (most units have none).
                if pending {
                    settle(&hits, pendingFrom, pendingEndCheck, pendingRuns, unitEndByte, unit)
                    pendingEndCheck.removeAll(keepingCapacity: true)
                    pendingRuns.removeAll(keepingCapacity: true)
                    pending = false
                    pendingFrom = hits.count
                }
                lastClass = c
                unit &+= 1
                ringRun[unit & ringMask] = 1
                ringScalar[unit & ringMask] = here
                ringByte[unit & ringMask] = Int32(start)
                unitEndByte = end
                ringClass[unit & ringMask] = c
                // Longest first, as Aho-Corasick's output chain reported them.
                var f = reader.keywordsEnding(at: unit, class: c, flags: Self.endFlags(e), ring: ringClass, ringMask: ringMask, into: found)
                while f > 0 {
                    f -= 1
                    let pattern = Int(found[f])
                    let first = (unit &- Int(patternLength[pattern]) &+ 1) & ringMask
                    var checkEnd = false
                    if boundary {
                        let edges = wordEdges[pattern]
                        if edges & 1 != 0, Self.wordBefore(b, Int(ringByte[first]), g.table) { continue }
                        checkEnd = edges & 2 != 0
                    }
                    let spanStart = Int(ringScalar[first])
                    for w in Int(ownerStart[pattern])..<Int(ownerStart[pattern + 1]) {
                        hits.append(KeywordHit(list: Int(ownerList[w]), entry: Int(ownerEntry[w]), span: spanStart..<Int(here) + 1))
                        pendingEndCheck.append(checkEnd)
                        pendingRuns.append(ownerRuns[w])
                        pending = true
                    }
                }
            }
            settle(&hits, pendingFrom, pendingEndCheck, pendingRuns, unitEndByte, unit)
            return reversed
        }
    }

    /// Decodes, folds and classifies `b`, calling `body(code, start, end, scalar)` for each
    /// folded unit: its class code (class, digit flag), the byte range of the scalar it came
    /// from and that scalar's index. Usually one unit a scalar; a few fold to several (ﬁ → f i),
    /// dropped ones to none.
    /// Returns whether a dropped scalar was a right-to-left override, embedding or isolate.
    @inline(__always) @discardableResult
    static func forEachUnit(_ b: UnsafeBufferPointer<UInt8>, _ g: Group, _ body: (UInt32, Int, Int, Int32) -> Void) -> Bool {
        let entries = g.entries.pointer
        var i = 0
        var scalar: Int32 = -1
        var reversed = false
        while i < b.count {
            let start = i
            let v = nextScalar(b, &i)
            scalar &+= 1
            let e = code(of: v, entries, g)
            if e == drop {
                // One comparison for the usual dropped characters (spaces, ASCII punctuation).
                if v == BidiDisplay.override { reversed = true }
                continue
            }
            if e & multiFlag == 0 {
                body(e, start, i, scalar)
            } else {
                for unit in g.multi[Int(e & ~multiFlag)] { body(unit, start, i, scalar) }
            }
        }
        return reversed
    }

    /// The class code of a scalar: one table read below U+20000, the fold and a lookup above.
    @inline(__always)
    static func code(of v: UInt32, _ entries: UnsafeMutablePointer<UInt32>, _ g: Group) -> UInt32 {
        if v < UInt32(FoldTable.size) { return entries[Int(v)] }
        let f = g.table.fold(v)
        if f == FoldTable.drop { return drop }
        // A rare ideograph of planes 2–3 may fold to a common one (a variant or traditional form).
        return f < UInt32(FoldTable.size) ? entries[Int(f)] : (g.highClass[f] ?? 0)
    }

    /// Decodes the scalar at `i` (valid UTF-8: the text came from a Swift string) and moves `i` past it.
    @inline(__always)
    static func nextScalar(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt32 {
        let n = b.count
        let lead = b[i]
        if lead < 0x80 {
            i &+= 1
            return UInt32(lead)
        } else if lead < 0xE0, i &+ 1 < n {
            defer { i &+= 2 }
            return (UInt32(lead & 0x1F) << 6) | UInt32(b[i &+ 1] & 0x3F)
        } else if lead < 0xF0, i &+ 2 < n {
            defer { i &+= 3 }
            return (UInt32(lead & 0x0F) << 12) | (UInt32(b[i &+ 1] & 0x3F) << 6) | UInt32(b[i &+ 2] & 0x3F)
        } else if i &+ 3 < n {
            defer { i &+= 4 }
            return (UInt32(lead & 0x07) << 18) | (UInt32(b[i &+ 1] & 0x3F) << 12) | (UInt32(b[i &+ 2] & 0x3F) << 6)
                | UInt32(b[i &+ 3] & 0x3F)
        }
        i = n
        return 0xFFFD
    }

    /// A letter or digit ends just before byte `offset`, as the folds see the text: invisible
    /// characters in between are passed over, and a styled letter (`ⓐ`, `𝐚`, full-width `ａ`)
    /// counts as the ASCII letter it folds to, so `ⓠⓠⓐ8k2` does not hold the word `qq`.
    static func wordBefore(_ b: UnsafeBufferPointer<UInt8>, _ offset: Int, _ table: FoldTable) -> Bool {
        var k = offset
        while k > 0 {
            k -= 1
            while k > 0, b[k] & 0xC0 == 0x80 { k -= 1 }
            switch wordKind(decode(b, k), table, last: true) {
            case .word: return true
            case .invisible: continue
            case .other: return false
            }
        }
        return false
    }

    /// A letter or digit starts at byte `offset`, as `wordBefore` sees them.
    static func wordAt(_ b: UnsafeBufferPointer<UInt8>, _ offset: Int, _ table: FoldTable) -> Bool {
        var k = offset
        while k < b.count {
            let v = decode(b, k)
            switch wordKind(v, table, last: false) {
            case .word: return true
            case .other: return false
            case .invisible:
                k += v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
            }
        }
        return false
    }

    enum WordKind { case word, invisible, other }

    /// Whether scalar `v` is, once folded, an ASCII letter or digit (of a multi-scalar fold, its
    /// first or `last` unit), a character the folds drop as invisible, or anything else.
    static func wordKind(_ v: UInt32, _ table: FoldTable, last: Bool) -> WordKind {
        if isWordScalar(v) { return .word }
        if v < 0x80 { return .other }
        let f = table.fold(v)
        if f == FoldTable.drop {
            return Unicode.Scalar(v).map(Normalizer.isInvisible) == true ? .invisible : .other
        }
        if FoldTable.isMulti(f) {
            let units = table.multiple(f)
            return (last ? units.last : units.first).map(isWord) == true ? .word : .other
        }
        return isWord(f) ? .word : .other
    }

    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> UInt32 {
        let lead = b[k]
        if lead < 0x80 { return UInt32(lead) }
        var v: UInt32
        var extra: Int
        if lead < 0xE0 {
            v = UInt32(lead & 0x1F)
            extra = 1
        } else if lead < 0xF0 {
            v = UInt32(lead & 0x0F)
            extra = 2
        } else {
            v = UInt32(lead & 0x07)
            extra = 3
        }
        for j in 1...extra where k + j < b.count { v = (v << 6) | UInt32(b[k + j] & 0x3F) }
        return v
    }

    static func isWordScalar(_ v: UInt32) -> Bool {
        var v = v
        if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
        return isWord(v)
    }
}
