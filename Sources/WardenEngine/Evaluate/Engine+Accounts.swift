/// Accounts as people look them up: the view of one, and its downline.
extension Engine {
    /// The deepest downline a request may ask for, and the largest page.
    public static let maxDownlineDepth = 64
    public static let maxDownlinePage = 1_000

    /// What Warden knows of `account` at `t`; nil when it has never seen it (no place in the
    /// invite graph, no penalty ever, no label).
    public func account(_ account: String, at t: Double) -> AccountView? {
        _ = state.invites.sync()
        let records = state.ledger.records(targetKind: .account, target: account)
        let labels = state.review?.labels(kind: .account, target: account, at: t) ?? []
        let found: (AccountView.Invite, ([RewardStanding.Invitee], RewardStanding))? = state.invites.read(nil) { view in
            guard let i = view.store.index(account) else { return nil }
            let node = view.store.nodes[Int(i)]
            let invite = AccountView.Invite(
                inviter: view.inviter(of: account), depth: view.depth(of: account),
                joined: node.parent >= 0 ? node.joined : node.firstIssue, code: node.code, direct: node.children.count,
                descendants: view.store.descendantCount(of: account), reward: RewardStanding())
            return (invite, view.invitees(of: account, returnWithin: ruleSet.info.rewardReturn))
        }
        var invite = found?.0
        if let (invitees, older) = found?.1 {
            invite?.reward = RewardStanding.of(
                invitees, older: older, info: ruleSet.info, ledger: state.ledger, review: state.review, at: t)
        }
        let recent = state.recent.of(account).map { e in
            AccountView.Recent(id: e.id, type: e.type, at: e.at, verdict: e.verdict, rules: e.rules, caseID: e.caseID)
        }
        guard invite != nil || !records.isEmpty || !labels.isEmpty || !recent.isEmpty else { return nil }
        return AccountView(
            account: account, penalties: records.filter { $0.inForce(at: t) }, labels: labels, invite: invite, recent: recent)
    }

    /// A page of `account`'s downline, level by level, down to `depth` levels; `after` is the
    /// cursor of the previous page. Nil when the account is not in the invite graph.
    public func downline(of account: String, depth: Int, limit: Int, after: Int = 0, at t: Double) -> (
        entries: [DownlineEntry], next: Int?
    )? {
        _ = state.invites.sync()
        let page: (entries: [(name: String, inviter: String, depth: Int, node: InviteStore.Node)], more: Bool)? = state.invites.read(nil) {
            view in
            guard view.store.index(account) != nil else { return nil }
            let (steps, more) = view.store.downline(of: account, depth: depth, skip: after, limit: limit)
            return (
                steps.map { i, d in
                    let node = view.store.nodes[Int(i)]
                    return (node.name, view.store.nodes[Int(node.parent)].name, d, node)
                }, more
            )
        }
        guard let page else { return nil }
        let entries = page.entries.map { e in
            DownlineEntry(
                account: e.name, inviter: e.inviter, depth: e.depth, joined: e.node.joined, code: e.node.code, device: e.node.device,
                network: e.node.network, status: status(of: e.name, flagged: e.node.flagged, at: t))
        }
        return (entries, page.more ? after + entries.count : nil)
    }

    /// `penalized` with a lasting penalty in force, `held` with a reward held, `flagged` when
    /// its redemption was not allowed, else `ok`.
    func status(of account: String, flagged: Bool, at t: Double) -> DownlineEntry.Status {
        let records = state.ledger.records(targetKind: .account, target: account)
        if records.contains(where: { $0.inForce(at: t) }) { return .penalized }
        if records.contains(where: { $0.action == .holdReward && $0.lifted == nil }) { return .held }
        return flagged ? .flagged : .ok
    }
}
