import Foundation
import WardenLanguage
import WardenMatching
import WardenModels

extension Compiler {
    /// Entries in one list file (the largest shipped lexicon has 64k; a million leaves room
    /// for real lists and stops a runaway file from eating the automaton's memory).
    public static let maxListEntries = 1_000_000
    /// Characters in one list entry: keywords are words and phrases, not paragraphs.
    public static let maxListEntryLength = 256

    func compileLists() {
        var pendingExcept: [(list: Int, other: String, label: String)] = []
        for decl in syntax.lists {
            let name = decl.name.value
            switch decl.source {
            case .words(let items):
                let entries = items.compactMap { if case .string(let s) = $0.kind { s } else { nil } }
                addWordList(decl, entries: entries, pendingExcept: &pendingExcept)
            case .file(let path):
                guard let lines = readListFile(path) else { continue }
                addWordList(decl, entries: lines.map(\.text), pendingExcept: &pendingExcept)
            case .cidr(let items):
                var ranges: [AddressRange] = []
                for item in items {
                    guard case .string(let text) = item.kind else { continue }
                    if let r = AddressRange(text) {
                        ranges.append(r)
                    } else {
                        error(.badCidr, "'\(text)' is not an address range (such as \"203.0.113.0/24\" or \"2001:db8::/32\")", item.range)
                    }
                }
                cidrLists[name] = ranges
            case .cidrFile(let path):
                guard let lines = readListFile(path) else { continue }
                var ranges: [AddressRange] = []
                for line in lines {
                    if let r = AddressRange(line.text) {
                        ranges.append(r)
                    } else {
                        error(.badCidr, "\(path.value):\(line.number): '\(line.text)' is not an address range", path.range)
                    }
                }
                cidrLists[name] = ranges
            }
        }
        for (list, other, label) in pendingExcept {
            if label == "except" {
                keywordLists[list].except = wordListIndex[other]
            } else {
                keywordLists[list].warnedBy = wordListIndex[other]
            }
        }
    }

    private func addWordList(_ decl: ListDecl, entries: [String], pendingExcept: inout [(list: Int, other: String, label: String)]) {
        var folds = FoldOptions.all
        for option in decl.options {
            if option.label == "fold", case .list(let items) = option.value.kind {
                folds = []
                for case .string(let name) in items.map(\.kind) { folds.insert(FoldOptions.byName[name] ?? []) }
            }
            if let label = option.label, label == "except" || label == "warned_by", let other = option.value.nameValue {
                pendingExcept.append((keywordLists.count, other, label))
            }
        }
        if folds.contains(.pinyin), let fold = decl.options.first(where: { $0.label == "fold" }) {
            // Pinyin spells keywords of two or more characters; a one-character keyword gets
            // nothing from it (its one syllable would match English everywhere).
            let single = entries.filter { $0.unicodeScalars.count == 1 && $0.unicodeScalars.first!.properties.isIdeographic }
            if !single.isEmpty, single.count == entries.count {
                warning(
                    .pinyinFold,
                    "the pinyin fold does nothing for one-character keywords, and every entry of '\(decl.name.value)' is one",
                    fold.value.range,
                    hint: "pinyin, homophones and initials start at two characters (romanized) or three (homophones); drop \"pinyin\" here")
            } else if !single.isEmpty {
                warning(
                    .pinyinFold,
                    "the pinyin fold does nothing for the one-character keywords of '\(decl.name.value)': \(single.prefix(5).joined(separator: ", "))\(single.count > 5 ? " …" : "")",
                    fold.value.range,
                    hint: "pinyin starts at two characters; give those a list without it, or write the words they appear in")
            }
        }
        if decl.options.contains(where: { if case .bool(true) = $0.value.kind { $0.label == "live" } else { false } }) {
            liveLists.append(LiveListSpec(name: decl.name.value, index: keywordLists.count, folds: folds, staticCount: entries.count))
        }
        wordListIndex[decl.name.value] = keywordLists.count
        wordSets[decl.name.value] = Set(entries)
        keywordLists.append(KeywordList(name: decl.name.value, entries: entries, folds: folds))
        listNames.append(decl.name.value)
    }

