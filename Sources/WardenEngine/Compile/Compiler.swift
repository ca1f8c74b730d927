import Foundation
import WardenLanguage
import WardenMatching
import WardenModels

/// Turns checked syntax into a `CompiledRuleSet`: loads list files, compiles patterns, resolves
/// every name, and orders rules so that `fired(R)` is known before it is read.
///
/// It runs the checker first and stops at its errors; problems only it can see (a list file that
/// is missing, a regex PCRE2 refuses) are reported at the same kind of place.
public final class Compiler {
    let syntax: RuleSetSyntax
    let root: String
    var diagnostics: [Diagnostic] = []
    var keywordLists: [KeywordList] = []
    var listNames: [String?] = []
    var wordListIndex: [String: Int] = [:]
    var wordSets: [String: Set<String>] = [:]
    var cidrLists: [String: [AddressRange]] = [:]
    var patterns: [String: CompiledRegex] = [:]
    /// Inline `/…/` regexes by source position: an expression is compiled twice (to evaluate
    /// and to explain), and a bad regex must be reported once.
    var inlineRegexes: [String: CompiledRegex?] = [:]
    var literalLists: [String: Int] = [:]
    var lets: [String: (eval: Eval, rules: Set<Int>)] = [:]
    var letsInProgress: Set<String> = []
    var ruleIndex: [String: Int] = [:]
    /// Rules named through `fired()` by the expression being compiled.
    var dependencies: Set<Int> = []
    var digest = SHA256()
    /// Event types of the rule being compiled: part of a counter's identity.
    var currentOn: Set<Event.Kind> = []
    /// The rule being compiled, and per counter the rules that read it (`warden state`).
    var currentRule = ""
    var counterRules: [Int: [String]] = [:]
    var counters: [CounterSpec] = []
    var counterIndex: [String: Int] = [:]
    /// Per text field: the patterns matched against it, for one prefilter scan per field.
    var fieldPatterns: [Int: [(pattern: String, flags: String)]] = [:]
    /// Fields whose text the keyword matcher scans (to scan them ahead, in parallel, in audits).
    var scannedFields: Set<Field> = []
    /// Models by declaration order, and their index by name.
    var models: [(name: String, model: TextModel)] = []
    var modelIndex: [String: Int] = [:]
    /// (model, field) slots read by `classify(MODEL, FIELD)`.
    var classifiedSlots: Set<Int> = []

    /// Every file read, by its path relative to the rule set's root: what the rule-set history
    /// keeps so a rollback can serve the same rule set again.
    var sources: [String: [UInt8]] = [:]
    /// Lists declared `live: true`.
    var liveLists: [LiveListSpec] = []
    /// Whether a rule reads the invite graph (a built-in of `Vocabulary.inviteBuiltins`).
    var readsInviteGraph = false
    /// The accounts other than the event's own whose penalties a rule reads (`active(…,
    /// inviter)`), by the target as written.
    var penaltiesReadOn: Set<String> = []

    /// `path` relative to the rule set's root (its file name when it is not under the root).
    func relative(_ path: String) -> String {
        let full = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : (path as NSString).lastPathComponent
    }

    /// False: every `optional: true` model is taken as absent (`test … without models`).
    let loadsOptionalModels: Bool

    init(syntax: RuleSetSyntax, root: String, loadsOptionalModels: Bool = true) {
        self.syntax = syntax
        self.root = root
        self.loadsOptionalModels = loadsOptionalModels
    }

    /// Loads, checks and compiles the rule set at `path`; with `optionalModels` false, every model
    /// declared `optional: true` is taken as absent whether its file is there or not.
    public static func compile(path: String, optionalModels: Bool = true) -> (ruleSet: CompiledRuleSet?, diagnostics: [Diagnostic]) {
        compile(RuleSetLoader.load(path: path), optionalModels: optionalModels)
    }

