extension KeywordMatcher {
    /// Which lists have at least one hit in `text`, without building hits: the regex
    /// prefilter's question. Exact for lists folded without `repeats` and `boundary` (what the
    /// prefilter uses); for other lists it may differ from `scan`, so it is internal.
    func listsPresent(in text: String) -> [Bool] {
        var present = [Bool](repeating: false, count: lists.count)
        withExtendedLifetime(self) {
            let scanned: Void? = text.utf8.withContiguousStorageIfAvailable { buffer in
                for group in groups { presence(buffer, group, into: &present) }
            }
            if scanned == nil {
                let bytes = Array(text.utf8)
                bytes.withUnsafeBufferPointer { buffer in
                    for group in groups { presence(buffer, group, into: &present) }
                }
            }
        }
        return present
    }

    private func presence(_ b: UnsafeBufferPointer<UInt8>, _ g: Group, into present: inout [Bool]) {
        precondition(!g.folds.contains(.repeats) && !g.folds.contains(.boundary))
        let automaton = g.automaton
        let entries = g.entries.pointer
        let firstOutput = automaton.firstOutput.pointer
        let outputPattern = automaton.outputPattern.pointer
        let nextOutput = automaton.nextOutput.pointer
        let ownerStart = g.ownerStart.pointer
        let ownerList = g.ownerList.pointer
        var state: Int32 = 0
        var i = 0
        let n = b.count
        while i < n {
            let v = Self.nextScalar(b, &i)
            var e = Self.code(of: v, entries, g)
            if e == Self.drop { continue }
            var k = 0
            var end = 1
            var multi: [UInt32] = []
            if e & Self.multiFlag != 0 {
                multi = g.multi[Int(e & ~Self.multiFlag)]
                end = multi.count
                if end == 0 { continue }
                e = multi[0]
            }
            while true {
                state = automaton.next(state, e & Self.classMask)
                var o = firstOutput[Int(state)]
                while o >= 0 {
                    let pattern = Int(outputPattern[Int(o)])
                    o = nextOutput[Int(o)]
                    for w in Int(ownerStart[pattern])..<Int(ownerStart[pattern + 1]) { present[Int(ownerList[w])] = true }
                }
                k += 1
                if k >= end { break }
                e = multi[k]
            }
        }
    }
}
