/// A dense Aho-Corasick DFA over bytes, answering "which of these literal sets occur in the
/// text": the regex prefilter's question, for literals matched exactly (no folds).
///
/// Why a second automaton: `KeywordMatcher` decodes and folds every scalar and keeps sparse
/// transitions, which suits 10^5 folded keywords; the prefilter has a few thousand exact
/// literals, where a full transition row per state fits in cache and the scan is one table
/// read per byte. UTF-8 is self-synchronizing, so a byte match of a valid UTF-8 literal in valid
/// UTF-8 text always starts and ends on scalar boundaries.
///
/// Layout: bytes that occur in no literal share class 0; each other byte has its own class
/// (merging bytes whose columns are equal was tried: on the benchmark's 28k literals no two
/// were, so it was dropped).
/// States are numbered so that those with an output (their own or through failure links) come
/// last, and stored premultiplied by the row width, so the scan is
/// `state = table[state + class[byte]]; if state >= firstOutputState { … }`.
struct ByteAutomaton: Sendable {
    let byteClass: FixedArray<Int32>
    let table: FixedArray<Int32>
    let stride: Int
    /// ⌊2^32 / stride⌋ + 1: `(x * reciprocal) >> 32` is `x / stride` for multiples of the stride
    /// below 2^31, without a division in the scan loop.
    let reciprocal: UInt64
    let firstOutputState: Int32
    /// Per output state (indexed by `state / stride - firstOutputState / stride`): the sets it
    /// completes are `outputSet[outputStart[k]..<outputStart[k + 1]]`.
    let outputStart: FixedArray<Int32>
    let outputSet: FixedArray<Int32>

    /// Most table entries built by default (16 MiB); past it `init` returns nil and the caller
    /// keeps its sparse matcher.
    static let maxEntries = 4 << 20

    /// `sets[k]` are the literals of set k (non-empty UTF-8 strings). With `foldsASCIICase`,
    /// A–Z and a–z are one byte class: a literal matches in any ASCII case (the regex
    /// prefilter's caseless literals; for its exact ones that only lets a few more texts try
    /// the regex).
    init?(sets: [[String]], maxEntries: Int = Self.maxEntries, foldsASCIICase: Bool = false) {
        var children: [[UInt8: Int32]] = [[:]]
        var own: [[Int32]] = [[]]
        var used = [Bool](repeating: false, count: 256)
        for (k, set) in sets.enumerated() {
            for literal in set where !literal.isEmpty {
                var state: Int32 = 0
                for raw in literal.utf8 {
                    let byte = foldsASCIICase && raw >= 0x41 && raw <= 0x5A ? raw + 0x20 : raw
                    used[Int(byte)] = true
                    if let next = children[Int(state)][byte] {
                        state = next
                    } else {
                        let next = Int32(children.count)
                        children.append([:])
                        own.append([])
                        children[Int(state)][byte] = next
                        state = next
                    }
                }
                if own[Int(state)].last != Int32(k) { own[Int(state)].append(Int32(k)) }
            }
        }
        var classOf = [Int32](repeating: 0, count: 256)
        var classes = 1
        for b in 0..<256 where used[b] {
            classOf[b] = Int32(classes)
            classes += 1
        }
        if foldsASCIICase {
            for upper in 0x41...0x5A where used[upper + 0x20] { classOf[upper] = classOf[upper + 0x20] }
        }
        let n = children.count
        guard n * classes <= maxEntries else { return nil }

        // Breadth-first: failure links, inherited outputs and full rows (a missing child takes
        // the failure state's row, already complete because it is shallower).
        var fail = [Int32](repeating: 0, count: n)
        var outputs = own
        var row = [Int32](repeating: 0, count: n * classes)
        var order: [Int32] = [0]
        var head = 0
        while head < order.count {
            let state = Int(order[head])
            head += 1
            if state != 0 { outputs[state] = Array(Set(outputs[state] + outputs[Int(fail[state])])).sorted() }
            for b in 0..<256 where used[b] {
                let c = Int(classOf[b])
                if let child = children[state][UInt8(b)] {
                    fail[Int(child)] = state == 0 ? 0 : row[Int(fail[state]) * classes + c]
                    row[state * classes + c] = child
                    order.append(child)
                } else {
                    row[state * classes + c] = state == 0 ? 0 : row[Int(fail[state]) * classes + c]
                }
            }
        }

        let width = classes
        // Renumber: states without outputs first, then those with.
        var newIndex = [Int32](repeating: 0, count: n)
        var next: Int32 = 0
        for s in 0..<n where outputs[s].isEmpty {
            newIndex[s] = next
            next += 1
        }
        let firstOutput = next
        var outputStart: [Int32] = [0]
        var outputSet: [Int32] = []
        for s in 0..<n where !outputs[s].isEmpty {
            newIndex[s] = next
            next += 1
            outputSet.append(contentsOf: outputs[s])
            outputStart.append(Int32(outputSet.count))
        }
        var table = [Int32](repeating: 0, count: n * width)
        for s in 0..<n {
            let to = Int(newIndex[s]) * width
            for c in 0..<classes { table[to + c] = newIndex[Int(row[s * classes + c])] * Int32(width) }
        }
        stride = width
        reciprocal = (1 << 32) / UInt64(width) + 1
        byteClass = FixedArray(classOf)
        self.table = FixedArray(table)
        firstOutputState = firstOutput * Int32(width)
        self.outputStart = FixedArray(outputStart)
        self.outputSet = FixedArray(outputSet)
        // The root must stay state 0: it has no output (literals are non-empty), so it is
        // numbered first among the states without one.
        precondition(newIndex[0] == 0)
    }

    /// Marks `present[k]` for every set k with a literal in `bytes` (`present` starts all false)
    /// and lists each such k once in `newly`, which has room for every set; returns how many.
    func markPresent(_ bytes: UnsafeBufferPointer<UInt8>, _ present: UnsafeMutableBufferPointer<Bool>, newly: UnsafeMutablePointer<Int32>)
        -> Int
    {
        let table = self.table.pointer
        let byteClass = self.byteClass.pointer
        let outputStart = self.outputStart.pointer
        let outputSet = self.outputSet.pointer
        let first = firstOutputState
        let reciprocal = self.reciprocal
        var state: Int32 = 0
        var found = 0
        for byte in bytes {
            state = table[Int(state &+ byteClass[Int(byte)])]
            if state >= first {
                let k = Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: state &- first)) &* reciprocal) >> 32)
                for o in Int(outputStart[k])..<Int(outputStart[k + 1]) {
                    let set = Int(outputSet[o])
                    if !present[set] {
                        present[set] = true
                        newly[found] = Int32(set)
                        found += 1
                    }
                }
            }
        }
        return found
    }
}
