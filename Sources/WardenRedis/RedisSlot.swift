/// Redis Cluster's hash slots: CRC16 (XMODEM) of the key, or of the part inside the first
/// non-empty `{…}` (the hash tag), modulo 16,384.
package enum RedisSlot {
    package static let count = 16_384

    package static func of(_ key: String) -> Int {
        var bytes = Array(key.utf8)
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        {
            bytes = Array(bytes[(open + 1)..<close])
        }
        return Int(crc16(bytes)) % count
    }

    static func crc16(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }

    /// The key a command routes by, or nil for a command without one (MULTI, SCRIPT, PING).
    static func key(of command: [String]) -> String? {
        guard let name = command.first?.uppercased() else { return nil }
        switch name {
        case "EVAL", "EVALSHA":
            guard command.count > 3, let keys = Int(command[2]), keys > 0 else { return nil }
            return command[3]
        case "XREAD", "XREADGROUP":
            // XREAD [COUNT n] [BLOCK ms] STREAMS key …: the key follows STREAMS.
            guard let i = command.firstIndex(where: { $0.uppercased() == "STREAMS" }), i + 1 < command.count else { return nil }
            return command[i + 1]
        case "MULTI", "EXEC", "DISCARD", "PING", "SCRIPT", "ASKING", "CLUSTER", "INFO", "FLUSHALL", "KEYS", "DBSIZE":
            return nil
        default:
            return command.count > 1 ? command[1] : nil
        }
    }
}
