/// One line of documentation for each built-in function (from docs/language.md), for hover and
/// completion in `warden lsp`.
public enum BuiltinDocs {
    public struct Doc: Sendable {
        public var signature: String
        public var summary: String
        public var example: String
    }

    public static let all: [String: Doc] = [
        "near": Doc(signature: "near(X, A, B, within: N [, ordered: true])", summary: "an entry of `A` and an entry of `B` with at most `N` characters between them (0 when they touch or overlap), measured in the original text; with `ordered: true` the entry of `A` must end before the entry of `B` starts", example: "near(text, share_verbs, conditions, within: 12, ordered: true)"),
        "hits": Doc(signature: "hits(X, L)", summary: "number of distinct entries of `L` in `X`", example: "hits(text, reward_words) >= 2"),
        "len": Doc(signature: "len(X)", summary: "Unicode scalars of a string, elements of a list", example: "len(to) > 50"),
        "fingerprint": Doc(signature: "fingerprint(X)", summary: "16 hex digits of FNV-1a over the folded text: the same content hashes the same", example: "fingerprint(text)"),
        "normalize": Doc(signature: "normalize(X)", summary: "the folded text, for `matches` on folded text", example: "normalize(text) matches /加微信/"),
        "fired": Doc(signature: "fired(RULE)", summary: "another rule fired on this event; rules run in dependency order, cycles are errors", example: "fired(diversion) and …"),
        "at_least": Doc(signature: "at_least(N, E1, E2, …)", summary: "at least `N` conditions hold", example: "at_least(2, a, b, c)"),
        "matches_format": Doc(signature: "matches_format(X, \"CHANNEL\")", summary: "code of letters and digits with the channel's length: `official_account` 8–12, `wework` 10–15, `third_party` 6–18, `api` 6–18", example: "not matches_format(code, \"wework\")"),
        "subnet": Doc(signature: "subnet(ADDRESS, BITS)", summary: "the network of an IPv4 or IPv6 address, written `198.18.5.0/24`; `null` for a bad address", example: "distinct(account, by: subnet(ip, 24), within: 1h) > 10"),
        "count": Doc(signature: "count(by: K, within: D [, where: E]) · count(by: K, per: P [, where: E])", summary: "events that reached this rule with the same key in the trailing window, this one included the same in the current calendar `minute`, `hour`, `day` or `week` (weeks start Monday) of the rule set's time zone", example: "count(by: account, within: 1d) > 1000"),
        "distinct": Doc(signature: "distinct(F, by: K, within: D | per: P [, where: E])", summary: "distinct values of field `F`; each element of a list field counts", example: "distinct(to, by: [account, fingerprint(text)], within: 1d) > 50"),
        "sum": Doc(signature: "sum(F, by: K, within: D | per: P [, where: E])", summary: "sum of a numeric field (absent counts 0)", example: "sum(attrs.amount, by: account, per: day) > 500"),
        "classify": Doc(signature: "classify(MODEL, TEXT)", summary: "the model's calibrated probability in [0, 1] that the text is of its positive class; `null` when the text is absent. Evidence: the score and the phrases that pushed it up", example: "classify(spam, text) >= 0.9"),
        "active": Doc(signature: "active(ACTION, TARGET)", summary: "a penalty of that kind (`disable_generation`, `restrict_send`, `revoke_code`) is in force on that target", example: "active(revoke_code, code)"),
        "inviter_of": Doc(signature: "inviter_of(ACCOUNT)", summary: "the account that invited it; `null` for a root or an account never seen", example: "inviter_of(account) == \"u9\""),
        "invite_depth": Doc(signature: "invite_depth(ACCOUNT)", summary: "edges above it to its tree's root (0 for a root; followed up to 64)", example: "invite_depth(account) >= 3"),
        "descendants": Doc(signature: "descendants(ACCOUNT [, within: D])", summary: "accounts below it, up to 8 levels down, that joined in the last `D` of event time (to the second); all of them without `within:`", example: "descendants(inviter_of(account), within: 1h) >= 5"),
        "redeemers": Doc(signature: "redeemers(ACCOUNT, within: D)", summary: "accounts that redeemed its codes in the last `D` (its direct invitees)", example: "redeemers(inviter_of(account), within: 3d) >= 20"),
        "redeemer_devices": Doc(signature: "redeemer_devices(ACCOUNT, within: D)", summary: "distinct devices among those redeemers (absent devices not counted)", example: "redeemer_devices(inviter_of(account), within: 3d) <= 2"),
        "redeemer_networks": Doc(signature: "redeemer_networks(ACCOUNT, within: D)", summary: "distinct networks among them", example: "redeemer_networks(inviter_of(account), within: 3d) <= 2"),
        "same_device_as_inviter": Doc(signature: "same_device_as_inviter(ACCOUNT)", summary: "it redeemed on the device its inviter issued the code from", example: "same_device_as_inviter(account)"),
        "same_network_as_inviter": Doc(signature: "same_network_as_inviter(ACCOUNT)", summary: "it redeemed from the network its inviter issued the code from", example: "not same_network_as_inviter(account)"),
        "siblings_on_device": Doc(signature: "siblings_on_device(ACCOUNT)", summary: "its inviter's other invitees that redeemed on its device", example: "siblings_on_device(account) >= 2"),
        "siblings_on_network": Doc(signature: "siblings_on_network(ACCOUNT)", summary: "the same for its network", example: "siblings_on_network(account) >= 5"),
        "issue_delay": Doc(signature: "issue_delay(ACCOUNT)", summary: "a duration: from its redemption to its first `issue` of a code of its own; `null` before it issues one", example: "issue_delay(inviter_of(account)) < 30m"),
        "code_max_uses": Doc(signature: "code_max_uses(CODE)", summary: "`attrs.max_uses` of the code's `issue` event; `null` when it gave none: **codes are multi-use by default**", example: "distinct(account, by: code, within: 30d) > code_max_uses(code)"),
    ]
}
