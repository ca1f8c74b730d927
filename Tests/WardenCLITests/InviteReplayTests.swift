import Foundation
import Testing
import WardenWire

/// A generated invite log (scripts/make-invites.py) replayed through `warden check`, then every
/// inviter looked up with `warden account`: the downline counts are the generator's own, and
/// reward tiers go to honest inviters, never to farms whose alts do not come back.
@Suite struct InviteReplayTests {
    @Test func downlineCountsAndTiersMatchTheGenerator() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("invites.jsonl").path
        let counts = dir.appendingPathComponent("invites.counts").path
        let snapshot = dir.appendingPathComponent("state.json").path
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = [
            "python3", CLITests.root.appendingPathComponent("scripts/make-invites.py").path, "--seed", "5", "--trees", "150",
            "--popular", "3", "--chains", "6", "--stars", "4", "--proxy-farms", "6", "--returns", "--out", log, "--labels",
            dir.appendingPathComponent("invites.labels").path, "--counts", counts,
        ]
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0)

        let cli = CLITests()
        let check = try cli.run(["check", "--rules", "rules", "--state-out", snapshot, log])
        try #require(check.status == 0, "\(check.stderr)")
        var expected: [String: (direct: Int, below: Int, kind: String)] = [:]
        for line in try String(contentsOfFile: counts, encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            expected[f[0]] = (Int(f[1])!, Int(f[2])!, f[3])
        }
        try #require(expected.count > 100)
        let accounts = expected.keys.sorted()
        let r = try cli.run(["account", "--rules", "rules", "--state", snapshot, "--format", "json"] + accounts)
        try #require(r.status == 0, "\(r.stderr)")
        var tiered: [String: (reached: Int, all: Int)] = [:]
        var seen = 0
        for line in r.stdout.split(separator: "\n") {
            let v = try JSONParser.parse(String(line))
            guard case .string(let account)? = v["account"], let e = expected[account], let invite = v["invite"],
                case .number(let direct)? = invite["direct"], case .number(let below)? = invite["descendants"],
                case .number(let tier)? = invite["tier"]
            else {
                Issue.record("unexpected answer \(line)")
                continue
            }
            seen += 1
            #expect(Int(direct) == e.direct && Int(below) == e.below, "\(account)")
            tiered[e.kind, default: (0, 0)].reached += tier >= 1 ? 1 : 0
            tiered[e.kind, default: (0, 0)].all += 1
        }
        #expect(seen == accounts.count)
        // Farms never reach a tier: chain and star alts are flagged, proxy alts never come back.
        for kind in ["chain", "star", "proxy"] { #expect(tiered[kind]?.reached == 0, "\(kind): \(String(describing: tiered[kind]))") }
        let honest = try #require(tiered["honest"])
        #expect(Double(honest.reached) / Double(honest.all) > 0.7, "\(honest)")
    }
}
