/// A word list as the matcher sees it: entries, the folds it applies, and its allow-list.
public struct KeywordList: Sendable {
    public var name: String
    public var entries: [String]
    public var folds: FoldOptions
    /// Index (in the matcher's lists) of the list whose hits cancel this list's hits they cover.
    public var except: Int?
    /// Index of the list of warnings (谨防, 都是骗子 …) whose hits cancel this list's hits in the
    /// same clause: a warning speaks of what is next to it, not of the whole message.
    public var warnedBy: Int?

    public init(name: String, entries: [String], folds: FoldOptions = .all, except: Int? = nil, warnedBy: Int? = nil) {
        self.name = name
        self.entries = entries
        self.folds = folds
        self.except = except
        self.warnedBy = warnedBy
    }
}

/// One keyword occurrence: which list and entry, and where in the original text (Unicode scalars).
public struct KeywordHit: Sendable, Equatable {
    public var list: Int
    public var entry: Int
    public var span: Range<Int>

    public init(list: Int, entry: Int, span: Range<Int>) {
        self.list = list
        self.entry = entry
        self.span = span
    }
}
