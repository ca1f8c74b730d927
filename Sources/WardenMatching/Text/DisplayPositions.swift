/// Where stored scalars appear when a text is shown, for texts that hold a right-to-left
/// override (`BidiDisplay`): distances between two words are what a reader sees, so `near`
/// measures them here. nil for a text without an override (stored order is display order).
package struct DisplayPositions: Sendable {
    /// Display position → stored scalar.
    let order: [Int]
    /// Stored scalar → display position.
    let position: [Int]
    let scalars: [Unicode.Scalar]
    /// The text as shown.
    package let text: String

    /// Whether a text holds a right-to-left override at all (a byte search; see `BidiDisplay`).
    package static func holdsOverride(_ text: String) -> Bool { BidiDisplay.holdsOverride(text) }

    package init?(_ scalars: [Unicode.Scalar]) {
        guard scalars.contains(where: { $0.value == BidiDisplay.override }) else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        guard let display = BidiDisplay(String(view)) else { return nil }
        order = display.order
        var position = [Int](repeating: 0, count: order.count)
        for (d, s) in order.enumerated() { position[s] = d }
        self.position = position
        self.scalars = scalars
        text = display.text
    }

    /// The stored scalars behind a display range, as the smallest range holding them.
    package func stored(_ span: Range<Int>) -> Range<Int> {
        guard !span.isEmpty, span.upperBound <= order.count else { return span }
        let covered = order[span]
        return covered.min()!..<(covered.max()! + 1)
    }

    /// The display positions a stored span covers, as the smallest range holding them.
    package func shown(_ span: Range<Int>) -> Range<Int> {
        guard !span.isEmpty, span.upperBound <= position.count else { return span }
        let covered = position[span]
        return covered.min()!..<(covered.max()! + 1)
    }

    /// Characters a reader sees in a display range (format characters and marks not counted).
    package func visible(_ range: Range<Int>) -> Int {
        range.filter { $0 >= 0 && $0 < order.count && Self.isVisible(scalars[order[$0]]) }.count
    }

    /// Whether a reader sees the scalar: not a format character (zero-width, bidi controls)
    /// nor a mark (combining marks, variation selectors).
    package static func isVisible(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .format, .nonspacingMark, .enclosingMark: false
        default: true
        }
    }
}
