import Foundation
import WardenEngine
import WardenModels

/// `warden bench --downline N`: a 团长 with N accounts below (a thousand direct invitees, the rest
/// spread under them), built through `Engine.check`; then the account view and the first
/// page of the downline, as the routes answer them, timed.
extension Bench {
    func benchDownline() {
        let source = """
            ruleset bench reward_tiers [1, 3, 5] reward_excludes ["farm"] reward_requires_return 24h
            rule r { on redeem when invite_depth(account) > 60 }
            """
        guard let ruleSet = Compiler.compile(source: source).ruleSet else { return }
        let engine = Engine(ruleSet: ruleSet)
        let t0 = 1_767_225_600.0
        var rng = SplitMix64(seed: 7)
        var issue = Event(id: "i", type: .issue, account: "leader", ts: t0)
        issue.code = "LEADER00"
        _ = engine.check(issue, now: t0)
        let direct = min(1_000, downline)
        let start = Date()
        for i in 0..<downline {
            let t = t0 + 60 + Double(i)
            // The first thousand redeem the leader's code; each later one a code of an earlier invitee.
            let code = i < direct ? "LEADER00" : "C\(Int(rng.next() % UInt64(i)))"
            var redeem = Event(id: "r\(i)", type: .redeem, account: "a\(i)", ts: t)
            redeem.code = code
            redeem.device = "p\(i)"
            _ = engine.check(redeem, now: t)
            var own = Event(id: "o\(i)", type: .issue, account: "a\(i)", ts: t)
            own.code = "C\(i)"
            _ = engine.check(own, now: t)
        }
        let built = Date().timeIntervalSince(start)
        let at = t0 + 86_400 * 3
        func timed(_ body: () -> Void) -> (median: Double, max: Double) {
            var times: [Double] = []
            for _ in 0..<30 {
                let s = Date()
                body()
                times.append(Date().timeIntervalSince(s) * 1000)
            }
            times.sort()
            return (times[times.count / 2], times.last!)
        }
        var total = 0
        let view = timed { total = engine.account("leader", at: at)?.invite?.descendants ?? 0 }
        let page = timed { _ = engine.downline(of: "leader", depth: 8, limit: 100, at: at) }
        let deep = timed { _ = engine.downline(of: "leader", depth: 64, limit: 1_000, after: downline - 1_000, at: at) }
        Output.line(
            String(
                format:
                    "downline: leader with %d accounts below (%d direct), built in %.1f s; account view %.2f ms (max %.2f), first page of 100 %.2f ms (max %.2f), last page of 1000 %.2f ms (max %.2f)",
                total, direct, built, view.median, view.max, page.median, page.max, deep.median, deep.max))
    }
}
