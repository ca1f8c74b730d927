/// SwiftPM links an executable's entry point as `<Target>_main`; each fuzz target defines that
/// symbol and hands over to libFuzzer's driver here.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ body: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, body)
}

/// The input of the matcher and regex targets: non-empty lines (at most `limit`) before the
/// first blank line, and the text after it; nil when there is no blank line.
public func linesAndText(_ data: UnsafePointer<UInt8>, _ size: Int, limit: Int) -> (lines: [String], text: String)? {
    let input = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = input.split(separator: "\n\n", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    return (Array(parts[0].split(separator: "\n").map(String.init).filter { !$0.isEmpty }.prefix(limit)), String(parts[1]))
}
