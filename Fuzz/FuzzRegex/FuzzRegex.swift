import FuzzDriver
import WardenMatching

/// Lines before the first blank line are regexes, the rest is the text. The prefiltered set
/// must find exactly the patterns that PCRE2 finds trying every one of them: the required
/// literals (`RegexLiterals`) may only ever skip patterns that cannot match. Checked with and
/// without the `i` flag (the caseless prefilter folds case; the exact one is a byte automaton).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let (lines, input) = linesAndText(data, size, limit: 16) else { return 0 }
    var text = input
    for flags in ["", "i"] {
        let patterns = lines.filter { (try? CompiledRegex($0, flags: flags)) != nil }
        guard !patterns.isEmpty, let set = try? RegexSet(patterns: patterns.map { ($0, flags) }) else { continue }
        let brute: [Int] = text.withUTF8 { buffer in
            set.regexes.indices.filter { (try? set.regexes[$0].firstMatch(inUTF8: buffer)) != nil }
        }
        let found = set.matching(text)
        precondition(found.matches == brute.filter { !found.errors.contains($0) }, "prefilter skipped a matching pattern")
    }
    return 0
}

@_cdecl("FuzzRegex_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzRegex) }
