/// Many patterns tried on one text without a PCRE2 run per pattern.
///
/// The literals every match of a pattern must contain (`RegexLiterals`) go into one keyword
/// automaton; a scan of the text tells which patterns can match at all, and only those run.
/// Patterns without such literals always run.
package final class RegexSet: Sendable {
    package let regexes: [CompiledRegex]
    let prefilter: RegexPrefilter

    /// - Throws: the first pattern that does not compile, with its index.
    package convenience init(patterns: [(pattern: String, flags: String)]) throws(RegexSetError) {
        try self.init(patterns: patterns, byteAutomatonLimit: ByteAutomaton.maxEntries)
    }

    init(patterns: [(pattern: String, flags: String)], byteAutomatonLimit: Int) throws(RegexSetError) {
        var regexes: [CompiledRegex] = []
        for (index, p) in patterns.enumerated() {
            do throws(RegexError) {
                regexes.append(try CompiledRegex(p.pattern, flags: p.flags))
            } catch {
                throw RegexSetError(index: index, error: error)
            }
        }
        self.regexes = regexes
        self.prefilter = RegexPrefilter(patterns: patterns, byteAutomatonLimit: byteAutomatonLimit)
    }

    /// Indices of the patterns that can match `text` (a superset of those that do).
    package func candidates(in text: String) -> [Int] {
        let candidate = prefilter.candidates(in: text)
        return candidate.indices.filter { candidate[$0] }
    }

    /// Indices of the patterns that match `text`; a pattern that hits its match limit counts as
    /// not matching and is listed in `errors`.
    package func matching(_ text: String, scratch: MatchScratch? = nil) -> (matches: [Int], errors: [Int]) {
        var matches: [Int] = []
        var errors: [Int] = []
        guard let scratch = scratch ?? (try? MatchScratch()) else { return ([], Array(regexes.indices)) }
        var copy = text
        copy.withUTF8 { buffer in
            prefilter.forEachCandidate(in: buffer) { index in
                do throws(RegexError) {
                    if try regexes[index].firstMatch(inUTF8: buffer, scratch: scratch) != nil { matches.append(index) }
                } catch {
                    errors.append(index)
                }
            }
        }
        return (matches, errors)
    }

    /// How many patterns have no literal to prefilter on.
    package var unguardedCount: Int { prefilter.unguarded.count }
}

package struct RegexSetError: Error, Sendable {
    package var index: Int
    package var error: RegexError
}

extension RegexSet {
    /// The prefilter's size, for `warden bench`: required literal sets and the byte automaton.
    package var prefilterSummary: String {
        let literals = prefilter.lists.reduce(0) { $0 + $1.entries.count }
        var out = "\(prefilter.lists.count) required literal sets, \(literals) literals"
        if let bytes = prefilter.bytes {
            out += "; byte automaton \(bytes.table.count / bytes.stride) states × \(bytes.stride) classes"
        }
        return out
    }
}
