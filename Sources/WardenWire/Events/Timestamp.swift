import Foundation

/// RFC 3339 timestamps and duration strings, parsed by hand: exact, fast, and no locale.
public enum Timestamp {
    /// Seconds since 1970 for `2026-11-26T09:30:00Z`, `2026-11-26T17:30:00.250+08:00` (also `t`/`z`
    /// and a space for `T`); nil when malformed or out of range.
    public static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for k in from..<(from + count) {
                guard k < b.count, b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        guard let year = num(0, 4), b[4] == 0x2D, let month = num(5, 2), b[7] == 0x2D, let day = num(8, 2),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 0x20,
            let hour = num(11, 2), b[13] == 0x3A, let minute = num(14, 2), b[16] == 0x3A, let second = num(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second <= 60 else {
            return nil
        }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = num(i + 4, 2), oh < 24, om < 60 else {
                return nil
            }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// `2026-11-26T09:30:00Z` (with milliseconds when there are any).
    public static func format(_ seconds: Double) -> String {
        // Within what RFC 3339 can write (years 0000 to 9999): a time read from a damaged store
        // (1e300) would otherwise trap converting to Int.
        let seconds = seconds.isNaN ? 0 : min(max(seconds, -62_167_219_200), 253_402_300_799.999)
        // Rounded to the millisecond first: 12.9996 is 13.000, not 12 and 1,000 ms.
        let total = Int((seconds * 1000).rounded())
        let whole = total >= 0 ? total / 1000 : (total - 999) / 1000
        let millis = total - whole * 1000
        var days = whole / 86_400
        var rest = whole % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (y, m, d) = civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        let year = String(String(y + 10_000).dropFirst())  // four digits: 0001, not 1
        var s = "\(year)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))"
        if millis > 0 { s += "." + String(String(millis + 1000).dropFirst()) }
        return s + "Z"
    }

    /// The time in a zone with its offset, `2026-11-26T17:30:00+08:00`; UTC (`Z`) when `zone`
    /// is nil or UTC. Reports and traces show a rule set's local time this way.
    public static func format(_ seconds: Double, zone: TimeZone?) -> String {
        guard let zone else { return format(seconds) }
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        if offset == 0 { return format(seconds) }
        return String(format(seconds + Double(offset)).dropLast()) + offsetText(offset)
    }

    /// An RFC 3339 time, or a local `YYYY-MM-DD[ HH:MM[:SS]]` (a `T` may stand for the space) in
    /// `zone` (an IANA name; UTC when unknown): what `--since`/`--until` and backtests take.
    public static func parse(_ text: String, localIn zone: String) -> Double? {
        if let t = parse(text) { return t }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let d = formatter.date(from: text) { return d.timeIntervalSince1970 }
        }
        return nil
    }

    /// A zone's offset from UTC at an instant, `+08:00`.
    public static func offsetText(at seconds: Double, zone: TimeZone) -> String {
        offsetText(zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds)))
    }

    static func offsetText(_ offset: Int) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return (offset < 0 ? "-" : "+") + two(abs(offset) / 3600) + ":" + two(abs(offset) / 60 % 60)
    }

    /// Seconds in `30s`, `5m`, `72h`, `1d`, `2w`, or a plain number of seconds.
    public static func parseDuration(_ text: String) -> Double? {
        guard let last = text.last else { return nil }
        let factor: Double
        switch last {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        case "d": factor = 86_400
        case "w": factor = 604_800
        default: return Double(text).flatMap { $0 >= 0 ? $0 : nil }
        }
        guard let n = Double(text.dropLast()), n >= 0, n.isFinite else { return nil }
        return n * factor
    }

    /// `1d`, `36h`, `90s`: the largest unit that divides the duration.
    public static func formatDuration(_ seconds: Int) -> String {
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
