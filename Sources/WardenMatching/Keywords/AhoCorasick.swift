/// A byte-level Aho-Corasick automaton over folded UTF-8.
///
/// Layout: the root has a dense 256-entry table (most bytes of a text leave the root at once);
/// other states keep their edges sorted in one shared array and are searched linearly (CJK
/// keyword tries are narrow below the first byte). Failure links are precomputed; each state
/// points at its first output and outputs chain through `nextOutput`, so a scan does no
/// allocation except for the hits it reports.
public struct AhoCorasick: Sendable {
    /// Per state: first edge index and edge count.
    var edgeStart: [Int32] = []
    var edgeCount: [UInt16] = []
    var edgeBytes: [UInt8] = []
    var edgeTarget: [Int32] = []
    var fail: [Int32] = []
    /// Per state: index into `outputs` of the first keyword ending here (or via failure), -1 if none.
    var firstOutput: [Int32] = []
    var outputs: [Output] = []
    var rootTable = [Int32](repeating: 0, count: 256)
    /// Length in bytes of each pattern.
    public private(set) var patternLengths: [Int32] = []

    struct Output: Sendable {
        var pattern: Int32
        var next: Int32
    }

    public var stateCount: Int { fail.count }

    /// Builds the automaton; pattern `i` of `patterns` is reported as `i`. Empty patterns are ignored.
    public init(patterns: [[UInt8]]) {
        // 1. Trie with per-state dictionaries (build time only).
        var children: [[UInt8: Int32]] = [[:]]
        var terminal: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state: Int32 = 0
            for byte in pattern {
                if let next = children[Int(state)][byte] {
                    state = next
                } else {
                    let next = Int32(children.count)
                    children.append([:])
                    terminal.append([])
                    children[Int(state)][byte] = next
                    state = next
                }
            }
            terminal[Int(state)].append(Int32(id))
        }
        patternLengths = patterns.map { Int32($0.count) }
        let n = children.count

        // 2. Flatten edges, sorted by byte.
        edgeStart = [Int32](repeating: 0, count: n)
        edgeCount = [UInt16](repeating: 0, count: n)
        for state in 0..<n {
            edgeStart[state] = Int32(edgeBytes.count)
            let sorted = children[state].sorted { $0.key < $1.key }
            edgeCount[state] = UInt16(sorted.count)
            for (byte, target) in sorted {
                edgeBytes.append(byte)
                edgeTarget.append(target)
            }
        }
        for (byte, target) in children[0] { rootTable[Int(byte)] = target }

        // 3. Failure links and output chains, breadth first.
        fail = [Int32](repeating: 0, count: n)
        firstOutput = [Int32](repeating: -1, count: n)
        var queue: [Int32] = []
        queue.reserveCapacity(n)
        for (_, target) in children[0] { queue.append(target) }
        var head = 0
        var order: [Int32] = [0]
        while head < queue.count {
            let state = queue[head]
            head += 1
            order.append(state)
            for (byte, child) in children[Int(state)] {
                if state != 0 {
                    var f = fail[Int(state)]
                    while f != 0, children[Int(f)][byte] == nil { f = fail[Int(f)] }
                    fail[Int(child)] = children[Int(f)][byte] ?? 0
                }
                queue.append(child)
            }
        }
        // Outputs: a state's own keywords, then those of its failure state (already built: BFS order).
        for state in order {
            let failOutput = state == 0 ? -1 : firstOutput[Int(fail[Int(state)])]
            var first = failOutput
            for pattern in terminal[Int(state)].reversed() {
                outputs.append(Output(pattern: pattern, next: first))
                first = Int32(outputs.count - 1)
            }
            firstOutput[Int(state)] = first
        }
    }

    @inline(__always)
    func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        var s = state
        while true {
            if s == 0 { return rootTable[Int(byte)] }
            let start = Int(edgeStart[Int(s)])
            let count = Int(edgeCount[Int(s)])
            var k = start
            let end = start + count
            while k < end {
                let b = edgeBytes[k]
                if b == byte { return edgeTarget[k] }
                if b > byte { break }
                k += 1
            }
            s = fail[Int(s)]
        }
    }

    /// Calls `report(pattern, endByte)` for every occurrence, overlapping ones included.
    @inline(__always)
    public func scan(_ bytes: [UInt8], _ report: (Int32, Int) -> Void) {
        var state: Int32 = 0
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count {
                state = next(state, buffer[i])
                var o = firstOutput[Int(state)]
                while o >= 0 {
                    let output = outputs[Int(o)]
                    report(output.pattern, i + 1)
                    o = output.next
                }
            }
        }
    }
}
