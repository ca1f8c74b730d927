import WardenMatching

/// One text's keyword hits (every list), as the compiled `contains`, `near` and `hits` read them.
struct TextScan {
    let hits: [[KeywordHit]]
    /// The field scanned, when the text is one.
    let field: Field?
    /// The text's scalars, given when the text is computed; a field's are made only when
    /// evidence needs an excerpt (most events hit nothing, and the array is not free).
    let scalars: [Unicode.Scalar]?

    func text(_ ctx: EvaluationContext) -> [Unicode.Scalar] {
        scalars ?? field.map(ctx.scalars(of:)) ?? []
    }
}
