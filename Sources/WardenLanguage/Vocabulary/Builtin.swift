/// Every built-in function of the rules language, with its documentation: the one table the
/// checker, the compiler (an exhaustive switch), the language server (hover, completion) and
/// docs/language.md (`warden vocabulary --markdown`, checked by a test) read. A new built-in is
/// a new case here, and the compiler does not build until every switch over it says what it does.
public enum Builtin: String, CaseIterable, Sendable {
    case count
    case distinct
    case sum
    case near
    case hits
    case len
    case fingerprint
    case normalize
    case fired
    case atLeast = "at_least"
    case matchesFormat = "matches_format"
    case subnet
    case classify
    case hasModel = "has_model"
    case active
    case hasLabel = "has_label"
    case inviterOf = "inviter_of"
    case inviteDepth = "invite_depth"
    case descendants
    case redeemers
    case redeemerDevices = "redeemer_devices"
    case redeemerNetworks = "redeemer_networks"
    case sameDeviceAsInviter = "same_device_as_inviter"
    case sameNetworkAsInviter = "same_network_as_inviter"
    case siblingsOnDevice = "siblings_on_device"
    case siblingsOnNetwork = "siblings_on_network"
    case issueDelay = "issue_delay"
    case codeMaxUses = "code_max_uses"
    case qualifiedInvitees = "qualified_invitees"
    case flaggedInvitees = "flagged_invitees"
    case rewardTier = "reward_tier"

    /// One line of documentation: how it is called, what it gives, an example.
    public struct Doc: Sendable {
        public var signature: String
        public var summary: String
        public var example: String
    }

    public var doc: Doc {
        switch self {
        case .count:
            Doc(
                signature: "count(by: K, within: D | per: P [, where: E])",
                summary:
                    "events with the same key `K` that reached this rule: in the trailing window `within: D` (this one included), or in the current calendar `minute`, `hour`, `day` or `week` of the rule set's time zone with `per: P` (weeks start Monday)",
                example: "count(by: account, within: 1d) > 1000")
        case .distinct:
            Doc(
                signature: "distinct(F, by: K, within: D | per: P [, where: E])",
                summary: "distinct values of field `F`; each element of a list field counts",
                example: "distinct(to, by: [account, fingerprint(text)], within: 1d) > 50")
        case .sum:
            Doc(
                signature: "sum(F, by: K, within: D | per: P [, where: E])", summary: "sum of a numeric field (absent counts 0)",
                example: "sum(attrs.amount, by: account, per: day) > 500")
        case .near:
            Doc(
                signature: "near(X, A, B, within: N [, ordered: true])",
                summary:
                    "an entry of `A` and an entry of `B` with at most `N` characters between them (0 when they touch or overlap), measured in the original text; with `ordered: true` the entry of `A` must end before the entry of `B` starts",
                example: "near(text, share_verbs, conditions, within: 12, ordered: true)")
        case .hits:
            Doc(signature: "hits(X, L)", summary: "number of distinct entries of `L` in `X`", example: "hits(text, reward_words) >= 2")
        case .len:
            Doc(signature: "len(X)", summary: "Unicode scalars of a string, elements of a list", example: "len(to) > 50")
        case .fingerprint:
            Doc(
                signature: "fingerprint(X)", summary: "16 hex digits of FNV-1a over the folded text: the same content hashes the same",
                example: "fingerprint(text)")
        case .normalize:
            Doc(
                signature: "normalize(X)", summary: "the folded text, for `matches` on folded text",
                example: "normalize(text) matches /加微信/")
        case .fired:
            Doc(
                signature: "fired(RULE)", summary: "another rule fired on this event; rules run in dependency order, cycles are errors",
                example: "fired(diversion) and …")
        case .atLeast:
            Doc(signature: "at_least(N, E1, E2, …)", summary: "at least `N` conditions hold", example: "at_least(2, a, b, c)")
        case .matchesFormat:
            Doc(
                signature: "matches_format(X, \"CHANNEL\")",
                summary:
                    "code of letters and digits with the channel's length: `official_account` 8–12, `wework` 10–15, `third_party` 6–18, `api` 6–18",
                example: "not matches_format(code, \"wework\")")
        case .subnet:
            Doc(
                signature: "subnet(ADDRESS, BITS)",
                summary: "the network of an IPv4 or IPv6 address, written `198.18.5.0/24`; `null` for a bad address",
                example: "distinct(account, by: subnet(ip, 24), within: 1h) > 10")
        case .classify:
            Doc(
                signature: "classify(MODEL, TEXT)",
                summary:
                    "the model's calibrated probability in [0, 1] that the text is of its positive class; `null` when the text is absent. Evidence: the score and the phrases that pushed it up",
                example: "classify(spam, text) >= 0.9")
        case .hasModel:
            Doc(
                signature: "has_model(MODEL)",
                summary:
                    "whether the model's file was loaded: false for a model declared `optional: true` whose file is absent (then `classify` of it is `null`), so rules can defer to a model only where one is installed",
                example: "has_model(spam) and classify(spam, text) < 0.3")
        case .active:
            Doc(
                signature: "active(ACTION, TARGET)",
                summary: "a penalty of that kind (`disable_generation`, `restrict_send`, `revoke_code`) is in force on that target",
                example: "active(revoke_code, code)")
        case .hasLabel:
            Doc(
                signature: "has_label(TARGET, \"LABEL\")",
                summary:
                    "the target carries that label now (set through the API, the console or a rule's `label(…)` penalty, until it expires); the target is an account unless it is the field `code` or `device`",
                example: "not has_label(account, \"trusted\")")
        case .inviterOf:
            Doc(
                signature: "inviter_of(ACCOUNT)", summary: "the account that invited it; `null` for a root or an account never seen",
                example: "inviter_of(account) == \"u9\"")
        case .inviteDepth:
            Doc(
                signature: "invite_depth(ACCOUNT)", summary: "edges above it to its tree's root (0 for a root; followed up to 64)",
                example: "invite_depth(account) >= 3")
        case .descendants:
            Doc(
                signature: "descendants(ACCOUNT [, within: D])",
                summary:
                    "accounts below it, up to 8 levels down, that joined in the last `D` of event time (to the second); all of them without `within:`",
                example: "descendants(inviter_of(account), within: 1h) >= 5")
        case .redeemers:
            Doc(
                signature: "redeemers(ACCOUNT, within: D)",
                summary: "accounts that redeemed its codes in the last `D` (its direct invitees)",
                example: "redeemers(inviter_of(account), within: 3d) >= 20")
        case .redeemerDevices:
            Doc(
                signature: "redeemer_devices(ACCOUNT, within: D)",
                summary:
                    "distinct devices among those redeemers (absent devices not counted; the latest 1,000 redeemers of the window are read)",
                example: "redeemer_devices(inviter_of(account), within: 3d) <= 2")
        case .redeemerNetworks:
            Doc(
                signature: "redeemer_networks(ACCOUNT, within: D)", summary: "distinct networks among them (the latest 1,000 read)",
                example: "redeemer_networks(inviter_of(account), within: 3d) <= 2")
        case .sameDeviceAsInviter:
            Doc(
                signature: "same_device_as_inviter(ACCOUNT)", summary: "it redeemed on the device its inviter issued the code from",
                example: "same_device_as_inviter(account)")
        case .sameNetworkAsInviter:
            Doc(
                signature: "same_network_as_inviter(ACCOUNT)", summary: "it redeemed from the network its inviter issued the code from",
                example: "not same_network_as_inviter(account)")
        case .siblingsOnDevice:
            Doc(
                signature: "siblings_on_device(ACCOUNT)", summary: "its inviter's other invitees that redeemed on its device",
                example: "siblings_on_device(account) >= 2")
        case .siblingsOnNetwork:
            Doc(
                signature: "siblings_on_network(ACCOUNT)", summary: "the same for its network", example: "siblings_on_network(account) >= 5"
            )
        case .issueDelay:
            Doc(
                signature: "issue_delay(ACCOUNT)",
                summary: "a duration: from its redemption to its first `issue` of a code of its own; `null` before it issues one",
                example: "issue_delay(inviter_of(account)) < 30m")
        case .codeMaxUses:
            Doc(
                signature: "code_max_uses(CODE)",
                summary: "`attrs.max_uses` of the code's `issue` event; `null` when it gave none: **codes are multi-use by default**",
                example: "distinct(account, by: code, within: 30d) > code_max_uses(code)")
        case .qualifiedInvitees:
            Doc(
                signature: "qualified_invitees(ACCOUNT)",
                summary:
                    "its direct invitees that count toward a reward: redemption allowed, no penalty in force, no label of `reward_excludes`, and (with `reward_requires_return D`) active again at least `D` after redeeming",
                example: "qualified_invitees(account) >= 3")
        case .flaggedInvitees:
            Doc(
                signature: "flagged_invitees(ACCOUNT)",
                summary:
                    "its direct invitees that cannot count: redemption not allowed, a penalty in force, or a label of `reward_excludes`",
                example: "flagged_invitees(inviter_of(account)) > qualified_invitees(inviter_of(account))")
        case .rewardTier:
            Doc(
                signature: "reward_tier(ACCOUNT)",
                summary:
                    "the reward tier its qualified invitees reach: 0 below the first of `reward_tiers`, 1 at the first, 2 at the second…",
                example: "reward_tier(inviter_of(account)) >= 2")
        }
    }

