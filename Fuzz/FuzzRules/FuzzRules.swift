import FuzzDriver
import WardenEngine
import WardenLanguage

/// Rules text through the lexer, parser, checker and compiler (regexes and all), then a check
/// of one event if the rule set compiled: nothing may crash or hang, whatever the text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard UTF8Validation.firstInvalidByte(bytes) == nil else { return 0 }
    let source = String(decoding: bytes, as: UTF8.self)
    // The root is an empty directory, so `file(…)` lists find nothing to read.
    let (ruleSet, diagnostics) = Compiler.compile(source: source, path: "/nonexistent/fuzz.rules", root: "/nonexistent")
    _ = DiagnosticRenderer(color: false).render(diagnostics)
    if let ruleSet {
        var event = Event(id: "e", type: .send, account: "u", ts: 1_767_225_600)
        event.text = "兼职刷单 加V: shuadan888 领码"
        event.to = ["a", "b"]
        event.code = "AB12CD34"
        _ = Engine(ruleSet: ruleSet).explain(event, now: 0)
    }
    return 0
}

@_cdecl("FuzzRules_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzRules) }