    /// The hidden one-entry list behind `contains "literal"`, shared by equal literals.
    func literalList(_ literal: String) -> Int {
        if let index = literalLists[literal] { return index }
        let index = keywordLists.count
        keywordLists.append(KeywordList(name: "\"\(literal)\"", entries: [literal]))
        listNames.append(nil)
        literalLists[literal] = index
        return index
    }

    /// `list-file` or `model-file`.
    static func fileDiagnostic(_ kind: String) -> DiagnosticID { kind == "model" ? .modelFile : .listFile }

    /// A `file(…)` path of the rule set, resolved: relative to the declaring file and never
    /// outside the rule set's directory. Reports and returns nil otherwise.
    func resolve(_ path: Located<String>, kind: String) -> String? {
        let declaringDirectory = (path.range.file.path as NSString).deletingLastPathComponent
        if path.value.hasPrefix("/") {
            error(Self.fileDiagnostic(kind), "\(kind) file paths are relative to the rules file; '\(path.value)' is absolute", path.range)
            return nil
        }
        let joined = ((declaringDirectory.isEmpty ? "." : declaringDirectory) as NSString).appendingPathComponent(path.value)
        let resolved = URL(fileURLWithPath: joined).standardizedFileURL.resolvingSymlinksInPath().path
        let rootResolved = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(rootResolved.hasSuffix("/") ? rootResolved : rootResolved + "/") else {
            error(Self.fileDiagnostic(kind), "\(kind) file '\(path.value)' is outside the rule set's directory", path.range)
            return nil
        }
        return resolved
    }

    /// The bytes of a rule set file, or nil with an error ("does not exist", "cannot read").
    func contents(_ path: Located<String>, kind: String) -> [UInt8]? {
        guard let resolved = resolve(path, kind: kind) else { return nil }
        // Checked before reading: a 100 MB file would cost seconds and its size in memory
        // several times over before any line of it was refused.
        let limit = kind == "model" ? Self.maxModelFileBytes : Self.maxListFileBytes
        if let size = RuleSetLoader.size(of: resolved), size > limit {
            error(.limit, "\(kind) file '\(path.value)' has \(size) bytes; the limit is \(limit)", path.range)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            let exists = FileManager.default.fileExists(atPath: resolved)
            error(
                Self.fileDiagnostic(kind),
                exists ? "cannot read \(kind) file '\(path.value)'" : "\(kind) file '\(path.value)' does not exist",
                path.range)
            return nil
        }
        sources[relative(resolved)] = [UInt8](data)
        return [UInt8](data)
    }

    /// The largest list or network file read (32 MiB; a 64,000-word list is 0.6 MiB).
    static let maxListFileBytes = 32 << 20
    /// The largest model file read (256 MiB; the default 2^18 weights take 1 MiB).
    static let maxModelFileBytes = 256 << 20

