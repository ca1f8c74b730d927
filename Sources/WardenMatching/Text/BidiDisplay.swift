/// A text in the order a reader sees it when it holds right-to-left overrides (U+202E RLO),
/// embeddings (U+202B RLE) or isolates (U+2067 RLI): `‮利返‬` is stored as 利返 but shown as 返利.
///
/// The scalars between such a control and its terminator (PDF U+202C for RLO and RLE, PDI
/// U+2069 for RLI, else the end of the line or text) are reversed; this is the part of the
/// Unicode bidirectional algorithm that evasion uses, not the whole algorithm (no nesting, no
/// weak types). The controls stay in place, so every display position maps to one stored one.
struct BidiDisplay {
    let text: String
    /// Display position → stored scalar index.
    let order: [Int]

    init?(_ stored: String) {
        let scalars = Array(stored.unicodeScalars)
        var order = Array(scalars.indices)
        var i = 0
        var changed = false
        while i < scalars.count {
            let v = scalars[i].value
            guard v == 0x202E || v == 0x202B || v == 0x2067 else {
                i += 1
                continue
            }
            let end = v == 0x2067 ? 0x2069 : 0x202C
            var j = i + 1
            while j < scalars.count, scalars[j].value != end, scalars[j] != "\n" { j += 1 }
            if j - i > 2 {
                order[(i + 1)..<j].reverse()
                changed = true
            }
            i = j + 1
        }
        guard changed else { return nil }
        self.order = order
        var view = String.UnicodeScalarView()
        view.append(contentsOf: order.map { scalars[$0] })
        text = String(view)
    }

    /// The stored scalars behind display span `span`: the smallest range covering them.
    func original(_ span: Range<Int>) -> Range<Int> {
        guard !span.isEmpty else { return span }
        let covered = order[span]
        return covered.min()!..<(covered.max()! + 1)
    }
}
