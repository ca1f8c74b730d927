import WardenMatching

/// A text as word lists see it: the folded units (SPEC §3 folds, repeats collapsed) and, for
/// each unit, the range of original scalars it came from.
package struct FoldedUnits: Sendable {
    package var units: [UInt32] = []
    package var spans: [Range<Int>] = []

    /// Folds `text` with `table` (the list folds: `FoldTable.forOptions(FoldOptions.all.textFolds)`).
    package init(_ text: String, table: FoldTable, repeats: Bool = true) {
        for (index, scalar) in text.unicodeScalars.enumerated() {
            let e = table.fold(scalar.value)
            if e == FoldTable.drop { continue }
            for unit in FoldTable.isMulti(e) ? table.multiple(e) : [e] {
                let isDigit = unit >= 0x30 && unit <= 0x39
                if repeats, unit == units.last, !isDigit {
                    spans[spans.count - 1] = spans[spans.count - 1].lowerBound..<(index + 1)
                    continue
                }
                units.append(unit)
                spans.append(index..<(index + 1))
            }
        }
    }

    /// The folded units `range` as a string.
    package func string(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        for u in units[range] { s.append(Unicode.Scalar(u) ?? "\u{FFFD}") }
        return String(s)
    }

    /// The original scalar span of units `range`.
    package func originalSpan(_ range: Range<Int>) -> Range<Int> {
        spans[range.lowerBound].lowerBound..<spans[range.upperBound - 1].upperBound
    }
}