    /// Compiles rules held in memory (tests, embedding); `file(…)` paths resolve against `root`.
    public static func compile(source: String, path: String = "inline.rules", root: String = ".") -> (
        ruleSet: CompiledRuleSet?, diagnostics: [Diagnostic]
    ) {
        var syntax = RuleSetSyntax()
        let diagnostics = Parser.parse(SourceFile(path: path, text: source), into: &syntax)
        return compile(RuleSetLoader.Loaded(syntax: syntax, diagnostics: diagnostics, root: root))
    }

    package static func compile(_ loaded: RuleSetLoader.Loaded, optionalModels: Bool = true) -> (
        ruleSet: CompiledRuleSet?, diagnostics: [Diagnostic]
    ) {
        var diagnostics = loaded.diagnostics
        // The checker runs on whatever parsed, so one run reports parse and name/type errors together.
        if !loaded.syntax.files.isEmpty {
            var checked = Checker.check(loaded.syntax)
            // A declaration that did not parse is missing from the syntax: what only it used would
            // be called unused, and a decide block lost to a typo would be called absent.
            if loaded.diagnostics.contains(where: { $0.id == "syntax" && $0.severity == .error }) {
                checked.removeAll { $0.severity == .warning && ($0.id == "unused" || $0.id == "no-decide") }
            }
            diagnostics += checked
        }
        let compiler = Compiler(syntax: loaded.syntax, root: loaded.root, loadsOptionalModels: optionalModels)
        var ruleSet: CompiledRuleSet?
        if diagnostics.hasErrors {
            // Still load lists and compile patterns: their errors are independent of the rules'.
            compiler.compileLists()
            compiler.compilePatterns()
            compiler.compileModels()
        } else {
            ruleSet = compiler.run()
        }
        diagnostics += compiler.diagnostics
        return (diagnostics.hasErrors ? nil : ruleSet, sorted(diagnostics, files: loaded.syntax.files))
    }

