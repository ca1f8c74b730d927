import CPCRE2

/// A compiled, JIT-accelerated PCRE2 pattern (UTF + UCP always on).
///
/// Immutable after `init`, so it is shared across threads: `pcre2_match` only reads the code,
/// and every call gets its own match data. The match context carries match and depth limits so
/// no pattern can hang an evaluation; hitting one is reported as an error, not a silent miss.
package final class CompiledRegex: @unchecked Sendable {
    private let code: OpaquePointer
    private let context: OpaquePointer
    package let pattern: String
    package let isJITCompiled: Bool

    package static let defaultMatchLimit: UInt32 = 1_000_000
    package static let defaultDepthLimit: UInt32 = 10_000
    /// Heap for one match's backtracking frames, in KiB (interpreter only; JIT uses its stack).
    package static let heapLimitKiB: UInt32 = 20_480
    /// Bytes of pattern text, and of compiled code: a rule's regex is a line, not a program.
    package static let maxPatternBytes = 8_192
    package static let maxCompiledBytes = 1 << 20

    /// Compiles `pattern` with flags from `i m s x`.
    package init(_ pattern: String, flags: String = "", matchLimit: UInt32 = defaultMatchLimit) throws(RegexError) {
        var options = UInt32(PCRE2_UTF | PCRE2_UCP)
        for flag in flags {
            switch flag {
            case "i": options |= UInt32(PCRE2_CASELESS)
            case "m": options |= UInt32(PCRE2_MULTILINE)
            case "s": options |= UInt32(PCRE2_DOTALL)
            case "x": options |= UInt32(PCRE2_EXTENDED)
            default: throw RegexError(code: 0, patternOffset: nil, message: "unknown regex flag '\(flag)'")
            }
        }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        guard bytes.count <= Self.maxPatternBytes else {
            throw RegexError(code: 0, patternOffset: nil, message: "pattern of \(bytes.count) bytes; the limit is \(Self.maxPatternBytes)")
        }
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw RegexError(code: errorCode, patternOffset: errorOffset, message: Self.message(for: errorCode))
        }
        var size = 0
        if pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_SIZE), &size) == 0, size > Self.maxCompiledBytes {
            pcre2_code_free_8(compiled)
            throw RegexError(
                code: 0, patternOffset: nil,
                message:
                    "compiles to \(size) bytes; the limit is \(Self.maxCompiledBytes) (large counted repeats such as {1000} multiply the code)"
            )
        }
        guard let context = pcre2_match_context_create_8(nil) else {
            pcre2_code_free_8(compiled)
            throw RegexError(code: 0, patternOffset: nil, message: "out of memory creating a match context")
        }
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, Self.defaultDepthLimit)
        pcre2_set_heap_limit_8(context, Self.heapLimitKiB)
        self.code = compiled
        self.context = context
        self.pattern = pattern
        self.isJITCompiled = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }

    deinit {
        pcre2_match_context_free_8(context)
        pcre2_code_free_8(code)
    }

    /// The first match in `subject` as a range of UTF-8 byte offsets, or nil.
    package func firstMatch(inUTF8 subject: UnsafeBufferPointer<UInt8>) throws(RegexError) -> Range<Int>? {
        let scratch = try MatchScratch()
        return try firstMatch(inUTF8: subject, scratch: scratch)
    }

    /// The same with caller-owned match data, so a loop over many patterns allocates once.
    package func firstMatch(inUTF8 subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) throws(RegexError) -> Range<Int>? {
        let data = scratch.data
        // A zero-length subject needs a valid pointer too.
        let rc: Int32
        if let base = subject.baseAddress {
            rc = pcre2_match_8(code, base, subject.count, 0, 0, data, context)
        } else {
            var empty: UInt8 = 0
            rc = pcre2_match_8(code, &empty, 0, 0, 0, data, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw RegexError(code: rc, patternOffset: nil, message: Self.message(for: rc)) }
        let ovector = pcre2_get_ovector_pointer_8(data)!
        return ovector[0]..<ovector[1]
    }

    /// The first match in `subject`, as a range of Unicode-scalar offsets; pass `scratch` to
    /// reuse match data across calls.
    package func firstMatch(in subject: String, scratch: MatchScratch? = nil) throws(RegexError) -> Range<Int>? {
        let data: MatchScratch
        if let scratch { data = scratch } else { data = try MatchScratch() }
        var text = subject
        let result: Result<Range<Int>?, RegexError> = text.withUTF8 { buffer in
            do throws(RegexError) {
                guard let bytes = try firstMatch(inUTF8: buffer, scratch: data) else { return .success(nil) }
                return .success(Self.scalarOffset(buffer, bytes.lowerBound)..<Self.scalarOffset(buffer, bytes.upperBound))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Counts the scalars that start before byte `offset`.
    static func scalarOffset(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var count = 0
        for i in 0..<offset where buffer[i] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "PCRE2 error \(code)"
    }
}

/// Match data that any pattern can use (whole-match offsets only); one per thread or loop,
/// never shared between concurrent matches.
package final class MatchScratch {
    let data: OpaquePointer

    package init() throws(RegexError) {
        guard let data = pcre2_match_data_create_8(1, nil) else {
            throw RegexError(code: 0, patternOffset: nil, message: "out of memory creating match data")
        }
        self.data = data
    }

    deinit { pcre2_match_data_free_8(data) }
}
