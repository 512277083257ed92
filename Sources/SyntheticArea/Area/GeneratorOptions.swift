import FHIR

/// What to generate: how many people, from which seed, over which period.
public struct GeneratorOptions: Sendable, Hashable {
    public var people: Int
    public var seed: UInt64
    /// The first day of the period; ages are as at this day.
    public var start: FHIRInstant
    public var months: Int

    public init(people: Int, seed: UInt64, start: FHIRInstant, months: Int) {
        self.people = people
        self.seed = seed
        self.start = start
        self.months = months
    }
}
