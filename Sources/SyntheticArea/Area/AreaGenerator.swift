import FHIR

/// Generates a whole local area from parameters and a seed: the same inputs give the same
/// resources and records, byte for byte. Each part draws from its own derived random stream
/// (each person from their own), so a change to one part does not reshuffle the others.
public struct AreaGenerator: Sendable {
    /// Changes whenever the same seed and parameters would give different output, so that a
    /// store or file made by an older generator can be told apart (the demo store is).
    public static let version = "2026-11-23.2"

    public let parameters: AreaParameters
    public let options: GeneratorOptions

    public init(parameters: AreaParameters = .defaults, options: GeneratorOptions) {
        self.parameters = parameters
        self.options = options
    }

    /// Calls `emit` with every FHIR resource; see `generate(resource:councilRecord:)`.
    public func generate(_ emit: (JSON) throws -> Void) throws {
        _ = try generate(resource: emit, councilRecord: { _ in })
    }

    /// Calls `resource` with every FHIR resource in a fixed order (organisations and
    /// questionnaires, then household by household each person's Patient followed by their
    /// story), and `councilRecord` with every row of the council's client export, household by
    /// household. Memory stays flat: a household is forgotten once written.
    @discardableResult
    public func generate(resource: (JSON) throws -> Void, councilRecord: (CouncilClientRecord) throws -> Void) throws -> AreaSummary {
        let root = SeededGenerator(seed: options.seed)
        var organisationStream = root.derived(1)
        let organisations = Organisations(parameters: parameters, people: options.people).build(&organisationStream)
        for item in organisations.resources { try resource(item) }
        for item in CareActQuestionnaires.resources() { try resource(item) }
        let start = Day(options.start)
        let context = AreaContext(parameters: parameters, start: start, end: start.adding(months: options.months),
                                  providers: organisations.providers)
        let lifeStream = root.derived(5)
        var council = CouncilRecords(parameters: parameters, stream: root.derived(6))
        var summary = AreaSummary()
        var peopleStream = root.derived(2)
        try Population(parameters: parameters, options: options, practices: organisations.practices, healthStream: root.derived(3))
            .generate(&peopleStream) { household in
                var known: [Int: Day] = [:]
                for resident in household.residents {
                    var story = PersonStory(context: context, household: household, resident: resident, stream: lifeStream)
                    for item in story.tell() { try resource(item) }
                    known.merge(story.knownToCouncil) { min($0, $1) }
                    summary.count(resident, in: household, context: context)
                }
                for resident in household.residents {
                    guard let day = known[resident.number] else { continue }
                    for record in council.records(for: resident, in: household, knownFrom: day) {
                        try councilRecord(record)
                        summary.councilRecords += 1
                    }
                    summary.peopleKnownToCouncil += 1
                }
            }
        return summary
    }
}

/// What a generated area holds, for the command's report.
public struct AreaSummary: Sendable, Hashable {
    public var peopleAtStart = 0
    public var born = 0
    public var movedIn = 0
    public var died = 0
    public var movedOut = 0
    public var withoutNHSNumber = 0
    public var peopleKnownToCouncil = 0
    public var councilRecords = 0

    public var people: Int { peopleAtStart + born + movedIn }

    mutating func count(_ resident: Resident, in household: Household, context: AreaContext) {
        if resident.arrives == nil { peopleAtStart += 1 } else if resident.arrives == household.arrives { movedIn += 1 } else { born += 1 }
        if resident.dies.map({ $0 < context.end }) == true { died += 1 } else if household.leaves.map({ $0 < context.end }) == true { movedOut += 1 }
        if resident.nhsNumber == nil { withoutNHSNumber += 1 }
    }
}
