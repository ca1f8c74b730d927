/// The invite graph in a state snapshot: accounts with their edge, codes with their owner, and
/// redemptions still waiting for their code's issue event. Children and descendants' join times
/// are rebuilt from the edges on restore.
extension InviteStore {
    var json: JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        func time(_ t: Double?) -> JSONValue { t.map(JSONValue.number) ?? .null }
        let accounts: [JSONValue] = nodes.map { n in
            .object([
                ("account", .string(n.name)), ("inviter", n.parent >= 0 ? .string(nodes[Int(n.parent)].name) : .null),
                ("joined", n.parent >= 0 ? .number(n.joined) : .null), ("code", text(n.code)), ("device", text(n.device)),
                ("network", text(n.network)), ("owner_device", text(n.ownerDevice)), ("owner_network", text(n.ownerNetwork)),
                ("first_issue", time(n.firstIssue)), ("last_seen", .number(n.lastSeen)), ("flagged", .bool(n.flagged)),
                ("last_active", n.lastActive.isFinite ? .number(n.lastActive) : .null),
            ])
        }
        let codeItems: [JSONValue] = codes.sorted { $0.key < $1.key }.map { code, c in
            .object([
                ("code", .string(code)), ("owner", .string(nodes[Int(c.owner)].name)), ("issued", .number(c.issued)),
                ("device", text(c.device)), ("network", text(c.network)), ("max_uses", c.maxUses.map { .number(Double($0)) } ?? .null),
            ])
        }
        let waitingItems: [JSONValue] = waiting.sorted { $0.key < $1.key }.flatMap { _, list in
            list.map { r in
                JSONValue.object([
                    ("code", .string(r.code)), ("redeemer", .string(r.redeemer)), ("at", .number(r.at)),
                    ("device", text(r.device)), ("network", text(r.network)), ("flagged", .bool(r.flagged)),
                ])
            }
        }
        return .object([
            ("accounts", .array(accounts)), ("codes", .array(codeItems)), ("waiting", .array(waitingItems)),
            ("newest", newest.isFinite ? .number(newest) : .null),
        ])
    }

    static func load(_ value: JSONValue) throws(SnapshotError) -> InviteStore {
        func text(_ v: JSONValue?) -> String? { if case .string(let s)? = v { s } else { nil } }
        // Times are seconds in the years 1–9999; a value outside (a damaged or hand-made
        // snapshot) is refused by name rather than trapping where it becomes a day number.
        func number(_ v: JSONValue?) throws(SnapshotError) -> Double? {
            guard case .number(let n)? = v else { return nil }
            guard PenaltyRecord.storableTimes.contains(n) else { throw SnapshotError(message: "invite graph: \(n) is not a time") }
            return n
        }
        var s = InviteStore()
        guard case .array(let accounts)? = value["accounts"], case .array(let codes)? = value["codes"] else {
            throw SnapshotError(message: "the invite graph needs 'accounts' and 'codes' arrays")
        }
        for a in accounts {
            guard let name = text(a["account"]) else { throw SnapshotError(message: "an invite account needs 'account'") }
            let i = s.node(name)
            s.nodes[Int(i)].code = text(a["code"])
            s.nodes[Int(i)].device = text(a["device"])
            s.nodes[Int(i)].network = text(a["network"])
            s.nodes[Int(i)].ownerDevice = text(a["owner_device"])
            s.nodes[Int(i)].ownerNetwork = text(a["owner_network"])
            s.nodes[Int(i)].firstIssue = try number(a["first_issue"])
            s.nodes[Int(i)].lastSeen = try number(a["last_seen"]) ?? -.infinity
            s.nodes[Int(i)].lastActive = try number(a["last_active"]) ?? -.infinity
            if case .bool(true)? = a["flagged"] { s.nodes[Int(i)].flagged = true }
        }
        for a in accounts {
            guard let name = text(a["account"]), let inviter = text(a["inviter"]) else { continue }
            guard let joined = try number(a["joined"]) else {
                throw SnapshotError(message: "invite account \(name): an inviter needs 'joined'")
            }
            let me = s.node(name)
            let o = s.node(inviter)
            guard s.nodes[Int(me)].parent < 0, !s.isAncestor(me, of: o) else {
                throw SnapshotError(message: "invite account \(name): a second inviter or a cycle")
            }
            s.nodes[Int(me)].parent = o
            s.nodes[Int(me)].joined = joined
            s.nodes[Int(o)].children.append(me)
        }
        s.reindexChildren()
        for i in s.nodes.indices where s.nodes[i].parent >= 0 {
            var x = s.nodes[i].parent
            for _ in 0..<InviteGraph.descendantLevels where x >= 0 {
                s.nodes[Int(x)].descendantJoins.append(InviteGraph.second(s.nodes[i].joined))
                x = s.nodes[Int(x)].parent
            }
        }
        for i in s.nodes.indices { s.nodes[i].descendantJoins.sort() }
        s.recountBelow()
        func uses(_ v: JSONValue?) throws(SnapshotError) -> Int? {
            guard case .number(let n)? = v else { return nil }
            guard let k = Int(exactly: n), k >= 0 else { throw SnapshotError(message: "invite graph: max_uses \(n) is not a count") }
            return k
        }
        for c in codes {
            guard let code = text(c["code"]), let owner = text(c["owner"]), let issued = try number(c["issued"]) else {
                throw SnapshotError(message: "an invite code needs 'code', 'owner' and 'issued'")
            }
            s.codes[code] = Code(
                owner: s.node(owner), issued: issued, device: text(c["device"]), network: text(c["network"]),
                maxUses: try uses(c["max_uses"]))
        }
        if case .array(let waiting)? = value["waiting"] {
            for w in waiting {
                guard let code = text(w["code"]), let redeemer = text(w["redeemer"]), let at = try number(w["at"]) else {
                    throw SnapshotError(message: "a waiting redemption needs 'code', 'redeemer' and 'at'")
                }
                var r = InviteChange.Redemption(
                    redeemer: redeemer, owner: nil, code: code, at: at, device: text(w["device"]), network: text(w["network"]),
                    ownerDevice: nil, ownerNetwork: nil)
                if case .bool(true)? = w["flagged"] { r.flagged = true }
                s.waiting[code, default: []].append(r)
            }
        }
        s.newest = try number(value["newest"]) ?? -.infinity
        s.lastSweep = s.newest
        return s
    }
}
