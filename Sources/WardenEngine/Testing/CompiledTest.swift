import WardenLanguage

/// A `test` block ready to run: events built from its steps, expectations resolved.
public struct CompiledTest: Sendable {
    public enum Step: Sendable {
        case event(EventStepPlan)
        case after(seconds: Int)
    }

    public struct EventStepPlan: Sendable {
        public var template: Event
        /// Whether the step set `ts` itself.
        public var fixedTime: Bool
        public var repeatCount: Int
        public var every: Int?
        public var expectations: [Expectation]
        /// Where the step is written: `file:line`.
        public var location: String
    }

    public var name: String
    public var location: String
    public var steps: [Step]
}
