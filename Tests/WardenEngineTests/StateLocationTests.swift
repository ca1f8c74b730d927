import Testing
import WardenEngine

/// `--state` is parsed here for every command: the same spellings, the same refusals.
@Suite struct StateLocationTests {
    @Test func everySpellingParses() throws {
        let all: StateLocation.Kinds = [.memory, .sqlite, .redis, .snapshot]
        #expect(try StateLocation(parsing: "memory", accepting: all) == .memory)
        #expect(try StateLocation(parsing: "sqlite:/var/lib/warden/state.db", accepting: all) == .sqlite(path: "/var/lib/warden/state.db"))
        #expect(try StateLocation(parsing: "redis://127.0.0.1:6379", accepting: all) == .redis(url: "redis://127.0.0.1:6379"))
        #expect(
            try StateLocation(parsing: "redis+cluster://a:7000,b:7001", accepting: all) == .redis(url: "redis+cluster://a:7000,b:7001"))
        #expect(try StateLocation(parsing: "day1.json", accepting: all) == .snapshot(path: "day1.json"))
        #expect(try StateLocation(parsing: "sqlite:x.db", accepting: all).description == "sqlite:x.db")
    }

    @Test func mistakesAreRefusedWithTheSpellingsAccepted() {
        let serve: StateLocation.Kinds = [.memory, .sqlite, .redis]
        #expect(throws: StateLocation.Invalid.self) { try StateLocation(parsing: "sqlite:", accepting: serve) }
        do {
            _ = try StateLocation(parsing: "postgres://db", accepting: serve)
            Issue.record("postgres:// was accepted")
        } catch {
            #expect(
                error.message
                    == "--state takes sqlite:PATH, redis://HOST:PORT, redis+cluster://HOST:PORT[,HOST:PORT…] or memory, not 'postgres://db'"
            )
        }
        // A snapshot path is a state only where snapshots are read (`warden state`).
        #expect(throws: StateLocation.Invalid.self) { try StateLocation(parsing: "day1.json", accepting: serve) }
        do {
            _ = try StateLocation(parsing: "memory", accepting: .redis)
            Issue.record("memory was accepted where only Redis is")
        } catch {
            #expect(error.message == "--state takes redis://HOST:PORT or redis+cluster://HOST:PORT[,HOST:PORT…] here, not 'memory'")
        }
    }
}
