/// An Aho-Corasick automaton over folded scalars, with the alphabet compressed to the scalars
/// that occur in keywords.
///
/// Layout, chosen by measurement on the 64k-word Chinese lexicon:
/// - a scalar that occurs in no keyword is class 0, which sends every state back to the root
///   without touching the transition table;
/// - the root has a dense row over all classes;
/// - every other transition lives in one open-addressing hash table keyed by (state, class),
///   about 8 bytes a transition, so a 64k-word automaton stays within a few MiB;
/// - failure links are followed on a miss; outputs chain through `nextOutput`.
struct ScalarAutomaton: Sendable {
    /// Per pattern, its length in units (folded scalars).
    let patternLength: FixedArray<Int32>
    let fail: FixedArray<Int32>
    let firstOutput: FixedArray<Int32>
    let outputPattern: FixedArray<Int32>
    let nextOutput: FixedArray<Int32>
    let rootNext: FixedArray<Int32>
    let keys: FixedArray<UInt64>
    let values: FixedArray<Int32>
    let mask: Int
    let classCount: Int
    let stateCount: Int

    static let emptyKey = UInt64.max

    /// `patterns` are sequences of classes (1...), `classCount` one more than the largest class.
    init(patterns: [[UInt32]], classCount: Int) {
        self.classCount = classCount
        var patternLength: [Int32], fail: [Int32], firstOutput: [Int32], outputPattern: [Int32] = [], nextOutput: [Int32] = []
        var rootNext: [Int32], keys: [UInt64], values: [Int32]
        var children: [[UInt32: Int32]] = [[:]]
        var terminal: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state: Int32 = 0
            for c in pattern {
                if let next = children[Int(state)][c] {
                    state = next
                } else {
                    let next = Int32(children.count)
                    children.append([:])
                    terminal.append([])
                    children[Int(state)][c] = next
                    state = next
                }
            }
            terminal[Int(state)].append(Int32(id))
        }
        patternLength = patterns.map { Int32($0.count) }
        let n = children.count
        rootNext = [Int32](repeating: 0, count: max(classCount, 1))
        for (c, t) in children[0] { rootNext[Int(c)] = t }

        var transitions = 0
        for row in children.dropFirst() { transitions += row.count }
        var capacity = 16
        while capacity < transitions * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        values = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for state in 1..<n {
            for (c, t) in children[state] {
                let key = UInt64(UInt32(state)) << 32 | UInt64(c)
                var slot = Self.hash(key) & mask
                while keys[slot] != Self.emptyKey { slot = (slot + 1) & mask }
                keys[slot] = key
                values[slot] = t
            }
        }

        fail = [Int32](repeating: 0, count: n)
        firstOutput = [Int32](repeating: -1, count: n)
        var queue: [Int32] = Array(children[0].values)
        var order: [Int32] = [0]
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            order.append(state)
            for (c, child) in children[Int(state)] {
                if state != 0 {
                    var f = fail[Int(state)]
                    while f != 0, children[Int(f)][c] == nil { f = fail[Int(f)] }
                    fail[Int(child)] = children[Int(f)][c] ?? 0
                }
                queue.append(child)
            }
        }
        for state in order {
            var first = state == 0 ? -1 : firstOutput[Int(fail[Int(state)])]
            for pattern in terminal[Int(state)].reversed() {
                outputPattern.append(pattern)
                nextOutput.append(first)
                first = Int32(outputPattern.count - 1)
            }
            firstOutput[Int(state)] = first
        }
        self.mask = mask
        self.stateCount = n
        self.patternLength = FixedArray(patternLength)
        self.fail = FixedArray(fail)
        self.firstOutput = FixedArray(firstOutput)
        self.outputPattern = FixedArray(outputPattern)
        self.nextOutput = FixedArray(nextOutput)
        self.rootNext = FixedArray(rootNext)
        self.keys = FixedArray(keys)
        self.values = FixedArray(values)
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20)
    }

    /// The next state from `state` on class `c` (class 0: back to the root).
    @inline(__always)
    func next(_ state: Int32, _ c: UInt32) -> Int32 {
        if c == 0 { return 0 }
        let keys = self.keys.pointer
        let values = self.values.pointer
        let fail = self.fail.pointer
        var s = state
        while s != 0 {
            let key = UInt64(UInt32(bitPattern: s)) << 32 | UInt64(c)
            var slot = Self.hash(key) & mask
            while true {
                let k = keys[slot]
                if k == key { return values[slot] }
                if k == Self.emptyKey { break }
                slot = (slot + 1) & mask
            }
            s = fail[Int(s)]
        }
        return rootNext.pointer[Int(c)]
    }
}
