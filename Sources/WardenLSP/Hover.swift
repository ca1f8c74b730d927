import Foundation
import WardenEngine
import WardenLanguage

/// What hovering over a token shows, as Markdown.
extension RuleSetIndex {
    func hover(_ token: Token, in tokens: [Token], at k: Int) -> String? {
        switch token.kind {
        case .identifier: break
        case .string:
            if let path = filePath(at: k, in: tokens) { return "`\(path)` → `\(resolve(path))`" }
            return nil
        default: return nil
        }
        let name = token.text
        // A counter: its window and how it is stepped.
        if [Builtin.count, .distinct, .sum].map(\.rawValue).contains(name), k + 1 < tokens.count, tokens[k + 1].kind == .leftParen {
            return builtinHover(name) + "\n\n" + counterWindow(openingAt: k + 1, in: tokens)
        }
        if let declaration = declaration(named: name) { return declarationHover(declaration) }
        if Builtin(rawValue: name) != nil, k + 1 < tokens.count, tokens[k + 1].kind == .leftParen { return builtinHover(name) }
        if Vocabulary.eventKeys.contains(name) {
            return "event field `\(name)`" + (name == "attrs" ? ": `attrs.NAME` reads one attribute" : "")
        }
        if let doc = Builtin(rawValue: name)?.doc { return "`\(doc.signature)`\n\n\(doc.summary)" }
        return nil
    }

    func builtinHover(_ name: String) -> String {
        guard let doc = Builtin(rawValue: name)?.doc else { return "`\(name)`" }
        return "```warden\n\(doc.signature)\n```\n\(doc.summary)\n\nExample: `\(doc.example)`"
    }

    /// `within: 1d` → "rolling 1d, 60 steps of 24m"; `per: day` → the calendar day in the zone.
    func counterWindow(openingAt open: Int, in tokens: [Token]) -> String {
        var depth = 0
        var k = open
        while k < tokens.count {
            switch tokens[k].kind {
            case .leftParen, .leftBracket: depth += 1
            case .rightParen, .rightBracket:
                depth -= 1
                if depth == 0 { return "Counter window: none given (`within:` or `per:` is needed)" }
            case .identifier where depth == 1 && k + 2 < tokens.count && tokens[k + 1].kind == .colon:
                if tokens[k].text == "within", tokens[k + 2].kind == .duration {
                    let seconds = tokens[k + 2].integer
                    let (step, steps) = CompiledRuleSet.rollingSteps(window: seconds)
                    return
                        "Counter window: rolling \(Timestamp.formatDuration(seconds)), resolved in \(steps) steps of \(Timestamp.formatDuration(step)): it covers between \(Timestamp.formatDuration(seconds - step)) and \(Timestamp.formatDuration(seconds)) of history."
                }
                if tokens[k].text == "per", tokens[k + 2].kind == .identifier {
                    let zone = syntax.header?.timezone?.value ?? "UTC"
                    return
                        "Counter window: the current calendar \(tokens[k + 2].text) in \(zone); it starts again at the \(tokens[k + 2].text)'s first second."
                }
            default: break
            }
            k += 1
        }
        return "Counter window: unknown"
    }

    func declarationHover(_ d: Declaration) -> String {
        let place = "\((d.range.file.path as NSString).lastPathComponent):\(d.nameRange.start.line)"
        switch d.kind {
        case .list:
            guard let list = syntax.lists.first(where: { $0.name.value == d.name }) else { break }
            var lines = ["**list** `\(d.name)` (\(place))"]
            switch list.source {
            case .words(let words): lines.append("\(words.count) entries, written inline")
            case .file(let path):
                lines.append("\(entryCount(ofFile: path.value).map { "\($0) entries" } ?? "unreadable") from `\(path.value)`")
            case .cidr(let ranges): lines.append("\(ranges.count) address ranges, written inline")
            case .cidrFile(let path):
                lines.append("\(entryCount(ofFile: path.value).map { "\($0) address ranges" } ?? "unreadable") from `\(path.value)`")
            }
            let folds = list.options.first { $0.label == "fold" }.map { $0.value.range.text } ?? "the default folds"
            if !list.isCIDR { lines.append("folds: \(folds)") }
            for option in list.options where option.label != "fold" {
                lines.append("\(option.label ?? ""): `\(option.value.range.text)`")
            }
            return lines.joined(separator: "\n\n")
        case .pattern:
            guard let pattern = syntax.patterns.first(where: { $0.name.value == d.name }) else { break }
            return "**pattern** `\(d.name)` (\(place))\n\n```\n/\(pattern.pattern)/\(pattern.flags)\n```"
        case .model:
            guard let model = syntax.models.first(where: { $0.name.value == d.name }) else { break }
            let size = (try? FileManager.default.attributesOfItem(atPath: resolve(model.path.value))[.size] as? NSNumber)?.intValue
            return "**model** `\(d.name)` (\(place))\n\nfile `\(model.path.value)`" + (size.map { ", \($0) bytes" } ?? " (missing)")
                + "\n\nUse: `classify(\(d.name), text) >= 0.9`"
        case .let:
            return "**let** `\(d.name)` (\(place))\n\n```warden\n\(d.range.text)\n```"
        case .rule:
            guard let rule = syntax.rules.first(where: { $0.name.value == d.name }) else { break }
            var lines = ["**rule** `\(d.name)` (\(place))"]
            if let description = rule.description { lines.append(description) }
            lines.append("on " + rule.on.map(\.value).joined(separator: ", "))
            if let score = rule.score { lines.append("score \(score.range.text)") }
            if !rule.penalties.isEmpty { lines.append("penalty " + rule.penalties.map(\.range.text).joined(separator: ", ")) }
            if let mode = rule.mode { lines.append("mode \(mode.value)") }
            return lines.joined(separator: "\n\n")
        default: break
        }
        return "**\(d.kind.rawValue)** `\(d.name)` (\(place))"
    }

    /// The path of `file("…")` when the string token at `k` is its argument.
    func filePath(at k: Int, in tokens: [Token]) -> String? {
        guard k >= 2, tokens[k - 1].kind == .leftParen, tokens[k - 2].isKeyword("file") else { return nil }
        return tokens[k].text
    }
}
