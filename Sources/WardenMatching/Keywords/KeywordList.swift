/// A word list as the matcher sees it: entries, the folds it applies, and its allow-list.
package struct KeywordList: Sendable {
    package var name: String
    package var entries: [String]
    package var folds: FoldOptions
    /// Index (in the matcher's lists) of the list whose hits cancel this list's hits they cover.
    package var except: Int?
    /// Index of the list of warnings (谨防, 都是骗子 …) whose hits cancel this list's hits in the
    /// same clause: a warning speaks of what is next to it, not of the whole message.
    package var warnedBy: Int?

    package init(name: String, entries: [String], folds: FoldOptions = .all, except: Int? = nil, warnedBy: Int? = nil) {
        self.name = name
        self.entries = entries
        self.folds = folds
        self.except = except
        self.warnedBy = warnedBy
    }
}

/// One keyword occurrence: which list and entry, and where in the original text (Unicode scalars).
package struct KeywordHit: Sendable, Equatable {
    package var list: Int
    package var entry: Int
    package var span: Range<Int>

    package init(list: Int, entry: Int, span: Range<Int>) {
        self.list = list
        self.entry = entry
        self.span = span
    }
}
