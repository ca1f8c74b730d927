import Foundation
import Testing
import WardenEngine
import WardenRedis
import WardenTestSupport

@Suite(.serialized) struct RedisLedgerTests {
    let server: RedisServer

    init() throws { server = try RedisServer() }

    /// Two engines (two servers) on one Redis, 8 tasks each sending past the threshold at the
    /// same moment: one penalty record, offense 1; lifting it by id ends it on both.
    @Test func concurrentEnginesWriteOneOffenseAndShareLifts() async throws {
        let source = """
            ruleset t
            rule flood { on send when count(by: account, within: 1d) > 100 penalty restrict_send(account, 1h) }
            """
        let ruleSet = try #require(Compiler.compile(source: source).ruleSet)
        let port = server.port
        let engines = (0..<2).map { _ in
            let pool = RedisPool(host: "127.0.0.1", port: port, timeout: 1)
            return Engine(ruleSet: ruleSet, ledger: RedisLedger(pool: pool), counterBackend: RedisCounters(pool: pool))
        }
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for k in 0..<20 {
                        var e = Event(id: "w\(worker)-\(k)", type: .send, account: "hot", ts: 1_767_225_600)
                        e.text = "hi"
                        e.to = ["r"]
                        _ = engines[worker % 2].check(e, now: 0)
                    }
                }
            }
        }
        let records = engines[0].penalties
        #expect(records.count == 1)
        #expect(records.first?.offense == 1)
        #expect(engines[1].penalties(targetKind: .account, target: "hot", inForceAt: 1_767_225_600).count == 1)
        let lifted = try engines[1].lift(id: try #require(records.first?.id), reason: "appeal", at: 1_767_225_700)
        #expect(lifted?.lifted?.reason == "appeal")
        #expect(engines[0].penalties(targetKind: .account, target: "hot", inForceAt: 1_767_225_800).isEmpty)
    }
}
