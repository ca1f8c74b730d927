import Foundation
import WardenEngine
import WardenLanguage
import WardenWire

/// `warden lsp`: the Language Server Protocol over stdio, for any editor that speaks it.
///
/// Documents sync in full. After each open or change the rule set the document belongs to is
/// analysed again, with every open document's unsaved text, and the diagnostics of each open
/// document are published: the same ones `warden lint` gives, with ranges in UTF-16.
package final class LanguageServer {
    private let channel: JSONRPCChannel
    /// Open documents: URI → text.
    private var documents: [String: String] = [:] {
        didSet { indexes.removeAll() }
    }
    /// Analyses since the open documents last changed, by the path asked about: a hover, a
    /// completion or a definition reads one instead of analysing the rule set again.
    private var indexes: [String: RuleSetIndex] = [:]
    private var shutdownRequested = false

    package init(input: FileHandle = .standardInput, output: FileHandle = .standardOutput) {
        channel = JSONRPCChannel(input: input, output: output)
    }

    /// Serves until `exit` or the end of input; the process's exit status (0 after `shutdown`).
    package func run() -> Int32 {
        while let (message, malformed) = channel.read() {
            if malformed {
                channel.send(["id": .null, "error": ["code": -32700, "message": "parse error: a frame that is not a JSON object"]])
                continue
            }
            guard let message, let method = message["method"]?.stringValue else { continue }
            let params = message["params"] ?? [:]
            if method == "exit" { return shutdownRequested ? 0 : 1 }
            if let id = message["id"] {
                respond(id: id, method: method, params: params)
            } else {
                notify(method, params)
            }
        }
        return shutdownRequested ? 0 : 1
    }

    private func respond(id: JSONValue, method: String, params: JSONValue) {
        let result: JSONValue
        switch method {
        case "initialize": result = Self.capabilities
        case "shutdown":
            shutdownRequested = true
            result = .null
        case "textDocument/hover": result = hover(params) ?? .null
        case "textDocument/definition": result = definition(params) ?? .null
        case "textDocument/completion": result = completion(params)
        case "textDocument/documentSymbol": result = .array(symbols(params))
        case "textDocument/formatting": result = formatting(params).map(JSONValue.array) ?? .null
        default:
            channel.send(["id": id, "error": ["code": -32601, "message": .string("method not found: \(method)")]])
            return
        }
        channel.send(["id": id, "result": result])
    }

    private func notify(_ method: String, _ params: JSONValue) {
        let document = params["textDocument"]
        guard let uri = document?["uri"]?.stringValue else { return }
        switch method {
        case "textDocument/didOpen":
            documents[uri] = document?["text"]?.stringValue ?? ""
            publishDiagnostics(changed: uri)
        case "textDocument/didChange":
            // Full sync: the last change holds the whole text.
            if let changes = params["contentChanges"]?.arrayValue, let text = changes.last?["text"]?.stringValue {
                documents[uri] = text
                publishDiagnostics(changed: uri)
            }
        case "textDocument/didClose":
            documents[uri] = nil
            channel.send(["method": "textDocument/publishDiagnostics", "params": ["uri": .string(uri), "diagnostics": []]])
        case "textDocument/didSave":
            indexes.removeAll()  // a list file beside it may have changed on disk too
        default: break
        }
    }

    static var capabilities: JSONValue {
        [
            "capabilities": [
                "textDocumentSync": 1,
                "hoverProvider": true,
                "definitionProvider": true,
                "completionProvider": ["triggerCharacters": ["(", " ", "."]],
                "documentSymbolProvider": true,
                "documentFormattingProvider": true,
                "positionEncoding": "utf-16",
            ],
            "serverInfo": ["name": "warden", "version": .string(WardenInfo.version)],
        ]
    }

    // MARK: analysis

    static func path(of uri: String) -> String {
        URL(string: uri).map { $0.isFileURL ? $0.path : uri } ?? uri
    }

    static func uri(of path: String) -> String { URL(fileURLWithPath: path).absoluteString }

    private var overlay: [String: String] {
        Dictionary(documents.map { (RuleSetLoader.standardized(Self.path(of: $0.key)), $0.value) }) { a, _ in a }
    }

    private func index(for uri: String) -> RuleSetIndex {
        let path = RuleSetLoader.standardized(Self.path(of: uri))
        if let known = indexes[path] { return known }
        let index = RuleSetIndex(path: path, overlay: overlay)
        indexes[path] = index
        return index
    }

    /// Publishes the diagnostics of every open document of the changed one's rule set.
    private func publishDiagnostics(changed uri: String) {
        let index = index(for: uri)
        let directory = (RuleSetLoader.standardized(Self.path(of: uri)) as NSString).deletingLastPathComponent
        for (openURI, text) in documents {
            let path = RuleSetLoader.standardized(Self.path(of: openURI))
            guard (path as NSString).deletingLastPathComponent == directory else { continue }
            let lines = SourceFile(lspText: text)
            let diagnostics: [JSONValue] = index.diagnostics.compactMap { d in
                let file = d.range.map { RuleSetLoader.standardized($0.file.path) } ?? d.path.map(RuleSetLoader.standardized)
                guard file == path else { return nil }
                return [
                    "range": d.range.map { lines.lspRange($0.bytes) } ?? lines.lspRange(0..<0),
                    "severity": d.severity == .error ? 1 : 2,
                    "code": .string(d.id),
                    "source": "warden",
                    "message": .string(d.message + (d.hint.map { "\n" + $0 } ?? "")),
                ]
            }
            channel.send([
                "method": "textDocument/publishDiagnostics", "params": ["uri": .string(openURI), "diagnostics": .array(diagnostics)],
            ])
        }
    }

    /// The document's tokens and the index of the one at the request's position.
    private func token(_ params: JSONValue) -> (uri: String, tokens: [Token], at: Int?, offset: Int)? {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let text = documents[uri],
            let position = params["position"], let line = position["line"]?.intValue,
            let character = position["character"]?.intValue
        else { return nil }
        let file = SourceFile(path: Self.path(of: uri), text: text)
        let offset = file.offset(line: line, utf16Character: character)
        let tokens = Lexer.tokenize(file).tokens
        let at = tokens.firstIndex {
            $0.kind != .end && $0.bytes.lowerBound <= offset && offset <= $0.bytes.upperBound && !$0.bytes.isEmpty
        }
        return (uri, tokens, at, offset)
    }

    private func hover(_ params: JSONValue) -> JSONValue? {
        guard let (uri, tokens, at, _) = token(params), let k = at, let text = documents[uri] else { return nil }
        guard let markdown = index(for: uri).hover(tokens[k], in: tokens, at: k) else { return nil }
        return [
            "contents": ["kind": "markdown", "value": .string(markdown)], "range": SourceFile(lspText: text).lspRange(tokens[k].bytes),
        ]
    }

    private func definition(_ params: JSONValue) -> JSONValue? {
        guard let (uri, tokens, at, _) = token(params), let k = at else { return nil }
        let index = index(for: uri)
        let token = tokens[k]
        if token.kind == .string, let path = index.filePath(at: k, in: tokens) {
            let target = index.resolve(path)
            guard FileManager.default.fileExists(atPath: target) else { return nil }
            return ["uri": .string(Self.uri(of: target)), "range": SourceFile(lspText: "").lspRange(0..<0)]
        }
        guard token.kind == .identifier, let d = index.declaration(named: token.text) else { return nil }
        let file = d.nameRange.file
        let text = documents[Self.uri(of: file.path)] ?? file.text
        return [
            "uri": .string(Self.uri(of: RuleSetLoader.standardized(file.path))),
            "range": SourceFile(lspText: text).lspRange(d.nameRange.bytes),
        ]
    }

    private func completion(_ params: JSONValue) -> JSONValue {
        guard let (uri, tokens, _, offset) = token(params) else { return ["isIncomplete": false, "items": []] }
        let before = tokens.filter { $0.kind != .end && $0.bytes.upperBound <= offset }
        return ["isIncomplete": false, "items": .array(index(for: uri).completions(after: before))]
    }

    private func symbols(_ params: JSONValue) -> [JSONValue] {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let text = documents[uri] else { return [] }
        let path = RuleSetLoader.standardized(Self.path(of: uri))
        let lines = SourceFile(lspText: text)
        let kinds: [RuleSetIndex.Declaration.Kind: Int] = [
            .ruleset: 2, .list: 18, .pattern: 15, .model: 5, .let: 13, .rule: 12, .decide: 3, .test: 6,
        ]
        return index(for: uri).declarations.filter { RuleSetLoader.standardized($0.range.file.path) == path }.map { d in
            [
                "name": .string(d.name), "detail": .string(d.kind.rawValue), "kind": .int(kinds[d.kind] ?? 13),
                "range": lines.lspRange(d.range.bytes),
                "selectionRange": lines.lspRange(d.nameRange.bytes),
            ]
        }
    }

    private func formatting(_ params: JSONValue) -> [JSONValue]? {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, let text = documents[uri] else { return nil }
        guard case .formatted(let formatted) = Formatter.format(SourceFile(path: Self.path(of: uri), text: text)) else { return nil }
        if formatted == text { return [] }
        return [["range": SourceFile(lspText: text).lspWholeRange, "newText": .string(formatted)]]
    }
}
