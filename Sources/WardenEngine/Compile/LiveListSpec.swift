import WardenMatching

/// A word list declared `live: true`: its entries from the rule set are in the keyword
/// automaton; entries added while serving are matched beside them (`LiveLists`), with the same
/// folds.
package struct LiveListSpec: Sendable {
    package var name: String
    /// The list's index among the rule set's keyword lists (what hits are keyed by).
    package var index: Int
    package var folds: FoldOptions
    /// Entries from the rule set; a live entry's hit is numbered after them.
    package var staticCount: Int
}
