import FHIR

/// Generates a whole local area from parameters and a seed: the same inputs give the same
/// resources, byte for byte. Each part of the area draws from its own derived random stream,
/// so a change to one part does not reshuffle the others.
public struct AreaGenerator: Sendable {
    public let parameters: AreaParameters
    public let options: GeneratorOptions

    public init(parameters: AreaParameters = .defaults, options: GeneratorOptions) {
        self.parameters = parameters
        self.options = options
    }

    /// Calls `emit` with every resource in a fixed order: organisations, then each person
    /// followed by their conditions.
    public func generate(_ emit: (JSON) throws -> Void) throws {
        let root = SeededGenerator(seed: options.seed)
        var organisationStream = root.derived(1)
        let organisations = Organisations(parameters: parameters, people: options.people).build(&organisationStream)
        for resource in organisations.resources { try emit(resource) }
        var peopleStream = root.derived(2)
        try Population(parameters: parameters, options: options, practices: organisations.practices,
                       healthStream: root.derived(3))
            .generate(&peopleStream, emit: emit)
    }
}
