/// The verdict scale; an action or an enforced penalty can only raise it.
public enum Verdict: String, Sendable, Comparable, CaseIterable {
    case allow, challenge, review, block

    @inline(__always)
    var rank: Int {
        switch self {
        case .allow: 0
        case .challenge: 1
        case .review: 2
        case .block: 3
        }
    }

    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
}
