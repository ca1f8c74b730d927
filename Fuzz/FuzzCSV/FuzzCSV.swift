import FuzzDriver
import WardenAudit
import WardenEngine

/// The first line is a CSV header, the rest one record (quotes may span lines): through the
/// CSV reader and the event decoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let newline = text.firstIndex(of: "\n") else { return 0 }
    let csv = CSVEvents(header: String(text[..<newline]))
    let record = String(text[text.index(after: newline)...])
    _ = CSVEvents.isOpen(record)
    if let object = try? csv.object(record) {
        _ = try? EventDecoder().decode(object)
    }
    return 0
}

@_cdecl("FuzzCSV_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzCSV) }
