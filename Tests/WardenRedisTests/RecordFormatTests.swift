import Testing
import WardenEngine

@testable import WardenRedis

/// One stored form of a penalty record; what an older server wrote still loads.
@Suite struct RecordFormatTests {
    @Test func theOlderRedisFormStillLoads() throws {
        // As RedisLedger wrote records before issue 22: `kind`, `lifted_at`, `lift_reason`.
        let old =
            #"{"id":"p-7","action":"revoke_code","kind":"code","target":"AB12CD34","start":1767225600,"forever":true,"offense":1,"rule":"fraud_text","event":"m-1","lifted_at":1767229200,"lift_reason":"appeal"}"#
        let record = try #require(RedisLedger.decode(old))
        #expect(record.id == "p-7" && record.targetKind == .code && record.target == "AB12CD34" && record.forever)
        #expect(record.lifted == PenaltyRecord.Lift(at: 1_767_229_200, reason: "appeal"))
        // Written back in the one form, it reads the same.
        let stored = RedisLedger.encode(record)
        #expect(stored.contains(#""target_kind":"code""#) && stored.contains(#""lifted":{"at":1767229200,"reason":"appeal"}"#))
        #expect(RedisLedger.decode(stored) == record)
        #expect(RedisLedger.decode(#"{"id":"p-1"}"#) == nil)
        // Numbers no server writes are refused, not trapped on.
        for bad in [#""offense":1e300"#, #""offense":0.5"#, #""start":1e300"#, #""until":-1e300"#] {
            let text =
                #"{"id":"p-1","action":"revoke_code","target_kind":"code","target":"C","start":1767225600,"until":1767229200,"forever":false,"offense":1,"rule":"r","event":"e"}"#
            let field = bad.split(separator: ":")[0]
            let damaged = text.replacingOccurrences(of: #"\#(field):[^,]*"#, with: bad, options: .regularExpression)
            #expect(damaged != text && RedisLedger.decode(damaged) == nil, "\(damaged)")
        }
    }
}
