import Foundation
import Synchronization

/// Places instants in calendar periods of a time zone: `per: day` resets at local midnight.
///
/// Time zone offsets are cached per UTC hour, so the Foundation call happens about once per
/// hour of event time rather than once per event.
final class CalendarClock: Sendable {
    private let zone: TimeZone
    /// The last hour asked about and the zone's offset then.
    private let cache = Mutex((hour: Int.min, offset: 0))

    /// The time zone's name, as the rule set gives it.
    let identifier: String

    init(identifier: String) {
        self.identifier = identifier
        zone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// Seconds east of UTC at instant `t`.
    func offset(at t: Double) -> Int {
        let hour = Int((t / 3600).rounded(.down))
        return cache.withLock { cached in
            if hour != cached.hour {
                cached = (hour, zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) * 3600)))
            }
            return cached.offset
        }
    }

    /// The index of the period containing `t`: local minutes, hours, days, or weeks starting Monday.
    func period(_ t: Double, seconds: Int) -> Int {
        let local = Int((t + Double(offset(at: t))).rounded(.down))
        if seconds == 604_800 {
            // 1970-01-01 was a Thursday: shift so weeks start on Monday.
            return Self.floorDiv(local + 3 * 86_400, seconds)
        }
        return Self.floorDiv(local, seconds)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