    /// Diagnostics in reading order: by file, then position; those without a place first.
    static func sorted(_ diagnostics: [Diagnostic], files: [SourceFile]) -> [Diagnostic] {
        func key(_ d: Diagnostic) -> (Int, Int) {
            guard let range = d.range else { return (-1, 0) }
            return (files.firstIndex { $0 === range.file } ?? files.count, range.bytes.lowerBound)
        }
        return diagnostics.enumerated().sorted { a, b in
            let (ka, kb) = (key(a.element), key(b.element))
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    func run() -> CompiledRuleSet? {
        for file in syntax.files {
            digest.update((file.path as NSString).lastPathComponent)
            digest.update([0])
            digest.update(file.bytes)
            digest.update([0])
            sources[relative(file.path)] = Array(file.bytes)
        }
        compileLists()
        compilePatterns()
        compileModels()
        for (i, rule) in syntax.rules.enumerated() { ruleIndex[rule.name.value] = i }
        var rules: [CompiledRuleSet.Rule] = []
        var ruleDependencies: [Set<Int>] = []
        for rule in syntax.rules {
            dependencies = []
            rules.append(compileRule(rule))
            ruleDependencies.append(dependencies.subtracting([Self.readsCounters]))
        }
        let decide = (syntax.decide?.lines ?? []).map { line in
            (
                verdict: Verdict(rawValue: line.verdict.value) ?? .allow, condition: expression(line.condition),
                text: "\(line.verdict.value) when \(Checker.canonical(line.condition.range.text))"
            )
        }
        if diagnostics.hasErrors { return nil }
        let order = Self.topologicalOrder(ruleDependencies)
        let header = syntax.header
        var info = CompiledRuleSet.Info(
            name: header?.name.value ?? "unnamed", version: header?.version?.value,
            timezone: header?.timezone?.value ?? "UTC", digest: "sha256:" + digest.hexDigest(),
            onStateError: header?.onStateError.flatMap { StateErrorPolicy(rawValue: $0.value) } ?? .open,
            inviteRetention: header?.inviteRetention.map { Double($0.value) },
            maxFuture: header?.maxFuture.map { Double($0.value) } ?? CompiledRuleSet.defaultMaxFuture)
        let reward = rewardInfo
        (info.rewardTiers, info.rewardExcludes, info.rewardReturn) = (reward.rewardTiers, reward.rewardExcludes, reward.rewardReturn)
        // Rules keep their declaration index: fired(R) reads the context's flags by it.
        let ordered = order.map { rules[$0] }
        var ruleSet = CompiledRuleSet(
            info: info, rules: ordered, decide: decide, matcher: KeywordMatcher(lists: keywordLists), listNames: listNames,
            counters: counters, tests: compileTests(),
            regexPrefilters: (0..<TextSlot.count).map { slot in fieldPatterns[slot].map { RegexPrefilter(patterns: $0) } },
            scannedFields: scannedFields.sorted { $0.rawValue < $1.rawValue }, models: models, classifiedSlots: classifiedSlots.sorted())
        ruleSet.counterRules = counters.indices.map { counterRules[$0] ?? [] }
        ruleSet.sources = sources
        ruleSet.liveLists = liveLists
        ruleSet.waitingForModels = rulesWaitingForModels()
        ruleSet.statelessRules = statelessRules()
        ruleSet.readsInviteGraph = readsInviteGraph || info.rewardReturn != nil
        ruleSet.penaltiesReadOn = penaltiesReadOn
        return ruleSet
    }

    /// The rules whose condition cannot hold without an optional model that is not loaded: one
    /// of its `and` parts (through lets) asks `has_model` or compares a `classify` of it, and
    /// every branch of an `or` does. A rule that only consults a model in one branch can still fire.
    func rulesWaitingForModels() -> Set<String> {
        let absent = Set(syntax.models.filter { $0.optional && modelIndex[$0.name.value] == nil }.map(\.name.value))
        guard !absent.isEmpty else { return [] }
        let lets = Dictionary(syntax.lets.map { ($0.name.value, $0.value) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        func requires(_ e: Expr) -> Bool {
            switch e.kind {
            case .call(let name, _, let arguments):
                return (name == "has_model" || name == "classify") && arguments.first?.value.nameValue.map(absent.contains) == true
            case .name(let n):
                guard let value = lets[n], seen.insert(n).inserted else { return false }
                defer { seen.remove(n) }
                return requires(value)
            case .binary(.and, let a, let b): return requires(a) || requires(b)
            case .binary(.or, let a, let b): return requires(a) && requires(b)
            case .binary(let op, let a, let b) where op.isComparison: return requires(a) || requires(b)
            default: return false
            }
        }
        return Set(syntax.rules.filter { $0.when.map(requires) ?? false }.map(\.name.value))
    }

    /// A pseudo rule index in `dependencies`: the expression reads a counter. It travels with
    /// the real dependencies through lets, and is taken out before ordering.
    static let readsCounters = -1

    /// Kahn's algorithm, stable: among rules whose dependencies are met, file order wins.
    static func topologicalOrder(_ dependencies: [Set<Int>]) -> [Int] {
        var order: [Int] = []
        var done = Set<Int>()
        while order.count < dependencies.count {
            guard let next = dependencies.indices.first(where: { !done.contains($0) && dependencies[$0].isSubset(of: done) }) else {
                break  // a cycle; the checker has reported it
            }
            order.append(next)
            done.insert(next)
        }
        return order
    }

    func error(_ id: DiagnosticID, _ message: String, _ range: SourceRange?, hint: String? = nil) {
        diagnostics.append(.error(id, message, at: range, hint: hint))
    }

    func warning(_ id: DiagnosticID, _ message: String, _ range: SourceRange?, hint: String? = nil) {
        diagnostics.append(.warning(id, message, at: range, hint: hint))
    }
}
