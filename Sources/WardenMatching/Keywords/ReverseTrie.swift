/// The keywords of one fold set, read backwards from where they end, behind a filter that
/// rules out most positions without touching the trie.
///
/// Why not Aho-Corasick: with 10^5 keywords nearly every CJK character is in some keyword, so
/// the automaton is always deep in the trie and every character costs a probe of a transition
/// table of several MiB, plus failure-link probes on a miss: cache misses at every character.
/// Here a unit is checked first against its class flags (does any keyword end with it?), then
/// against bit filters (`BitFilter`) of the keywords' last two units and, for the trie's deeper
/// levels, of the two-unit keywords and of the keywords' last three units. Only the positions
/// that pass walk the trie backwards over the last units, which the scan keeps in a ring: in
/// Chinese review text about 12% of characters pass the pair filter with a 64k-word list, but
/// only 1.3% pass the second step (0.4% with 5k words). The walk finds every keyword that ends
/// at the unit, the same hits Aho-Corasick reports there.
///
/// Layout: the first step of a walk is a dense array by class; later steps go through one
/// open-addressing hash keyed by (node, class). Each node is the end of at most one keyword
/// (keywords are distinct class sequences).
struct ReverseTrie: Sendable {
    /// Per pattern, its length in units.
    let patternLength: FixedArray<Int32>
    /// Per class: the node for that last unit, or -1.
    let rootChild: FixedArray<Int32>
    /// Per class: `endsLonger` when a keyword of two or more units ends with it, `isKeyword`
    /// when the class alone is a keyword.
    let classFlags: FixedArray<UInt8>
    /// Per node: the keyword whose reversed units lead here, or -1.
    let terminal: FixedArray<Int32>
    let keys: FixedArray<UInt64>
    let values: FixedArray<Int32>
    let mask: Int
    /// The last two units of every keyword of two or more units.
    let pairs: BitFilter
    /// Keywords of exactly two units.
    let pairKeywords: BitFilter
    /// The last three units of every keyword of three or more units.
    let triples: BitFilter
    let longest: Int

    static let endsLonger: UInt8 = 1
    static let isKeyword: UInt8 = 2
    static let emptyKey = UInt64.max

