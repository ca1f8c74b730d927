import Foundation
import Testing

/// `warden lsp` driven by a scripted JSON-RPC client, as an editor would drive it.
@Suite struct LanguageServerTests {
    /// A client on the server's stdin and stdout, with a reader thread and timeouts so a server
    /// that does not answer fails the test instead of hanging it.
    final class Client: @unchecked Sendable {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        private let lock = NSLock()
        private var buffer = Data()
        private var messages: [[String: Any]] = []
        private var nextID = 0

        init() throws {
            process.executableURL = CLITests.binary
            process.arguments = ["lsp"]
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.lock()
                self.buffer.append(data)
                self.parse()
                self.lock.unlock()
            }
            try process.run()
        }

        private func parse() {
            while let headerEnd = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let header = String(decoding: buffer[buffer.startIndex..<headerEnd.lowerBound], as: UTF8.self)
                guard let length = Int(header.replacingOccurrences(of: "Content-Length:", with: "").trimmingCharacters(in: .whitespaces)),
                    buffer.count - (headerEnd.upperBound - buffer.startIndex) >= length
                else { return }
                let body = buffer[headerEnd.upperBound..<(headerEnd.upperBound + length)]
                if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] { messages.append(object) }
                buffer = Data(buffer[(headerEnd.upperBound + length)...])
            }
        }

        func send(_ message: [String: Any]) throws {
            var message = message
            message["jsonrpc"] = "2.0"
            let body = try JSONSerialization.data(withJSONObject: message)
            input.fileHandleForWriting.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
        }

        /// Sends a request and waits for its response.
        func request(_ method: String, _ params: [String: Any] = [:]) throws -> [String: Any] {
            nextID += 1
            let id = nextID
            try send(["id": id, "method": method, "params": params])
            return try wait { ($0["id"] as? Int) == id }
        }

        func notify(_ method: String, _ params: [String: Any]) throws { try send(["method": method, "params": params]) }

        /// The first message (in arrival order) that `matches`, removed from the queue.
        func wait(timeout: Double = 20, _ matches: ([String: Any]) -> Bool) throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                lock.lock()
                if let k = messages.firstIndex(where: matches) {
                    let m = messages.remove(at: k)
                    lock.unlock()
                    return m
                }
                lock.unlock()
                Thread.sleep(forTimeInterval: 0.01)
            }
            throw CancellationError()
        }

        func diagnostics(for uri: String) throws -> [[String: Any]] {
            let m = try wait {
                ($0["method"] as? String) == "textDocument/publishDiagnostics"
                    && (($0["params"] as? [String: Any])?["uri"] as? String) == uri
            }
            return ((m["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]]) ?? []
        }
    }

    static func position(_ object: Any?) -> [Int] {
        let range = object as? [String: Any]
        let start = range?["start"] as? [String: Any]
        let end = range?["end"] as? [String: Any]
        return [start?["line"], start?["character"], end?["line"], end?["character"]].map { ($0 as? Int) ?? -1 }
    }

    @Test func anEditorSession() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warden-lsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lists"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "刷单\n兼职\n# a comment\n\n日赚\n".write(to: dir.appendingPathComponent("lists/fraud.txt"), atomically: true, encoding: .utf8)
        try """
        ruleset t timezone "Asia/Shanghai"
        list fraud(fold: ["all"]) = file("lists/fraud.txt")

        """.write(to: dir.appendingPathComponent("00-lists.rules"), atomically: true, encoding: .utf8)
        let uri = dir.appendingPathComponent("10-rules.rules").absoluteString
        // Broken: an unknown name after an emoji and CJK on the same line (UTF-16 columns).
        let broken = """
            rule r "🎉转发" { on send when text contains any fraudd score 60 }
            rule burst { on send when count(by: account, within: 1d) > 30 penalty challenge }
            decide { block when score >= 100 }

            """
        let fixed = broken.replacingOccurrences(of: "fraudd", with: "fraud")

        let client = try Client()
        defer { if client.process.isRunning { client.process.terminate() } }
        let initialize = try client.request("initialize", ["processId": NSNull(), "rootUri": dir.absoluteString, "capabilities": [:]])
        let capabilities = (initialize["result"] as? [String: Any])?["capabilities"] as? [String: Any]
        #expect(capabilities?["hoverProvider"] as? Bool == true)
        #expect(capabilities?["documentFormattingProvider"] as? Bool == true)
        try client.notify("initialized", [:])

        try client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "warden", "version": 1, "text": broken]])
        let diagnostics = try client.diagnostics(for: uri)
        #expect(diagnostics.count == 1)
        let d = try #require(diagnostics.first)
        #expect(d["code"] as? String == "unknown-name")
        #expect(d["severity"] as? Int == 1)
        #expect((d["message"] as? String)?.hasPrefix("unknown name 'fraudd'\ndid you mean 'fraud'?") == true)
        // The prefix is 46 scalars and 47 UTF-16 units (🎉 is two): LSP counts the units.
        let prefix = "rule r \"🎉转发\" { on send when text contains any "
        #expect(Self.position(d["range"]) == [0, prefix.utf16.count, 0, prefix.utf16.count + 6])
        #expect(prefix.utf16.count == 47 && prefix.unicodeScalars.count == 46)

        // Hover: a list (entries, folds, source), a counter (window and step), a built-in.
        let listHover = try client.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 0, "character": 48]])
        #expect(listHover["result"] is NSNull)  // the unknown name has nothing to show
        try client.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2], "contentChanges": [["text": fixed]]])
        #expect(try client.diagnostics(for: uri).isEmpty)
        func hover(_ line: Int, _ character: Int) throws -> String {
            let r = try client.request(
                "textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": line, "character": character]])
            return (((r["result"] as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String) ?? ""
        }
        let list = try hover(0, 48)
        #expect(list.contains("**list** `fraud` (00-lists.rules:2)"))
        #expect(list.contains("3 entries from `lists/fraud.txt`"))
        #expect(list.contains("folds: [\"all\"]"))
        let counter = try hover(1, 27)
        #expect(counter.contains("count(by: K, within: D | per: P [, where: E])"))
        #expect(counter.contains("rolling 1d, resolved in 60 steps of 24m"))
        #expect(try hover(0, 0) == "")
        #expect(try hover(0, 5).contains("**rule** `r`"))

        // Definition: the list in the other file, and the list file itself.
        let definition = try client.request(
            "textDocument/definition", ["textDocument": ["uri": uri], "position": ["line": 0, "character": 48]])
        let location = try #require(definition["result"] as? [String: Any])
        #expect((location["uri"] as? String)?.hasSuffix("/00-lists.rules") == true)
        #expect(Self.position(location["range"]) == [1, 5, 1, 10])

        // Completion: lists after `contains any`, everything (fields, built-ins, names) elsewhere.
        let afterAny = try client.request(
            "textDocument/completion", ["textDocument": ["uri": uri], "position": ["line": 0, "character": 46]])
        let listItems = ((afterAny["result"] as? [String: Any])?["items"] as? [[String: Any]])?.compactMap { $0["label"] as? String }
        #expect(listItems == ["fraud"])
        let anywhere = try client.request(
            "textDocument/completion", ["textDocument": ["uri": uri], "position": ["line": 0, "character": 31]])
        let labels = Set(
            ((anywhere["result"] as? [String: Any])?["items"] as? [[String: Any]])?.compactMap { $0["label"] as? String } ?? [])
        #expect(labels.isSuperset(of: ["text", "account", "count", "near", "has_label", "fraud", "r", "burst"]))

        // Symbols of this document, and formatting through fmt.
        let symbols = try client.request("textDocument/documentSymbol", ["textDocument": ["uri": uri]])
        #expect((symbols["result"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["r", "burst", "decide"])
        let messy = fixed.replacingOccurrences(of: "score >= 100", with: "score>=100")
        try client.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 3], "contentChanges": [["text": messy]]])
        _ = try client.diagnostics(for: uri)
        let format = try client.request(
            "textDocument/formatting", ["textDocument": ["uri": uri], "options": ["tabSize": 2, "insertSpaces": true]])
        let edits = try #require(format["result"] as? [[String: Any]])
        #expect(edits.count == 1 && edits.first?["newText"] as? String == fixed)

        let shutdown = try client.request("shutdown")
        #expect(shutdown["result"] is NSNull)
        try client.notify("exit", [:])
        client.process.waitUntilExit()
        #expect(client.process.terminationStatus == 0)
    }

    /// A stream of frames written at once (over a megabyte, so the reader drops what it has taken
    /// as it goes), a frame that is not JSON among them, and a request with a string id: each is
    /// answered, in order, and the server exits cleanly.
    @Test func aLongStreamOfFrames() throws {
        let client = try Client()
        defer { if client.process.isRunning { client.process.terminate() } }
        _ = try client.request("initialize", ["processId": NSNull(), "capabilities": [:]])
        let uri = FileManager.default.temporaryDirectory.appendingPathComponent("warden-lsp-stream-\(UUID().uuidString).rules")
            .absoluteString
        let text = "rule r { on send when text contains \"刷单\" score 10 }\n" + String(repeating: "# 注释 padding\n", count: 120)
        try client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "warden", "version": 1, "text": text]])
        for version in 2...600 {
            try client.notify(
                "textDocument/didChange", ["textDocument": ["uri": uri, "version": version], "contentChanges": [["text": text]]])
        }
        client.input.fileHandleForWriting.write(Data("Content-Length: 9\r\n\r\nnot json!".utf8))
        try client.send(["id": "last", "method": "textDocument/documentSymbol", "params": ["textDocument": ["uri": uri]]])
        let parseError = try client.wait(timeout: 60) { ($0["error"] as? [String: Any])?["code"] as? Int == -32700 }
        #expect(parseError["id"] is NSNull)
        let symbols = try client.wait(timeout: 60) { ($0["id"] as? String) == "last" }
        #expect((symbols["result"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["r"])
        _ = try client.request("shutdown")
        try client.notify("exit", [:])
        client.process.waitUntilExit()
        #expect(client.process.terminationStatus == 0)
    }
}
