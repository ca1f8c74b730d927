import Foundation
import WardenLanguage

/// Drafts: a candidate rule set stored beside the live one with its lint result and what it
/// would decide differently, published when someone approves it.
extension WardenService {
    /// The most events a draft is tried on.
    public static let maxDraftEvents = 10_000

    /// Stores a draft: the live rule set's files with `changes` applied (a nil text removes a
    /// file), linted, and tried beside the live rule set on `events`, each on a fresh engine
    /// in memory that never touches the live state.
    public func createDraft(changes: [String: String?], events: [Event], by actor: String, reason: String) throws(ReviewError) -> RuleDraft
    {
        let review = try store()
        var files = engine.ruleSet.sources
        for (path, text) in changes {
            if let text { files[path] = Array(text.utf8) } else { files[path] = nil }
        }
        let (compiled, diagnostics) = Compiler.compile(files: files)
        var draft = RuleDraft(
            id: "d" + UUID().uuidString.prefix(8).lowercased(), created: clock(), by: actor, reason: reason, files: files,
            digest: compiled?.info.digest, diagnostics: .array(diagnostics.map(\.jsonValue)),
            dryRun: compiled.map { Self.tryBeside(live: engine.ruleSet, draft: $0, events: events) } ?? .null)
        draft.status = .pending
        try review.saveDraft(draft)
        try review.append(
            ChangeRecord(
                at: draft.created, kind: .draft, by: actor, reason: reason, subject: draft.id,
                detail: .object([
                    ("digest", draft.digest.map(JSONValue.string) ?? .null), ("files", .array(changes.keys.sorted().map(JSONValue.string))),
                ])))
        return draft
    }

    /// Both rule sets over the same events, in order, each on a fresh engine: verdict counts
    /// and the events whose verdict differs.
    static func tryBeside(live: CompiledRuleSet, draft: CompiledRuleSet, events: [Event]) -> JSONValue {
        let (a, b) = (Engine(ruleSet: live), Engine(ruleSet: draft))
        var counts = (live: [String: Int](), draft: [String: Int]())
        var changed: [JSONValue] = []
        var changedCount = 0
        for event in events {
            let now = event.ts ?? 0
            let (x, y) = (a.check(event, now: now), b.check(event, now: now))
            counts.live[x.verdict.rawValue, default: 0] += 1
            counts.draft[y.verdict.rawValue, default: 0] += 1
            guard x.verdict != y.verdict else { continue }
            changedCount += 1
            if changed.count < 50 {
                changed.append(
                    .object([
                        ("id", .string(event.id)), ("live", .string(x.verdict.rawValue)), ("draft", .string(y.verdict.rawValue)),
                        ("live_rules", .array(x.fired.map { .string($0.rule) })), ("draft_rules", .array(y.fired.map { .string($0.rule) })),
                        ("text", event.text.map(JSONValue.string) ?? .null),
                    ]))
            }
        }
        func table(_ c: [String: Int]) -> JSONValue { .object(Verdict.allCases.map { ($0.rawValue, .int(c[$0.rawValue] ?? 0)) }) }
        return .object([
            ("events", .int(events.count)), ("changed", .int(changedCount)), ("live", table(counts.live)), ("draft", table(counts.draft)),
            ("examples", .array(changed)),
        ])
    }

    /// Publishes a pending draft. With `requireSecondActor`, its author may not approve it.
    /// Refused like a bad reload (`Reload.accepted` false) when it no longer compiles.
    public func approve(draft id: String, by actor: String, reason: String, requireSecondActor: Bool) throws(ReviewError) -> (
        RuleDraft, Reload
    ) {
        let review = try store()
        guard var draft = review.draft(id: id) else { throw ReviewError(.notFound, "no draft \(id)") }
        guard draft.status == .pending else { throw ReviewError(.conflict, "draft \(id) is \(draft.status.rawValue)") }
        if requireSecondActor, draft.by == actor {
            throw ReviewError(.conflict, "draft \(id) was written by \(actor); another person must approve it (--require-approval)")
        }
        let result: Reload = reloading.withLock { _ in
            let result = swapIn(Compiler.compile(files: draft.files))
            if result.accepted {
                remember(engine.ruleSet, by: actor, reason: reason, kind: .draftApprove, from: result.previousDigest)
            }
            return result
        }
        guard result.accepted else { return (draft, result) }
        draft.status = .published
        draft.approvedBy = actor
        draft.approvedAt = clock()
        try review.saveDraft(draft)
        return (draft, result)
    }
}