    /// A built-in that reads the invite graph: what it returns, what its one argument is, and
    /// whether it takes `within:`.
    public struct InviteSignature: Sendable {
        public enum Window: Sendable { case none, optional, required }
        public var type: ValueType
        public var argument: String
        public var window: Window
    }

    /// The invite graph's built-ins have one argument (an account or a code) and maybe a window.
    public var invite: InviteSignature? {
        switch self {
        case .count, .distinct, .sum, .near, .hits, .len, .fingerprint, .normalize, .fired, .atLeast, .matchesFormat, .subnet,
            .classify, .hasModel, .active, .hasLabel:
            nil
        case .inviterOf: InviteSignature(type: .string, argument: "ACCOUNT", window: .none)
        case .inviteDepth: InviteSignature(type: .number, argument: "ACCOUNT", window: .none)
        case .descendants: InviteSignature(type: .number, argument: "ACCOUNT", window: .optional)
        case .redeemers: InviteSignature(type: .number, argument: "ACCOUNT", window: .required)
        case .redeemerDevices: InviteSignature(type: .number, argument: "ACCOUNT", window: .required)
        case .redeemerNetworks: InviteSignature(type: .number, argument: "ACCOUNT", window: .required)
        case .sameDeviceAsInviter: InviteSignature(type: .bool, argument: "ACCOUNT", window: .none)
        case .sameNetworkAsInviter: InviteSignature(type: .bool, argument: "ACCOUNT", window: .none)
        case .siblingsOnDevice: InviteSignature(type: .number, argument: "ACCOUNT", window: .none)
        case .siblingsOnNetwork: InviteSignature(type: .number, argument: "ACCOUNT", window: .none)
        case .issueDelay: InviteSignature(type: .duration, argument: "ACCOUNT", window: .none)
        case .codeMaxUses: InviteSignature(type: .number, argument: "CODE", window: .none)
        case .qualifiedInvitees, .flaggedInvitees, .rewardTier: InviteSignature(type: .number, argument: "ACCOUNT", window: .none)
        }
    }
}
