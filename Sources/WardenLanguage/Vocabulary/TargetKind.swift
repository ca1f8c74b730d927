/// What a penalty lands on. `inviter` in a rule is an account, so it is not a kind of its own.
public enum TargetKind: String, Sendable, CaseIterable {
    case account, code, message
}