    /// `patterns` are distinct sequences of classes (1...), `classCount` one more than the
    /// largest class.
    init(patterns: [[UInt32]], classCount: Int) {
        var rootChild = [Int32](repeating: -1, count: max(classCount, 1))
        var terminal: [Int32] = [-1]
        var flags = [UInt8](repeating: 0, count: max(classCount, 1))
        var pairSet = Set<UInt64>()
        var pairKeywordSet = Set<UInt64>()
        var tripleSet = Set<UInt64>()
        // The transitions below the root go into an open-addressing table sized for every unit
        // of every pattern (an upper bound), then into one sized for those there are: a
        // dictionary per node cost ~400 million instructions for 64k words.
        let bound = patterns.reduce(0) { $0 + max($1.count - 1, 0) }
        var building = 16
        while building < bound * 2 { building <<= 1 }
        var bKeys = [UInt64](repeating: Self.emptyKey, count: building)
        var bValues = [Int32](repeating: 0, count: building)
        let bMask = building - 1
        var transitions = 0
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var node: Int32 = 0
            for c in pattern.reversed() {
                if node == 0 {
                    if rootChild[Int(c)] < 0 {
                        rootChild[Int(c)] = Int32(terminal.count)
                        terminal.append(-1)
                    }
                    node = rootChild[Int(c)]
                    continue
                }
                let key = UInt64(UInt32(node)) << 32 | UInt64(c)
                var slot = Self.hash(key) & bMask
                while bKeys[slot] != Self.emptyKey, bKeys[slot] != key { slot = (slot + 1) & bMask }
                if bKeys[slot] != key {
                    bKeys[slot] = key
                    bValues[slot] = Int32(terminal.count)
                    terminal.append(-1)
                    transitions += 1
                }
                node = bValues[slot]
            }
            terminal[Int(node)] = Int32(id)
            let last = Int(pattern[pattern.count - 1])
            if pattern.count == 1 {
                flags[last] |= Self.isKeyword
            } else {
                flags[last] |= Self.endsLonger
                let n = pattern.count
                pairSet.insert(BitFilter.key(pattern[n - 2], pattern[n - 1]))
                if n == 2 {
                    pairKeywordSet.insert(BitFilter.key(pattern[0], pattern[1]))
                } else {
                    tripleSet.insert(BitFilter.key(pattern[n - 3], pattern[n - 2], pattern[n - 1]))
                }
            }
        }
        var capacity = 16
        while capacity < transitions * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        var values = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (k, key) in bKeys.enumerated() where key != Self.emptyKey {
            var slot = Self.hash(key) & mask
            while keys[slot] != Self.emptyKey { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = bValues[k]
        }
        self.patternLength = FixedArray(patterns.map { Int32($0.count) })
        self.rootChild = FixedArray(rootChild)
        self.classFlags = FixedArray(flags)
        self.terminal = FixedArray(terminal)
        self.keys = FixedArray(keys)
        self.values = FixedArray(values)
        self.mask = mask
        self.pairs = BitFilter(pairSet)
        self.pairKeywords = BitFilter(pairKeywordSet)
        self.triples = BitFilter(tripleSet)
        self.longest = patterns.map(\.count).max() ?? 0
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20)
    }

    /// The trie's tables as raw pointers, read once per scan: through the `FixedArray` objects
    /// every access would reload the object's pointer field first.
    struct Reader {
        let rootChild: UnsafeMutablePointer<Int32>
        let classFlags: UnsafeMutablePointer<UInt8>
        let terminal: UnsafeMutablePointer<Int32>
        let keys: UnsafeMutablePointer<UInt64>
        let values: UnsafeMutablePointer<Int32>
        let mask: Int
        let pairs: BitFilter.Reader
        let pairKeywords: BitFilter.Reader
        let triples: BitFilter.Reader
        let longest: Int

        /// The child of `node` for class `c`, or -1.
        @inline(__always)
        func child(_ node: Int32, _ c: UInt32) -> Int32 {
            let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(c)
            var slot = ReverseTrie.hash(key) & mask
            while true {
                let k = keys[slot]
                if k == key { return values[slot] }
                if k == ReverseTrie.emptyKey { return -1 }
                slot = (slot + 1) & mask
            }
        }

        /// Writes the keywords ending at `unit` into `found`, shortest first, and returns how
        /// many. `ring[u & ringMask]` is the class of unit `u`; units before 1 do not exist.
        /// `flags` are `classFlags[c]`, which the matcher keeps in its fold entries.
        @inline(__always)
        func keywordsEnding(
            at unit: Int, class c: UInt32, flags: UInt8, ring: UnsafeMutablePointer<UInt32>, ringMask: Int,
            into found: UnsafeMutablePointer<Int32>
        ) -> Int {
            assert(flags == classFlags[Int(c)])
            if flags == 0 { return 0 }
            var count = 0
            var node = rootChild[Int(c)]
            if flags & ReverseTrie.isKeyword != 0 {
                found[0] = terminal[Int(node)]
                count = 1
            }
            guard flags & ReverseTrie.endsLonger != 0, unit >= 2 else { return count }
            let previous = ring[(unit - 1) & ringMask]
            let pair = BitFilter.key(previous, c)
            guard pairs.mayContain(pair) else { return count }
            // Probe the trie only for a two-unit keyword here or a longer one's last three units.
            let isPair = pairKeywords.mayContain(pair)
            let longer = unit >= 3 && triples.mayContain(BitFilter.key(ring[(unit - 2) & ringMask], previous, c))
            guard isPair || longer else { return count }
            node = child(node, previous)
            if node < 0 { return count }
            if terminal[Int(node)] >= 0 {
                found[count] = terminal[Int(node)]
                count += 1
            }
            guard longer else { return count }
            var depth = 2
            while depth < longest, unit - depth >= 1 {
                node = child(node, ring[(unit - depth) & ringMask])
                if node < 0 { break }
                depth += 1
                let t = terminal[Int(node)]
                if t >= 0 {
                    found[count] = t
                    count += 1
                }
            }
            return count
        }
    }

    /// Valid while the trie lives (the matcher scans inside `withExtendedLifetime`).
    var reader: Reader {
        Reader(
            rootChild: rootChild.pointer, classFlags: classFlags.pointer, terminal: terminal.pointer, keys: keys.pointer,
            values: values.pointer, mask: mask, pairs: pairs.reader, pairKeywords: pairKeywords.reader, triples: triples.reader,
            longest: longest)
    }
}
