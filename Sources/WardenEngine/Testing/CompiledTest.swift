import WardenLanguage

/// A `test` block ready to run: events built from its steps, expectations resolved.
package struct CompiledTest: Sendable {
    package enum Step: Sendable {
        case event(EventStepPlan)
        case after(seconds: Int)
    }

    package struct EventStepPlan: Sendable {
        package var template: Event
        /// Whether the step set `ts` itself.
        package var fixedTime: Bool
        package var repeatCount: Int
        package var every: Int?
        package var expectations: [Expectation]
        /// Where the step is written: `file:line`.
        package var location: String
    }

    package var name: String
    package var location: String
    package var steps: [Step]
    /// Run on the rule set compiled with its optional models absent.
    package var withoutModels = false
}
