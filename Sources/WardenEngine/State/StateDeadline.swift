import Glibc

/// The moment the current thread's check must be done with shared state (Redis): one deadline
/// for the whole check, not one per reply, so a Redis that stalls costs a check at most its
/// budget however many round trips it makes (counters, ledger reads, the lock, a penalty's
/// write). `WardenService` sets it around each check when it has a budget; the Redis clients
/// read it before every round trip and wait no longer than what is left.
///
/// Kept per thread (a check runs on one thread from start to end); work a check hands to other
/// threads (a cluster's nodes asked in parallel) takes `current` along explicitly.
public enum StateDeadline {
    /// The deadline is stored as the bit pattern of a monotonic time in the thread's slot: no
    /// allocation, nothing to free when a thread ends.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Seconds on the monotonic clock (the deadline's scale; never steps with the wall clock).
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The current thread's deadline on the monotonic clock, or nil when its work is unbounded.
    public static var current: Double? {
        guard let slot = pthread_getspecific(key) else { return nil }
        return Double(bitPattern: UInt64(UInt(bitPattern: slot)))
    }

    /// Seconds left before the deadline (negative once it passed), or nil without one.
    public static var remaining: Double? { current.map { $0 - now() } }

    /// Runs `body` with `deadline` as the thread's deadline (the earlier one when a deadline is
    /// already set), and restores the one before afterwards.
    public static func with<R, E: Error>(_ deadline: Double?, _ body: () throws(E) -> R) throws(E) -> R {
        // No deadline leaves the current one as it is: nothing to set (a check without a budget
        // costs no thread-slot calls).
        guard let deadline else { return try body() }
        let saved = pthread_getspecific(key)
        let earlier = min(current ?? deadline, deadline)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: UInt(earlier.bitPattern)))
        defer { pthread_setspecific(key, saved) }
        return try body()
    }

    /// Runs `body` with a deadline `seconds` from now (none when `seconds` is nil).
    public static func within<R, E: Error>(seconds: Double?, _ body: () throws(E) -> R) throws(E) -> R {
        try with(seconds.map { now() + $0 }, body)
    }
}
