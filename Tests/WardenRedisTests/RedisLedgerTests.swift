import Foundation
import Testing
import WardenEngine
import WardenRedis
import WardenTestSupport

@Suite(.serialized) struct RedisLedgerTests {
    let server: RedisServer

    init() throws { server = try RedisServer() }

    /// Issue 20: an event that earns no penalty costs one round trip — its counter scripts and
    /// the penalties-in-force reads in one pipeline — and the penalty in force is still seen.
    @Test func anEventIsOneRoundTrip() throws {
        let source = """
            ruleset t
            rule burst { on send when count(by: account, within: 1h) > 4 and distinct(to, by: account, within: 1h) >= 1 penalty restrict_send(account, 1h) }
            """
        let ruleSet = try #require(Compiler.compile(source: source).ruleSet)
        let pool = RedisPool(host: "127.0.0.1", port: server.port, timeout: 1)
        let ledger = RedisLedger(pool: pool)
        let engine = Engine(ruleSet: ruleSet, ledger: ledger, counterBackend: RedisCounters(pool: pool, ledger: ledger))
        func send(_ k: Int) -> Decision {
            var e = Event(id: "m\(k)", type: .send, account: "u", ts: 1_767_225_600 + Double(k))
            e.text = "hi"
            e.to = ["r\(k)"]
            e.code = "CODE1"
            return engine.check(e, now: 0)
        }
        _ = send(0)  // loads the script
        let before = pool.roundTrips
        for k in 1...3 { #expect(send(k).penalties.isEmpty) }
        #expect(pool.roundTrips - before == 3)
        #expect(send(4).penalties.first?.action == .restrictSend)  // the lock and the writes: more trips
        let d = send(5)
        #expect(d.fired.map(\.rule).contains("penalty_in_force") && d.verdict == .block)
    }

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
            let ledger = RedisLedger(pool: pool)
            return Engine(ruleSet: ruleSet, ledger: ledger, counterBackend: RedisCounters(pool: pool, ledger: ledger))
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

    static func penaltyOnFirstSend(_ pool: RedisPool) throws -> Engine {
        let source = """
            ruleset t
            rule any { on send when true penalty restrict_send(account, 1h) }
            """
        let ruleSet = try #require(Compiler.compile(source: source).ruleSet)
        let ledger = RedisLedger(pool: pool)
        return Engine(ruleSet: ruleSet, ledger: ledger, counterBackend: RedisCounters(pool: pool, ledger: ledger))
    }

    static func send(_ account: String, _ k: Int) -> Event {
        var e = Event(id: "\(account)-\(k)", type: .send, account: account, ts: 1_767_225_600 + Double(k))
        e.text = "hi"
        e.to = ["r"]
        return e
    }

    /// A Redis that restarts empty does not hand out the ids it answered before: webhook
    /// idempotency keys and lifts by id would collide (2,900 penalties carried 2,309 ids).
    @Test func idsDoNotRepeatAfterRedisRestartsEmpty() throws {
        let pool = RedisPool(host: "127.0.0.1", port: server.port, timeout: 1)
        let engine = try Self.penaltyOnFirstSend(pool)
        var ids: [String] = []
        for round in 0..<3 {
            for k in 0..<5 { ids += engine.check(Self.send("u\(round)-\(k)", k), now: 0).penalties.compactMap(\.id) }
            _ = try pool.pipeline([["FLUSHALL"]])  // what a restart without persistence leaves
            Thread.sleep(forTimeInterval: 1.05)  // the next start is at least a second later
        }
        #expect(ids.count == 15 && Set(ids).count == 15, "\(ids)")
        #expect(ids.first?.hasPrefix("p-1") == true && ids.first!.count > 12)
    }

    /// One deadline for a check, not one per reply: a Redis that stalls (SIGSTOP) costs a
    /// check its budget, however many round trips its penalty needs (counters, the in-force
    /// read, the lock, the offense count, the id, the write), and the answer says the state failed.
    @Test func aStalledRedisCostsACheckItsBudgetOnce() throws {
        let pool = RedisPool(host: "127.0.0.1", port: server.port, timeout: 0.1)
        let engine = try Self.penaltyOnFirstSend(pool)
        _ = engine.check(Self.send("warm", 0), now: 0)
        server.pause()
        defer { server.resume() }
        let started = Date()
        let d = StateDeadline.within(seconds: 0.1) { engine.check(Self.send("stalled", 1), now: 0) }
        let elapsed = Date().timeIntervalSince(started)
        #expect(d.ledgerFailed, "\(d.warnings)")
        // Per reply, the same check took six timeouts and more (0.6 s and up).
        #expect(elapsed < 0.35, "took \(elapsed) s")
    }

    /// A record with numbers no server wrote (offense 1e300, a start past year 9999) is
    /// skipped, not fatal: the process used to trap on the next event naming its target.
    @Test func aRecordWithOutOfRangeNumbersIsSkipped() throws {
        let pool = RedisPool(host: "127.0.0.1", port: server.port, timeout: 1)
        let engine = try Self.penaltyOnFirstSend(pool)
        let first = engine.check(Self.send("bad", 0), now: 0)
        let id = try #require(first.penalties.first?.id)
        let key = try #require(try pool.pipeline([["GET", "warden:id:\(id)"]])[0].string)
        let stored = try #require(try pool.pipeline([["GET", key]])[0].string)
        _ = try pool.pipeline([["SET", key, stored.replacingOccurrences(of: #""offense":1"#, with: #""offense":1e300"#)]])
        #expect(engine.ledger.skippedRecords == 0)
        let next = engine.check(Self.send("bad", 1), now: 0)
        #expect(!next.fired.map(\.rule).contains("penalty_in_force"))
        #expect(engine.ledger.skippedRecords >= 1, "counted, for the metric and the log")
    }
}
