/// What a claim or a resolution makes of a case, or why it is refused: the same rules for
/// every store, which only decides where the result is written.
extension ReviewCase {
    public func claimed(by reviewer: String, lease: Double, at t: Double) throws(ReviewError) -> ReviewCase {
        if let r = resolution {
            throw ReviewError(.conflict, "case \(id) was resolved (\(r.outcome.rawValue)) by \(r.by) at \(Timestamp.format(r.at))")
        }
        if let claim, claim.until > t, claim.by != reviewer {
            throw ReviewError(.conflict, "case \(id) is claimed by \(claim.by) until \(Timestamp.format(claim.until))")
        }
        var next = self
        next.claim = Claim(by: reviewer, until: t + lease)
        return next
    }

    public func resolved(with resolution: Resolution) throws(ReviewError) -> ReviewCase {
        if let r = self.resolution {
            throw ReviewError(.conflict, "case \(id) was resolved (\(r.outcome.rawValue)) by \(r.by) at \(Timestamp.format(r.at))")
        }
        if let claim, claim.until > resolution.at, claim.by != resolution.by {
            throw ReviewError(.conflict, "case \(id) is claimed by \(claim.by) until \(Timestamp.format(claim.until))")
        }
        var next = self
        next.resolution = resolution
        next.claim = nil
        return next
    }
}

/// The limits of what people write into the review loop: one line of text, bounded.
public enum ReviewText {
    /// The longest list entry, in characters.
    public static let maxEntry = 200
    /// The longest label, actor or subject name.
    public static let maxName = 128
    /// The longest reason or note.
    public static let maxReason = 1_000

    /// Nil when `text` is one line of at most `limit` characters; otherwise what is wrong.
    public static func problem(_ text: String, limit: Int, what: String, empty: Bool = false) -> String? {
        if !empty, text.isEmpty { return "\(what) is empty" }
        if text.count > limit { return "\(what) is \(text.count) characters; the limit is \(limit)" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "\(what) is one line of text without control characters"
        }
        // Invisible format characters: bidi overrides reorder what a reader of the change log
        // sees (a reason that reads backwards), zero-width ones hide text inside a word.
        if let hidden = text.unicodeScalars.first(where: { $0.properties.generalCategory == .format }) {
            let code = String(hidden.value, radix: 16, uppercase: true)
            return
                "\(what) contains an invisible or direction-changing character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code))"
        }
        return nil
    }
}
