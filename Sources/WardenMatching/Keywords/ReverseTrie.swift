/// The keywords of one fold set, read backwards from where they end, behind a filter that
/// rules out most positions without touching the trie.
///
/// Why not Aho-Corasick: with 10^5 keywords nearly every CJK character is in some keyword, so
/// the automaton is always deep in the trie and every character costs a probe of a transition
/// table of several MiB, plus failure-link probes on a miss: cache misses at every character.
/// Here a unit is checked first against its class flags (does any keyword end with it?) and
/// then a bit set of the keywords' last two units; only the positions that pass (about 2% of
/// Chinese review text with a 5k-word list, 12% with 64k words) walk the trie backwards over
/// the last units, which the scan keeps in a ring. The walk finds every keyword that ends at
/// the unit, the same hits Aho-Corasick reports there.
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
    /// The last-two-units filter: bit `pairHash(previous, last)` is set for every keyword.
    let pairs: FixedArray<UInt64>
    let pairShift: UInt64
    let longest: Int
    let nodeCount: Int

    static let endsLonger: UInt8 = 1
    static let isKeyword: UInt8 = 2
    static let emptyKey = UInt64.max

    /// `patterns` are distinct sequences of classes (1...), `classCount` one more than the
    /// largest class.
    init(patterns: [[UInt32]], classCount: Int) {
        var children: [[UInt32: Int32]] = [[:]]
        var terminal: [Int32] = [-1]
        var flags = [UInt8](repeating: 0, count: max(classCount, 1))
        var pairSet = Set<UInt64>()
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var node: Int32 = 0
            for c in pattern.reversed() {
                if let next = children[Int(node)][c] {
                    node = next
                } else {
                    let next = Int32(children.count)
                    children.append([:])
                    terminal.append(-1)
                    children[Int(node)][c] = next
                    node = next
                }
            }
            terminal[Int(node)] = Int32(id)
            let last = Int(pattern[pattern.count - 1])
            if pattern.count == 1 {
                flags[last] |= Self.isKeyword
            } else {
                flags[last] |= Self.endsLonger
                pairSet.insert(Self.pairKey(pattern[pattern.count - 2], pattern[pattern.count - 1]))
            }
        }
        var rootChild = [Int32](repeating: -1, count: max(classCount, 1))
        for (c, node) in children[0] { rootChild[Int(c)] = node }
        var transitions = 0
        for row in children.dropFirst() { transitions += row.count }
        var capacity = 16
        while capacity < transitions * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        var values = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for node in 1..<children.count {
            for (c, child) in children[node] {
                let key = UInt64(UInt32(node)) << 32 | UInt64(c)
                var slot = Self.hash(key) & mask
                while keys[slot] != Self.emptyKey { slot = (slot + 1) & mask }
                keys[slot] = key
                values[slot] = child
            }
        }
        // About 16 bits per pair: a false pass on roughly one random pair in 16.
        var bits = 9
        while 1 << bits < pairSet.count * 16, bits < 24 { bits += 1 }
        var pairs = [UInt64](repeating: 0, count: (1 << bits) / 64)
        let shift = UInt64(64 - bits)
        for key in pairSet {
            let h = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            pairs[h >> 6] |= 1 << UInt64(h & 63)
        }
        self.patternLength = FixedArray(patterns.map { Int32($0.count) })
        self.rootChild = FixedArray(rootChild)
        self.classFlags = FixedArray(flags)
        self.terminal = FixedArray(terminal)
        self.keys = FixedArray(keys)
        self.values = FixedArray(values)
        self.mask = mask
        self.pairs = FixedArray(pairs)
        self.pairShift = shift
        self.longest = patterns.map(\.count).max() ?? 0
        self.nodeCount = children.count
    }

    @inline(__always)
    static func pairKey(_ previous: UInt32, _ last: UInt32) -> UInt64 {
        UInt64(previous) << 32 | UInt64(last)
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
        let pairs: UnsafeMutablePointer<UInt64>
        let pairShift: UInt64
        let longest: Int

        /// Whether some keyword of two or more units may end with `previous`, `last`.
        @inline(__always)
        func mayEnd(_ previous: UInt32, _ last: UInt32) -> Bool {
            let h = Int(truncatingIfNeeded: (ReverseTrie.pairKey(previous, last) &* 0x9E37_79B9_7F4A_7C15) >> pairShift)
            return pairs[h >> 6] & (1 << UInt64(h & 63)) != 0
        }

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
        @inline(__always)
        func keywordsEnding(at unit: Int, class c: UInt32, ring: UnsafeMutablePointer<UInt32>, ringMask: Int, into found: UnsafeMutablePointer<Int32>) -> Int {
            let flags = classFlags[Int(c)]
            if flags == 0 { return 0 }
            var count = 0
            var node = rootChild[Int(c)]
            if flags & ReverseTrie.isKeyword != 0 {
                found[0] = terminal[Int(node)]
                count = 1
            }
            guard flags & ReverseTrie.endsLonger != 0, unit >= 2, mayEnd(ring[(unit - 1) & ringMask], c) else { return count }
            var depth = 1
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
            values: values.pointer, mask: mask, pairs: pairs.pointer, pairShift: pairShift, longest: longest)
    }
}
