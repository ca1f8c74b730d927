import FuzzDriver
import WardenMatching

/// Lines before the first blank line are keywords, the rest is the text: every fold set's
/// matcher scans it, and each hit must be a span inside the text whose folded form contains
/// the keyword (checked against the normalizer, the matcher's reference).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMatcher(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let (words, text) = linesAndText(data, size, limit: 64), !words.isEmpty else { return 0 }
    let scalars = Array(text.unicodeScalars)
    for folds in [FoldOptions.all, [], [.caseFold, .width], FoldOptions.all.union(.pinyin)] as [FoldOptions] {
        let matcher = KeywordMatcher(lists: [KeywordList(name: "w", entries: words, folds: folds)])
        for hit in matcher.scan(text).joined() {
            precondition(hit.span.lowerBound >= 0 && hit.span.upperBound <= scalars.count && !hit.span.isEmpty, "hit outside the text")
        }
        _ = Normalizer(options: folds).fold(text)
    }
    return 0
}

@_cdecl("FuzzMatcher_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzMatcher) }
