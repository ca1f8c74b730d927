import Testing
import WardenEngine

/// Reasons, notes, labels and list entries are one visible line: control characters forge log
/// lines, and bidi or zero-width characters make the change log show what was not typed.
@Suite struct ReviewTextTests {
    @Test func invisibleAndDirectionChangingCharactersAreRefused() {
        let what = "a reason"
        #expect(ReviewText.problem("误判：用户是认证商户", limit: ReviewText.maxReason, what: what) == nil)
        #expect(ReviewText.problem("family 👨‍👩‍👧 photo", limit: ReviewText.maxReason, what: what) != nil, "a zero-width joiner is refused too")
        #expect(
            ReviewText.problem("lifted \u{202E}desrever", limit: ReviewText.maxReason, what: what)
                == "a reason contains an invisible or direction-changing character (U+202E)")
        #expect(
            ReviewText.problem("fr\u{200B}aud", limit: ReviewText.maxReason, what: what)
                == "a reason contains an invisible or direction-changing character (U+200B)")
        #expect(ReviewText.problem("\u{2066}x\u{2069}", limit: ReviewText.maxReason, what: what) != nil)
        #expect(
            ReviewText.problem("a\nb", limit: ReviewText.maxReason, what: what) == "a reason is one line of text without control characters"
        )
    }
}
