/// Finds the hits of every word list in a text at once.
///
/// Lists that fold the same way share one automaton, so a text is folded and scanned once per
/// distinct fold set (normally once), whatever the number of lists and rules that ask.
public final class KeywordMatcher: Sendable {
    struct Group: Sendable {
        var normalizer: Normalizer
        var automaton: AhoCorasick
        /// Per pattern: every (list, entry) whose folded form it is.
        var owners: [[(list: Int32, entry: Int32)]]
        /// Per pattern: ASCII alphanumeric at the first / last byte (for the boundary rule).
        var edgeIsWord: [(Bool, Bool)]
        var boundary: Bool
    }

    public let lists: [KeywordList]
    let groups: [Group]

    public init(lists: [KeywordList]) {
        self.lists = lists
        var byFolds: [FoldOptions: [Int]] = [:]
        var order: [FoldOptions] = []
        for (i, list) in lists.enumerated() {
            if byFolds[list.folds] == nil { order.append(list.folds) }
            byFolds[list.folds, default: []].append(i)
        }
        groups = order.map { folds in
            let normalizer = Normalizer(options: folds.textFolds)
            var patternIndex: [[UInt8]: Int] = [:]
            var patterns: [[UInt8]] = []
            var owners: [[(list: Int32, entry: Int32)]] = []
            for listIndex in byFolds[folds]! {
                for (entryIndex, entry) in lists[listIndex].entries.enumerated() {
                    let bytes = normalizer.foldKeyword(entry)
                    if bytes.isEmpty { continue }
                    if let p = patternIndex[bytes] {
                        owners[p].append((Int32(listIndex), Int32(entryIndex)))
                    } else {
                        patternIndex[bytes] = patterns.count
                        patterns.append(bytes)
                        owners.append([(Int32(listIndex), Int32(entryIndex))])
                    }
                }
            }
            let edges = patterns.map { (Self.isWordByte($0.first!), Self.isWordByte($0.last!)) }
            return Group(normalizer: normalizer, automaton: AhoCorasick(patterns: patterns), owners: owners,
                         edgeIsWord: edges, boundary: folds.contains(.boundary))
        }
    }

    /// Every hit of every list in `text`, grouped by list index, in order of position.
    public func scan(_ text: String) -> [[KeywordHit]] {
        var hits = [[KeywordHit]](repeating: [], count: lists.count)
        for group in groups {
            let folded = group.normalizer.fold(text)
            group.automaton.scan(folded.bytes) { pattern, endByte in
                let length = Int(group.automaton.patternLengths[Int(pattern)])
                let bytes = (endByte - length)..<endByte
                let span = folded.originalSpan(of: bytes)
                if group.boundary {
                    let (first, last) = group.edgeIsWord[Int(pattern)]
                    if first, span.lowerBound > 0, Self.isWordScalar(folded.original[span.lowerBound - 1]) { return }
                    if last, span.upperBound < folded.original.count, Self.isWordScalar(folded.original[span.upperBound]) { return }
                }
                for owner in group.owners[Int(pattern)] {
                    hits[Int(owner.list)].append(KeywordHit(list: Int(owner.list), entry: Int(owner.entry), span: span))
                }
            }
        }
        // Allow-lists: drop a hit that a hit of the `except` list covers entirely.
        for (i, list) in lists.enumerated() {
            guard let other = list.except, !hits[i].isEmpty, !hits[other].isEmpty else { continue }
            let covers = hits[other]
            hits[i].removeAll { hit in
                covers.contains { $0.span.lowerBound <= hit.span.lowerBound && $0.span.upperBound >= hit.span.upperBound }
            }
        }
        return hits
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// An ASCII letter or digit, full-width forms included.
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        var v = s.value
        if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
        return v < 0x80 && isWordByte(UInt8(v))
    }
}
