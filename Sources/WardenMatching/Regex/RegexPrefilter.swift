/// Tells which of many patterns can match a text, from the literals each one requires
/// (`RegexLiterals`), with one keyword scan. Patterns without such literals are always candidates.
public final class RegexPrefilter: Sendable {
    public let count: Int
    let matcher: KeywordMatcher
    /// Per keyword list: the pattern it guards.
    let guardedPattern: [Int]
    /// Patterns with no literal requirement.
    public let unguarded: [Int]

    public init(patterns: [(pattern: String, flags: String)]) {
        var lists: [KeywordList] = []
        var guarded: [Int] = []
        var unguarded: [Int] = []
        for (index, p) in patterns.enumerated() {
            if let literals = RegexLiterals.required(p.pattern, flags: p.flags) {
                lists.append(KeywordList(name: "#\(index)", entries: literals.sorted(), folds: p.flags.contains("i") ? [.caseFold] : []))
                guarded.append(index)
            } else {
                unguarded.append(index)
            }
        }
        count = patterns.count
        matcher = KeywordMatcher(lists: lists)
        guardedPattern = guarded
        self.unguarded = unguarded
    }

    /// Per pattern: whether it can match `text` (true for every pattern that does).
    public func candidates(in text: String) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        for p in unguarded { out[p] = true }
        for (list, hit) in matcher.listsPresent(in: text).enumerated() where hit { out[guardedPattern[list]] = true }
        return out
    }
}
