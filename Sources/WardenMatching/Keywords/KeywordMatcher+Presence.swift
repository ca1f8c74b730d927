extension KeywordMatcher {
    /// Which lists have at least one hit in `text`, without building hits: the regex
    /// prefilter's question. Exact for lists folded without `repeats` and `boundary` (what the
    /// prefilter uses); for other lists it may differ from `scan`, so it is internal.
    func listsPresent(in text: String) -> [Bool] {
        var copy = text
        return copy.withUTF8 { listsPresent(inUTF8: $0) }
    }

    /// The same over the text's UTF-8 (valid UTF-8).
    func listsPresent(inUTF8 buffer: UnsafeBufferPointer<UInt8>) -> [Bool] {
        // Sized for the hidden `pinyin` lists too; their hits are not reported here.
        var present = [Bool](repeating: false, count: lists.count + derived.count)
        withExtendedLifetime(self) {
            for group in groups { presence(buffer, group, into: &present) }
        }
        return Array(present.prefix(lists.count))
    }

    private func presence(_ b: UnsafeBufferPointer<UInt8>, _ g: Group, into present: inout [Bool]) {
        precondition(!g.folds.contains(.repeats) && !g.folds.contains(.boundary))
        let trie = g.trie
        let reader = trie.reader
        let ownerStart = g.ownerStart.pointer
        let ownerList = g.ownerList.pointer
        let ringMask = g.ringSize - 1
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: g.ringSize + trie.longest + 1) { buffer in
            let ring = buffer.baseAddress!
            let found = UnsafeMutableRawPointer(ring + g.ringSize).assumingMemoryBound(to: Int32.self)
            var unit = 0
            Self.forEachUnit(b, g) { e, _, _, _ in
                let c = e & Self.classMask
                unit &+= 1
                ring[unit & ringMask] = c
                let count = reader.keywordsEnding(at: unit, class: c, flags: Self.endFlags(e), ring: ring, ringMask: ringMask, into: found)
                for f in 0..<count {
                    let pattern = Int(found[f])
                    for w in Int(ownerStart[pattern])..<Int(ownerStart[pattern + 1]) { present[Int(ownerList[w])] = true }
                }
            }
        }
    }
}
