import WardenLanguage

/// The invite graph's built-ins (`Vocabulary.inviteBuiltins`; docs/language.md, Invite graph).
/// Each reads the graph as the event sees it: the stored edges and the event's own.
extension Compiler {
    func inviteCall(_ builtin: Builtin, _ positional: [Expr], _ labeled: (String) -> Expr?) -> Eval {
        readsInviteGraph = true
        let name = builtin.rawValue
        guard let first = positional.first else { return { _ in .null } }
        let argument = expression(first)
        var window: Double?
        if case .duration(let seconds)? = labeled("within")?.kind { window = Double(seconds) }
        if [.qualifiedInvitees, .flaggedInvitees, .rewardTier].contains(builtin) {
            return rewardCall(builtin, argument)
        }
        let query = Self.inviteQuery(builtin, window: window)
        let isBool = builtin.invite?.type == .bool
        return { ctx in
            guard let graph = ctx.invites, let subject = argument(ctx).string else { return isBool ? .bool(false) : .null }
            let value = graph.read(ctx.inviteChange) { view in query(view, subject, ctx.now) }
            if isBool, value.isTrue, ctx.collectsEvidence {
                ctx.evidence.append(ctx.inviteEvidence(name, subject, value: nil, limit: nil, window: nil))
            }
            return value
        }
    }

    /// `qualified_invitees`, `flagged_invitees`, `reward_tier`: the graph's invitees, then
    /// the ledger and labels for each (`RewardStanding`).
    func rewardCall(_ builtin: Builtin, _ argument: @escaping Eval) -> Eval {
        let info = rewardInfo
        return { ctx in
            guard let graph = ctx.invites, let subject = argument(ctx).string else { return .null }
            let (invitees, older) = graph.read(ctx.inviteChange) { $0.invitees(of: subject, returnWithin: info.rewardReturn) }
            let s = RewardStanding.of(invitees, older: older, info: info, ledger: ctx.ledger, review: ctx.review, at: ctx.now)
            switch builtin {
            case .qualifiedInvitees: return .number(Double(s.qualified))
            case .flaggedInvitees: return .number(Double(s.flagged))
            default: return .number(Double(s.tier))
            }
        }
    }

    /// The reward header as `RewardStanding` reads it.
    var rewardInfo: CompiledRuleSet.Info {
        var info = CompiledRuleSet.Info(name: "", timezone: "UTC", digest: "")
        let header = syntax.header
        info.rewardTiers = (header?.rewardTiers?.value ?? []).compactMap { if case .integer(let n) = $0.kind { n } else { nil } }
        info.rewardExcludes = (header?.rewardExcludes?.value ?? []).compactMap { if case .string(let s) = $0.kind { s } else { nil } }
        info.rewardReturn = header?.rewardReturn.map { Double($0.value) }
        return info
    }

    /// The question a built-in asks of the graph.
    static func inviteQuery(_ builtin: Builtin, window: Double?) -> @Sendable (InviteView, String, Double) -> Value {
        switch builtin {
        case .inviterOf: return { view, a, _ in view.inviter(of: a).map(Value.string) ?? .null }
        case .inviteDepth: return { view, a, _ in .number(Double(view.depth(of: a))) }
        case .descendants: return { view, a, now in .number(Double(view.descendants(of: a, within: window, now: now))) }
        case .redeemers: return { view, a, now in .number(Double(view.redeemerCount(of: a, within: window ?? 0, now: now))) }
        case .redeemerDevices:
            return { view, a, now in
                .number(
                    Double(
                        view.redeemerDistinct(of: a, within: window ?? 0, now: now, device: true, latest: InviteGraph.maxRedeemersScanned)))
            }
        case .redeemerNetworks:
            return { view, a, now in
                .number(
                    Double(
                        view.redeemerDistinct(of: a, within: window ?? 0, now: now, device: false, latest: InviteGraph.maxRedeemersScanned))
                )
            }
        case .sameDeviceAsInviter: return { view, a, _ in .bool(view.sharesWithInviter(a, device: true)) }
        case .sameNetworkAsInviter: return { view, a, _ in .bool(view.sharesWithInviter(a, device: false)) }
        case .siblingsOnDevice: return { view, a, _ in .number(Double(view.siblingsSharing(a, device: true))) }
        case .siblingsOnNetwork: return { view, a, _ in .number(Double(view.siblingsSharing(a, device: false))) }
        case .issueDelay: return { view, a, _ in view.issueDelay(of: a).map(Value.number) ?? .null }
        case .codeMaxUses: return { view, c, _ in view.maxUses(of: c).map { .number(Double($0)) } ?? .null }
        case .qualifiedInvitees, .flaggedInvitees, .rewardTier: return { _, _, _ in .null }
        case .count, .distinct, .sum, .near, .hits, .len, .fingerprint, .normalize, .fired, .atLeast, .matchesFormat, .subnet,
            .classify, .hasModel, .active, .hasLabel:
            return { _, _, _ in .null }
        }
    }

    /// For a comparison whose left side is an invite built-in counting something: the evidence
    /// to add when the comparison holds.
    func inviteEvidenceCall(_ e: Expr) -> (@Sendable (EvaluationContext, Value, Double?) -> Evidence?)? {
        guard case .call(let name, _, let arguments) = e.kind, let signature = Vocabulary.inviteBuiltins[name], signature.type != .bool,
            name != "code_max_uses", let first = arguments.first(where: { $0.label == nil })?.value
        else { return nil }
        let argument = expression(first)
        var found: (text: String, seconds: Double)?
        if let w = arguments.first(where: { $0.label == "within" })?.value, case .duration(let seconds) = w.kind {
            found = (w.range.text, Double(seconds))
        }
        let window = found
        return { ctx, value, limit in
            guard let subject = argument(ctx).string else { return nil }
            return ctx.inviteEvidence(name, subject, value: value.number, limit: limit, window: window)
        }
    }
}

extension EvaluationContext {
    /// Evidence of an invite built-in: the path to the account asked about and, for redeemer
    /// counts, the redeemers counted (at most 20).
    func inviteEvidence(_ name: String, _ account: String, value: Double?, limit: Double?, window: (text: String, seconds: Double)?)
        -> Evidence
    {
        var e = Evidence(kind: .invite)
        e.builtin = name
        e.account = account
        e.value = value
        e.limit = limit
        e.window = window?.text
        guard let graph = invites else { return e }
        graph.read(inviteChange) { view in
            e.path = view.path(to: account)
            if ["redeemers", "redeemer_devices", "redeemer_networks"].contains(name), let window {
                e.redeemers = view.redeemers(of: account, within: window.seconds, now: now, latest: 20)
            }
        }
        return e
    }
}
