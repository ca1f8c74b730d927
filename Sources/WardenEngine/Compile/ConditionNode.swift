/// A rule's condition as a tree of `and`, `or` and `not` over leaves, each leaf compiled once.
///
/// Three walks share the leaves' closures:
/// - `eval` runs the parts in source order and gathers evidence as the language defines it;
/// - `test` runs the parts of each `and`/`or` cheapest first (`cost`), for the answer alone:
///   a rule that does not fire, which is most rules for most events, is then decided by a
///   field comparison or a counter before any regex or model runs;
/// - explain traces evaluate every node and report what each saw.
///
/// `and` and `or` have no side effects on the value of their parts, so both walks give the
/// same answer; the engine runs `eval` after a `test` that holds, for the evidence.
struct ConditionNode: Sendable {
    enum Kind: Sendable { case and, or, not, leaf }
    var kind: Kind
    /// The part's source text, canonical.
    var text: String
    var eval: Eval
    var test: Eval
    /// Estimated work for one event (see `Compiler.cost`): a field read is 1.
    var cost: Int
    var children: [ConditionNode]
    /// Whether `test` runs parts in another order than `eval` somewhere below.
    var reordered: Bool
    /// A leaf's operands that are not literals (`amount` in `amount == "0"`), which explain
    /// shows with their values and types: a missing field and the string "0" differ there.
    var operands: [(text: String, eval: Eval)] = []

    static func leaf(text: String, eval: @escaping Eval, cost: Int, operands: [(text: String, eval: Eval)] = []) -> ConditionNode {
        ConditionNode(kind: .leaf, text: text, eval: eval, test: eval, cost: cost, children: [], reordered: false, operands: operands)
    }

    static func not(text: String, _ child: ConditionNode) -> ConditionNode {
        let (e, t) = (child.eval, child.test)
        return ConditionNode(
            kind: .not, text: text, eval: { ctx in .bool(!e(ctx).isTrue) }, test: { ctx in .bool(!t(ctx).isTrue) },
            cost: child.cost, children: [child], reordered: child.reordered)
    }

    /// `a and b and …` (or `or`) over flattened children.
    static func junction(_ kind: Kind, text: String, _ children: [ConditionNode]) -> ConditionNode {
        let byCost = children.indices.sorted { (children[$0].cost, $0) < (children[$1].cost, $1) }
        let reordered = byCost != Array(children.indices) || children.contains(where: \.reordered)
        let isAnd = kind == .and
        return ConditionNode(
            kind: kind, text: text,
            eval: junction(isAnd, children) { $0.eval },
            test: junction(isAnd, byCost.map { children[$0] }) { $0.test },
            cost: children.reduce(0) { $0 + $1.cost }, children: children, reordered: reordered)
    }

    /// Short-circuit evaluation of the parts in order: the first false of an `and`, the first
    /// true of an `or`, decides. Built as nested pairs, `a and (b and c)`, from closures read
    /// out of the nodes: an array of closures would store each one in its most general form,
    /// and every call would pass through two conversion thunks (callgrind: 3% of an event).
    private static func junction(_ isAnd: Bool, _ nodes: [ConditionNode], _ part: (ConditionNode) -> Eval) -> Eval {
        var f = part(nodes[nodes.count - 1])
        for node in nodes.dropLast().reversed() {
            let a = part(node)
            let b = f
            if isAnd {
                f = { ctx in Value.bool(a(ctx).isTrue && b(ctx).isTrue) }
            } else {
                f = { ctx in Value.bool(a(ctx).isTrue || b(ctx).isTrue) }
            }
        }
        return f
    }
}
