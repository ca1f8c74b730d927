import Foundation
import Logging
import WardenEngine

/// `serve --log-format json`: one JSON object a line on standard error, for a log pipeline
/// (`{"ts":…,"level":…,"label":…,"message":…,"source":…, metadata…}`); metadata values are
/// strings (nested ones as their text), and a key that would shadow the fixed ones gets `meta_`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        var pairs: [(String, JSONValue)] = [
            ("ts", .string(Timestamp.format(Date().timeIntervalSince1970))), ("level", .string(event.level.rawValue)),
            ("label", .string(label)), ("message", .string(event.message.description)), ("source", .string(event.source)),
        ]
        let fixed: Set<String> = ["ts", "level", "label", "message", "source"]
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            pairs.append((fixed.contains(key) ? "meta_" + key : key, .string(value.description)))
        }
        Output.error(JSONValue.object(pairs).text)
    }
}
