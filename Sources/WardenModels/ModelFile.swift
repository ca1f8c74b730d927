import Foundation

/// The model file: a magic line with the format version, the JSON header on one line, the bias
/// and `2^bits` weights as little-endian Float32, and a 64-bit checksum of everything before it.
///
/// ```
/// WARDEN-MODEL 1\n
/// {"calibration":…,"features":…,…}\n
/// <bias><w0><w1>…<w(2^bits - 1)>      Float32 LE
/// <checksum>                           UInt64 LE
/// ```
///
/// The checksum catches truncation and corruption without a cryptographic hash over megabytes
/// at every load; the rule set digest takes the header and the checksum, so a retrained model
/// changes the digest of every decision.
package enum ModelFile {
    package static let magic = "WARDEN-MODEL "

    package enum Failure: Error, Equatable, CustomStringConvertible {
        case notAModel
        case version(Int)
        case header(String)
        /// `expected` is nil when the file ends inside its header.
        case truncated(actual: Int, expected: Int?)
        case checksum

        package var description: String {
            switch self {
            case .notAModel:
                "not a Warden model (it does not start with '\(ModelFile.magic)\(ModelHeader.currentFormat)'); train one with 'warden train'"
            case .version(let v):
                "model format version \(v); this Warden reads version \(ModelHeader.currentFormat) (retrain it with 'warden train')"
            case .header(let why): "the model's header is not valid: \(why)"
            case .truncated(let actual, let expected?): "the model is truncated: \(actual) bytes where its header needs \(expected)"
            case .truncated(let actual, nil): "the model is truncated: \(actual) bytes, ending inside its header"
            case .checksum: "the model is corrupt: its checksum does not match its contents"
            }
        }
    }

    /// The file's bytes.
    package static func encode(header: ModelHeader, bias: Float, weights: [Float]) -> [UInt8] {
        var out = Array("\(magic)\(header.format)\n".utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        out += (try? encoder.encode(header)).map(Array.init) ?? []
        out.append(0x0A)
        out.reserveCapacity(out.count + 4 * (weights.count + 1) + 8)
        for value in [bias] + weights {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 }
        }
        withUnsafeBytes(of: checksum(out).littleEndian) { out += $0 }
        return out
    }

    /// Parses and verifies a file's bytes.
    /// The largest weight (and bias) a model file may hold.
    static let maxWeight: Float = 1_000_000

    package static func decode(_ bytes: [UInt8]) throws(Failure) -> (header: ModelHeader, bias: Float, weights: [Float], checksum: UInt64) {
        let magicBytes = Array(magic.utf8)
        guard bytes.count > magicBytes.count, Array(bytes[0..<magicBytes.count]) == magicBytes,
            let firstBreak = bytes[magicBytes.count...].prefix(16).firstIndex(of: 0x0A)
        else { throw .notAModel }
        guard let version = Int(String(decoding: bytes[magicBytes.count..<firstBreak], as: UTF8.self)) else { throw .notAModel }
        guard version == ModelHeader.currentFormat else { throw .version(version) }
        let headerLimit = 1 << 20
        guard let headerEnd = bytes[(firstBreak + 1)...].prefix(headerLimit).firstIndex(of: 0x0A) else {
            if bytes.count - firstBreak - 1 < headerLimit { throw .truncated(actual: bytes.count, expected: nil) }
            throw .header("a header line of over \(headerLimit) bytes")
        }
        let header: ModelHeader
        do {
            header = try JSONDecoder().decode(ModelHeader.self, from: Data(bytes[(firstBreak + 1)..<headerEnd]))
        } catch {
            throw .header(Self.describe(error))
        }
        guard header.format == ModelHeader.currentFormat else { throw .version(header.format) }
        if let problem = header.features.problem { throw .header(problem) }
        if header.calibration.method != "platt" || !header.calibration.a.isFinite || !header.calibration.b.isFinite {
            throw .header("calibration must be 'platt' with finite a and b")
        }
        let count = (1 << header.features.bits) + 1
        let payload = headerEnd + 1
        let expected = payload + 4 * count + 8
        guard bytes.count >= expected else { throw .truncated(actual: bytes.count, expected: expected) }
        guard bytes.count == expected else {
            let extra = bytes.count - expected
            throw .header("\(extra) byte\(extra == 1 ? "" : "s") after its checksum")
        }
        let stored = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: expected - 8, as: UInt64.self)) }
        let sum = bytes.withUnsafeBufferPointer { checksum(UnsafeBufferPointer(rebasing: $0[0..<(expected - 8)])) }
        guard sum == stored else { throw .checksum }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: payload + 4 * i, as: UInt32.self)))
            }
        }
        guard values.allSatisfy(\.isFinite) else { throw .header("weights that are not finite numbers") }
        // Trained weights are a few units; one near Float's limit overflows the sum of a text's
        // n-grams to infinity, and the score came out 0 without a word.
        guard values.allSatisfy({ abs($0) <= maxWeight }) else {
            throw .header("weights beyond ±\(Int(maxWeight)) (a trained model's are a few units; these would overflow a text's sum)")
        }
        let bias = values.removeFirst()
        return (header, bias, values, sum)
    }

    /// A 64-bit hash over 8-byte words (then the tail), with the length mixed in.
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt64 {
        let sum: UInt64? = bytes.withContiguousStorageIfAvailable { checksum($0) }
        return sum ?? checksum(Array(bytes))
    }

    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x6A09_E667_F3BC_C908 ^ UInt64(bytes.count)
        let raw = UnsafeRawBufferPointer(bytes)
        let words = bytes.count / 8
        for i in 0..<words {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
            h = ((h ^ w) &* 0x9E37_79B9_7F4A_7C15)
            h ^= h >> 32
        }
        for i in (8 * words)..<bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01B3
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "not JSON" : "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' is not valid"
        default: "\(error)"
        }
    }
}
