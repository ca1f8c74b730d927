extension Checker {
    /// Lets read each other, and the checker, the compiler and every evaluation walk a let
    /// through the lets it reads: a chain of 5,000 lets is a walk 5,000 calls deep, past any
    /// thread's stack. A let deeper than `Parser.maxDepth` levels in all (its own expression's
    /// height plus the deepest let it reads) is refused here, before anything walks it; only the
    /// first of a chain is reported, and every let over the limit is typed `any` so that the
    /// checker does not walk it either.
    mutating func boundLetDepths() {
        var decls: [String: LetDecl] = [:]
        for decl in syntax.lets where decls[decl.name.value] == nil { decls[decl.name.value] = decl }
        var depth: [String: Int] = [:]
        var visiting: Set<String> = []
        for root in syntax.lets {
            // Post-order on an explicit stack: a let's depth once the lets it reads have theirs.
            var stack: [(name: String, expanded: Bool)] = [(root.name.value, false)]
            while let (name, expanded) = stack.popLast() {
                guard depth[name] == nil, let decl = decls[name] else { continue }
                let reads = Self.names(in: decl.value).filter { decls[$0] != nil }
                if !expanded {
                    // A cycle is the checker's to report ('defined in terms of itself'): not followed.
                    guard !visiting.contains(name) else { continue }
                    visiting.insert(name)
                    stack.append((name, true))
                    for r in reads where depth[r] == nil && !visiting.contains(r) { stack.append((r, false)) }
                    continue
                }
                visiting.remove(name)
                let deepestRead = reads.compactMap { depth[$0] }.max() ?? 0
                depth[name] = decl.value.height + deepestRead
                guard depth[name]! > Parser.maxDepth else { continue }
                letTypes[name] = .any
                used.formUnion(reads)  // read, though not walked: no 'never used' for them
                if deepestRead <= Parser.maxDepth {
                    error(
                        .limit, "'\(name)' is more than \(Parser.maxDepth) levels deep through the lets it reads", decl.name.range,
                        hint: "a chain of lets is walked as one expression; shorten the chain")
                }
            }
        }
    }

    /// The bare names an expression reads (walked on a stack: no recursion).
    static func names(in e: Expr) -> Set<String> {
        var found: Set<String> = []
        var stack = [e]
        while let e = stack.popLast() {
            switch e.kind {
            case .string, .integer, .decimal, .bool, .duration, .attribute, .regex: break
            case .name(let n): found.insert(n)
            case .list(let items): stack += items
            case .object(let fields): stack += fields.map(\.value)
            case .unary(_, let x): stack.append(x)
            case .binary(_, let a, let b), .contains(let a, _, let b), .matches(let a, let b), .inList(let a, let b): stack += [a, b]
            case .call(_, _, let arguments): stack += arguments.map(\.value)
            }
        }
        return found
    }
}
