import ArgumentParser
import Foundation
import WardenEngine
import WardenRedis

/// `warden state`: the counters (by rule and key) and the penalties in force of a state, readable.
struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the counters (by rule and key) and the penalties in force of a state file, a SQLite state or Redis.",
        discussion: """
            The state is a snapshot file (--state-out of check or audit), sqlite:PATH (serve's state, read without \
            taking it: a server may be running on it) or redis://HOST:PORT. Counters are read at --at: by default the \
            time of the newest event the state counted (files), or now (Redis).
            """)

    @OptionGroup var ruleSet: RuleSetOptions

    @ArgumentParser.Argument(help: "A snapshot file, sqlite:PATH, or redis://HOST:PORT.")
    var state: String

    @Option(help: "Read the counters and penalties at this time (RFC 3339).")
    var at: String?

    @Option(help: "Only the counter keys with a part equal to this, and the penalties on it (an account, a code, an address).")
    var target: String?

    @Option(help: "At most this many keys per counter, the largest values first.")
    var limit = 20

    enum Format: String, ExpressibleByArgument { case text, json }

    @Option(help: "'text' (the default) or 'json'.")
    var format: Format = .text

    @Option(name: .customLong("redis-timeout"), help: "Seconds to wait for Redis.")
    var redisTimeout: Double = 2

    func run() throws {
        let compiled = try ruleSet.load()
        var time = try at.map { text throws -> Double in
            guard let t = Timestamp.parse(text) else {
                Output.error("warden: --at takes an RFC 3339 time, not '\(text)'")
                throw ExitCode(2)
            }
            return t
        }
        let location = try StateOpener.location(state, accepting: [.sqlite, .redis, .snapshot])
        let (engine, redis) = try StateOpener.inspect(location, ruleSet: compiled, redisTimeout: redisTimeout)
        var penalties = engine.penalties
        var readings: [CounterReading]
        if let redis {
            let t = time ?? Date().timeIntervalSince1970
            time = t
            do {
                readings = try RedisCounters(pool: redis).readings(for: engine, at: t)
            } catch {
                Output.error("warden: \(state): \(error.message)")
                throw ExitCode(2)
            }
        } else {
            let t = time ?? engine.newestCountedTime ?? Date().timeIntervalSince1970
            time = t
            readings = engine.counterReadings(at: t)
        }
        let t = time ?? Date().timeIntervalSince1970
        if let target {
            readings = readings.filter { $0.key.contains { $0.value == target } }
            penalties = penalties.filter { $0.target == target }
        }
        let inForce = penalties.filter { $0.inForce(at: t) }
        let zone = compiled.info.timezone == "UTC" ? nil : TimeZone(identifier: compiled.info.timezone)
        // By counter in rule-set order, the largest values first.
        var groups: [(counter: String, rules: [String], keys: [CounterReading])] = []
        for reading in readings {
            if let k = groups.firstIndex(where: { $0.counter == reading.counter }) {
                groups[k].keys.append(reading)
            } else {
                groups.append((reading.counter, reading.rules, [reading]))
            }
        }
        for k in groups.indices {
            groups[k].keys.sort {
                $0.value != $1.value ? $0.value > $1.value : $0.key.map(\.value).lexicographicallyPrecedes($1.key.map(\.value))
            }
        }
        switch format {
        case .json: Output.line(json(groups: groups, inForce: inForce, at: t, zone: zone, info: compiled.info))
        case .text: Output.line(text(groups: groups, inForce: inForce, at: t, zone: zone, info: compiled.info))
        }
    }

    func text(
        groups: [(counter: String, rules: [String], keys: [CounterReading])], inForce: [PenaltyRecord], at t: Double, zone: TimeZone?,
        info: CompiledRuleSet.Info
    ) -> String {
        var out = [
            "state \(state) read at \(Timestamp.format(t, zone: zone)) with rule set \(info.name)\(info.version.map { " " + $0 } ?? "")"
        ]
        out.append(groups.isEmpty ? "counters: none above zero" : "counters:")
        for group in groups {
            out.append(
                "  \(group.counter) (\(group.rules.isEmpty ? "no rule" : "rule" + (group.rules.count > 1 ? "s " : " ") + group.rules.joined(separator: ", "))): \(group.keys.count) key\(group.keys.count == 1 ? "" : "s")"
            )
            for reading in group.keys.prefix(limit) {
                let key = reading.key.map { "\($0.name)=\(ExplainTrace.visible($0.value))" }.joined(separator: ", ")
                out.append("    \(Value.number(reading.value).display)  \(key)")
            }
            if group.keys.count > limit { out.append("    … \(group.keys.count - limit) more (--limit)") }
        }
        out.append(inForce.isEmpty ? "penalties in force: none" : "penalties in force: \(inForce.count)")
        for p in inForce {
            let end =
                PenaltyRecord.endText(until: p.until, forever: p.forever, zone: zone).map { $0 == "forever" ? $0 : "until " + $0 } ?? ""
            out.append(
                "  \(p.id) \(p.action.rawValue) on \(p.targetKind.rawValue) \(ExplainTrace.visible(p.target)) \(end) (rule \(p.rule), offense \(p.offense), since \(Timestamp.format(p.start, zone: zone)), event \(p.event))"
            )
        }
        return out.joined(separator: "\n")
    }

    func json(
        groups: [(counter: String, rules: [String], keys: [CounterReading])], inForce: [PenaltyRecord], at t: Double, zone: TimeZone?,
        info: CompiledRuleSet.Info
    ) -> String {
        let counters: [JSONValue] = groups.map { group in
            .object([
                ("counter", .string(group.counter)), ("rules", .array(group.rules.map(JSONValue.string))),
                ("keys", .number(Double(group.keys.count))),
                (
                    "values",
                    .array(
                        group.keys.prefix(limit).map { r in
                            .object([("key", .object(r.key.map { ($0.name, JSONValue.string($0.value)) })), ("value", .number(r.value))])
                        })
                ),
            ])
        }
        var w = JSONWriter()
        w.value(
            .object([
                ("at", .string(Timestamp.format(t, zone: zone))), ("ruleset", .string(info.name)), ("counters", .array(counters)),
                ("penalties_in_force", .array(inForce.map(\.jsonValue))),
            ]))
        return w.output
    }
}
