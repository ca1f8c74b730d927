import ArgumentParser
import Foundation
import WardenEngine

/// `warden account ID --state S [--downline]`: what `GET /v1/accounts/{id}` answers, from a state
/// read without taking it (a server may be running on it).
struct Account: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show an account: penalties in force, labels, its place in the invite graph, and with --downline the accounts below it.")

    @OptionGroup var ruleSet: RuleSetOptions

    @ArgumentParser.Argument(help: "The account (several: one answer each, in order).")
    var accounts: [String]

    @Option(help: "sqlite:PATH, redis://HOST:PORT, redis+cluster://…, or a snapshot file.")
    var state: String

    @Flag(help: "List the accounts below it, level by level.")
    var downline = false

    @Option(help: "Levels down (1 to 64).")
    var depth = 8

    @Option(help: "At most this many accounts of the downline (1 to 1000).")
    var limit = 100

    @Option(help: "Continue after this cursor (the 'next' of the previous page).")
    var after = 0

    enum Format: String, ExpressibleByArgument { case text, json }

    @Option(help: "'text' (the default) or 'json' (what the HTTP routes answer).")
    var format: Format = .text

    @Option(name: .customLong("redis-timeout"), help: "Seconds to wait for Redis.")
    var redisTimeout: Double = 2

    func validate() throws {
        guard !accounts.isEmpty else { throw ValidationError("name at least one account") }
        guard (1...Engine.maxDownlineDepth).contains(depth) else { throw ValidationError("--depth takes 1 to \(Engine.maxDownlineDepth)") }
        guard (1...Engine.maxDownlinePage).contains(limit) else { throw ValidationError("--limit takes 1 to \(Engine.maxDownlinePage)") }
        guard after >= 0 else { throw ValidationError("--after takes a cursor from 0") }
    }

    func run() throws {
        let compiled = try ruleSet.load()
        let location = try StateOpener.location(state, accepting: [.sqlite, .redis, .snapshot])
        let (engine, _) = try StateOpener.inspect(location, ruleSet: compiled, redisTimeout: redisTimeout)
        let now = Date().timeIntervalSince1970
        let zone = compiled.info.timezone == "UTC" ? nil : TimeZone(identifier: compiled.info.timezone)
        var missing = 0
        for account in accounts {
            guard let view = engine.account(account, at: now) else {
                Output.error("warden: no account \(account) in \(state): Warden has never seen it")
                missing += 1
                continue
            }
            let page = downline ? engine.downline(of: account, depth: depth, limit: limit, after: after, at: now) : nil
            switch format {
            case .json:
                guard case .object(var pairs) = view.jsonValue(at: now) else { continue }
                if let page {
                    pairs.append(("downline", .array(page.entries.map(\.jsonValue))))
                    pairs.append(("next", page.next.map { .string(String($0)) } ?? .null))
                }
                Output.line(JSONValue.object(pairs).text)
            case .text:
                Output.line(text(view, page, zone: zone, at: now))
            }
        }
        if missing > 0 { throw ExitCode(1) }
    }

    func text(_ view: AccountView, _ page: (entries: [DownlineEntry], next: Int?)?, zone: TimeZone?, at t: Double) -> String {
        var out = ["account \(view.account)"]
        if let i = view.invite {
            out.append(
                "  invited by \(i.inviter ?? "nobody (a root)"), depth \(i.depth)"
                    + (i.joined.map { ", joined \(Timestamp.format($0, zone: zone))" } ?? "") + (i.code.map { " with \($0)" } ?? ""))
            out.append("  \(i.direct) direct invitees, \(i.descendants) accounts below")
            let r = i.reward
            out.append("  reward: tier \(r.tier); invitees qualified \(r.qualified), pending \(r.pending), flagged \(r.flagged)")
        } else {
            out.append("  in no invite tree")
        }
        out.append(view.penalties.isEmpty ? "  penalties in force: none" : "  penalties in force: \(view.penalties.count)")
        for p in view.penalties { out.append("    \(p.id) \(p.action.rawValue) (rule \(p.rule), offense \(p.offense))") }
        out.append(view.labels.isEmpty ? "  labels: none" : "  labels: " + view.labels.map(\.label).joined(separator: ", "))
        if !view.recent.isEmpty { out.append("  recent decisions (this process):") }
        for d in view.recent {
            out.append(
                "    \(Timestamp.format(d.at, zone: zone))  \(d.type) \(d.id)  \(d.verdict.rawValue)  " + d.rules.joined(separator: ", "))
        }
        if let page {
            out.append("downline (\(page.entries.count)\(page.next.map { ", more after \($0)" } ?? "")):")
            for e in page.entries {
                let indent = String(repeating: "  ", count: e.depth)
                let place = [e.device, e.network].compactMap { $0 }.joined(separator: ", ")
                out.append(
                    "\(indent)\(e.account) ← \(e.inviter)  \(Timestamp.format(e.joined, zone: zone))  \(e.status.rawValue)"
                        + (place.isEmpty ? "" : "  (\(place))"))
            }
        }
        return out.joined(separator: "\n")
    }
}
