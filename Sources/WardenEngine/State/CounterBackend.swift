/// Where counter state lives: the engine's in-memory store, or a store shared by every engine
/// that points at it (Redis). The engine talks to both through this one interface.
///
/// The engine works out steps and windows itself, so a backend only stores buckets and sums
/// them: one `apply` call carries every counter update of one event (one round trip).
public protocol CounterBackend: Sendable {
    /// Counts (where `commit`) and reads every operation, in order; one value per operation.
    func apply(_ operations: [CounterOperation]) throws(CounterStateError) -> [Double]
    /// `apply`, with the values written into a buffer the caller reuses from event to event.
    func apply(_ operations: [CounterOperation], into values: inout [Double]) throws(CounterStateError)
    /// `apply`, and the penalties in force for `queries` at `t` read in the same round trip (one
    /// per event on the common path); nil when this backend does not hold the ledger, and the
    /// engine then asks the ledger. Only the counters' failure throws.
    func apply(
        _ operations: [CounterOperation], into values: inout [Double], inForce queries: [PenaltyQuery], at t: Double
    ) throws(CounterStateError) -> [PenaltyRecord?]?
}

extension CounterBackend {
    public func apply(_ operations: [CounterOperation], into values: inout [Double]) throws(CounterStateError) {
        values = try apply(operations)
    }

    public func apply(
        _ operations: [CounterOperation], into values: inout [Double], inForce queries: [PenaltyQuery], at t: Double
    ) throws(CounterStateError) -> [PenaltyRecord?]? {
        try apply(operations, into: &values)
        return nil
    }
}

/// One counter update (or read) for one key.
public struct CounterOperation: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Sum of amounts per step (count adds 1).
        case series
        /// Distinct values: per value hash, the newest step it was seen in.
        case distinct
    }

    /// The counter's position in the rule set (the in-memory store's slot).
    public var index: Int
    public var kind: Kind
    /// The counter's identity (a hash of its definition), so changed counters never share state.
    public var counter: String
    /// The key values, joined by U+001F.
    public var key: String
    /// The event's step; steps count from 2020-01-01 in the counter's step length.
    public var step: Int32
    /// The first step the value includes.
    public var windowStart: Int32
    /// Buckets older than the key's newest step minus this are dropped.
    public var keepSteps: Int32
    /// What the event adds (count: 1; sum: the field's value); unused for distinct.
    public var amount: Double
    /// Distinct: the hashes of the event's values.
    public var hashes: [UInt64]
    /// Whether this event counts (false: `where:` did not hold, a read only).
    public var counts: Bool
    /// Whether to store it (false in dry runs: the value is what it would be).
    public var commit: Bool
    /// Milliseconds after which an untouched key may vanish.
    public var ttlMilliseconds: Int
}

/// The counter state could not be read or written (Redis down, slow or refusing).
public struct CounterStateError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
