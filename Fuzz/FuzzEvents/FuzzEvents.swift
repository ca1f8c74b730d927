import FuzzDriver
import WardenEngine

/// Bytes through the event decoder (limits, UTF-8 check, JSON parser, every key's rules), and a
/// decoded event through the decision writer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    for decoder in [EventDecoder(), EventDecoder(strict: true, requireTimestamp: true)] {
        if let decoded = try? decoder.decode(bytes: bytes, file: "fuzz", line: 1) {
            _ = decoded.event.id
        }
    }
    if let value = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)) {
        var w = JSONWriter()
        w.value(value)
        // What the writer writes, the parser reads back the same.
        precondition((try? JSONParser.parse(w.output)) == value, "JSON round trip changed the value")
    }
    return 0
}

@_cdecl("FuzzEvents_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzEvents) }
