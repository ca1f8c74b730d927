import Testing
import WardenServer

@Suite struct AdminTokenTests {
    /// However a token is turned into text (a log line's interpolation, a debug dump), the
    /// secret does not appear.
    @Test func theTokenNeverPrintsItself() throws {
        let token = try #require(AdminToken("s3cret-admin-token"))
        var dumped = ""
        dump(token, to: &dumped)
        for text in ["\(token)", String(describing: token), String(reflecting: token), dumped] {
            #expect(!text.contains("s3cret"), "\(text)")
        }
        #expect("\(token)" == "AdminToken(redacted)")
    }
}
