import Foundation
import Testing
import WardenRedis
import WardenTestSupport

/// Against a real redis-server started for the suite on a free loopback port (Debian's
/// `redis-server`; `make test` installs it).
@Suite(.serialized) struct RedisConnectionTests {
    let server: RedisServer

    init() throws { server = try RedisServer() }

    @Test func commandsAndPipelinedRepliesRoundTrip() throws {
        let pool = RedisPool(host: "127.0.0.1", port: server.port, timeout: 1)
        #expect(
            try pool.pipeline([["SET", "k", "刷单 value"], ["GET", "k"], ["INCRBY", "n", "41"], ["INCR", "n"], ["GET", "missing"]])
                == [.status("OK"), .string("刷单 value"), .integer(41), .integer(42), .null])
        #expect(
            try pool.pipeline([["RPUSH", "l", "a", "b"], ["LRANGE", "l", "0", "-1"]]) == [
                .integer(2), .array([.string("a"), .string("b")]),
            ])
        // An error reply is a value; the connection stays usable.
        let replies = try pool.pipeline([["INCR", "k"], ["PING"]])
        #expect(replies.count == 2)
        if case .error(let message) = replies[0] { #expect(message.contains("not an integer")) } else { Issue.record("\(replies[0])") }
        #expect(replies[1] == .status("PONG"))
    }

    @Test func aDownServerIsAnErrorAndThePoolRecoversWhenItIsBack() throws {
        let pool = RedisPool(host: "127.0.0.1", port: server.port, timeout: 0.5)
        #expect(try pool.pipeline([["PING"]]) == [.status("PONG")])
        server.stop()
        #expect(throws: RedisError.self) { try pool.pipeline([["PING"]]) }
        #expect(throws: RedisError.self) { try pool.pipeline([["PING"]]) }
        try server.start()
        #expect(try pool.pipeline([["PING"]]) == [.status("PONG")])
    }

    @Test func urlsParse() throws {
        let pool = try RedisPool(url: "redis://127.0.0.1:6380")
        #expect(pool.host == "127.0.0.1" && pool.port == 6380)
        #expect(try RedisPool(url: "redis://cache").port == 6379)
        #expect(throws: RedisError.self) { try RedisPool(url: "http://x") }
        #expect(throws: RedisError.self) { try RedisPool(url: "redis://x:99999") }
    }
}