    /// Lines of a list file: one entry per line, blank lines and lines starting with `#` skipped.
    func readListFile(_ path: Located<String>) -> [(number: Int, text: String)]? {
        guard let bytes = contents(path, kind: "list") else { return nil }
        if let bad = UTF8Validation.firstInvalidByte(bytes) {
            error(.encoding, "list file '\(path.value)' has invalid UTF-8 at byte \(bad)", path.range)
            return nil
        }
        digest.update(path.value)
        digest.update([0])
        digest.update(bytes)
        digest.update([0])
        var lines: [(Int, String)] = []
        var number = 0
        // Split on the byte: a String split on the Character "\n" keeps "\r\n" (one Character)
        // whole, which made a file saved with CRLF line ends one long entry.
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let line = String(decoding: raw, as: UTF8.self)
            let text = String(Self.trimmed(line[...]))
            if text.isEmpty || text.utf8.first == UInt8(ascii: "#") { continue }
            if text.unicodeScalars.count > Self.maxListEntryLength {
                error(
                    .limit,
                    "list file '\(path.value)' line \(number): an entry of \(text.unicodeScalars.count) characters; the limit is \(Self.maxListEntryLength)",
                    path.range)
                return nil
            }
            lines.append((number, text))
            if lines.count > Self.maxListEntries {
                error(.limit, "list file '\(path.value)' has more than \(Self.maxListEntries) entries", path.range)
                return nil
            }
        }
        return lines
    }

    /// `text` without white space at either end (Unicode's White_Space, as Foundation's
    /// `whitespacesAndNewlines`; its `trimmingCharacters` went through NSString, a third of
    /// the load time of a 64k-word list).
    static func trimmed(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isWhitespace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return Substring(scalars[start..<end])
    }

    /// White_Space, answered without the property lookup for ASCII (most ends of most lines).
    @inline(__always)
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x80 ? s.value == 0x20 || (s.value >= 0x09 && s.value <= 0x0D) : s.properties.isWhitespace
    }

    /// Loads every `model NAME = file(…)`; a missing, corrupt or wrong-version file is an
    /// error at the path. The rule set digest takes each model's header and checksum.
    func compileModels() {
        // One read per file, however many declarations name it (forty lines naming one 16 MiB
        // model read it forty times: 923 MB for one playground request).
        var loaded: [String: TextModel] = [:]
        for decl in syntax.models {
            if decl.optional {
                guard let resolved = resolve(decl.path, kind: "model") else { continue }
                if !loadsOptionalModels || !FileManager.default.fileExists(atPath: resolved) {
                    // Absent on purpose: has_model(NAME) is false, classify(NAME, …) is null.
                    digest.update("model \(decl.name.value) \(decl.path.value) absent")
                    digest.update([0])
                    continue
                }
            }
            let resolved = resolve(decl.path, kind: "model")
            if let resolved, let model = loaded[resolved] {
                modelIndex[decl.name.value] = models.count
                models.append((decl.name.value, model))
                digest.update("model \(decl.name.value) \(decl.path.value) \(model.checksum)")
                digest.update([0])
                continue
            }
            guard resolved != nil, let bytes = contents(decl.path, kind: "model") else { continue }
            do throws(ModelFile.Failure) {
                let model = try TextModel(bytes: bytes)
                loaded[resolved!] = model
                modelIndex[decl.name.value] = models.count
                models.append((decl.name.value, model))
                digest.update("model \(decl.name.value) \(decl.path.value) \(model.checksum)")
                digest.update([0])
            } catch {
                self.error(.modelFile, "model file '\(decl.path.value)': \(error.description)", decl.path.range)
            }
        }
    }

    func compilePatterns() {
        for decl in syntax.patterns {
            if let regex = compileRegex(decl.pattern, flags: decl.flags, at: decl.regexRange) {
                patterns[decl.name.value] = regex
            }
        }
    }

    /// Compiles a regex; a PCRE2 error is reported at its own column inside `/…/`.
    func compileRegex(_ pattern: String, flags: String, at range: SourceRange) -> CompiledRegex? {
        do {
            return try CompiledRegex(pattern, flags: flags)
        } catch {
            let bodyStart = range.bytes.lowerBound + 1
            let offset = min(bodyStart + (error.patternOffset ?? 0), range.bytes.upperBound - 1)
            let at = SourceRange(file: range.file, bytes: offset..<(offset + 1))
            diagnostics.append(.error(.badRegex, "regex does not compile: \(error.message)", at: at))
            return nil
        }
    }

    func compileRule(_ rule: RuleDecl) -> CompiledRuleSet.Rule {
        currentOn = Set(rule.on.compactMap { Event.Kind(rawValue: $0.value) })
        currentRule = rule.name.value
        defer { currentRule = "" }
        let condition = rule.when.map(conditionNode)
        let score = rule.score.map { CompiledExpression(eval: expression($0)) }
        let penalties = rule.penalties.map(penalty)
        return CompiledRuleSet.Rule(
            name: rule.name.value, index: ruleIndex[rule.name.value]!, description: rule.description, tags: rule.tags,
            on: Set(rule.on.compactMap { Event.Kind(rawValue: $0.value) }), condition: condition, score: score,
            penalties: penalties, shadow: rule.mode?.value == "shadow", rollout: rule.rollout?.value,
            readsCounters: dependencies.contains(Self.readsCounters))
    }

    /// The condition as a tree of its `and`, `or` and `not` parts over leaves compiled once.
    func conditionNode(_ e: Expr) -> ConditionNode {
        let text = Checker.canonical(e.range.text)
        switch e.kind {
        case .binary(.and, let l, let r):
            return .junction(.and, text: text, flatten(.and, l) + flatten(.and, r))
        case .binary(.or, let l, let r):
            return .junction(.or, text: text, flatten(.or, l) + flatten(.or, r))
        case .unary(.not, let x):
            return .not(text: text, conditionNode(x))
        default:
            let operands = Self.operands(of: e).map { (Checker.canonical($0.range.text), expression($0)) }
            return .leaf(text: text, eval: expression(e), cost: cost(e), operands: operands)
        }
    }

    /// The parts of a leaf whose values explain shows: the non-literal sides of a comparison,
    /// the text a `contains`, `matches` or `in` reads, the fields a call is given.
    static func operands(of e: Expr) -> [Expr] {
        func isLiteral(_ x: Expr) -> Bool {
            switch x.kind {
            case .string, .integer, .decimal, .bool, .duration, .regex: true
            case .list(let items): items.allSatisfy(isLiteral)
            case .unary(.negate, let y): isLiteral(y)
            default: false
            }
        }
        let parts: [Expr] =
            switch e.kind {
            case .binary(let op, let l, let r) where op.isComparison: [l, r]
            case .contains(let s, _, _), .matches(let s, _), .inList(let s, _): [s]
            case .call("matches_format", _, let arguments): arguments.filter { $0.label == nil }.prefix(1).map(\.value)
            default: []
            }
        return parts.filter { !isLiteral($0) }
    }

    /// `a and b and c` as three children rather than a nested pair.
    private func flatten(_ op: BinaryOperator, _ e: Expr) -> [ConditionNode] {
        if case .binary(let o, let l, let r) = e.kind, o == op { return flatten(op, l) + flatten(op, r) }
        return [conditionNode(e)]
    }

    func penalty(_ e: Expr) -> PenaltySpec {
        switch e.kind {
        case .name(let name):
            return PenaltySpec(action: PenaltyAction(rawValue: name) ?? .review, target: nil, duration: .none)
        case .call(let name, _, let arguments):
            // The checker accepted the name, so it is an action.
            let action = PenaltyAction(rawValue: name) ?? .review
            let target = arguments.first?.value.nameValue.flatMap(Field.init(name:))
            var duration = PenaltySpec.Duration.none
            if action == .label {
                var spec = PenaltySpec(action: action, target: target, duration: .forever)
                if case .string(let name)? = arguments.dropFirst().first?.value.kind { spec.label = name }
                if arguments.count == 3 { spec.duration = penaltyDuration(arguments[2].value) }
                return spec
            }
            if arguments.count == 2 { duration = penaltyDuration(arguments[1].value) }
            return PenaltySpec(action: action, target: target, duration: duration)
        default:
            return PenaltySpec(action: .review, target: nil, duration: .none)
        }
    }

    func penaltyDuration(_ e: Expr) -> PenaltySpec.Duration {
        switch e.kind {
        case .duration(let seconds): return .fixed(seconds)
        case .name("forever"): return .forever
        case .call("escalate", _, let steps):
            return .escalate(steps.map { if case .duration(let s) = $0.value.kind { s } else { nil } })
        default: return .none
        }
    }
}
