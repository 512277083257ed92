import FHIR

/// One person's health and social care over the period, told as the systems involved would
/// record it: GP consultations, A&E, admissions and discharges, falls, social care contacts,
/// assessments, reablement, packages and placements, reviews, and how each ends. Every draw
/// comes from the person's own random stream, so a story depends only on the seed, the
/// parameters and the person, never on the order people are generated in.
struct PersonStory {
    let context: AreaContext
    let household: Household
    let resident: Resident
    var generator: SeededGenerator
    /// Multiplies the person's rates of care: 1 + frailtyPerCondition per long-term condition.
    let frailty: Double
    /// The first day nothing more happens: death, leaving the area or the end of the period.
    let gone: Day

    var resources: [JSON] = []
    var services: [Service] = []
    var episodes: [Episode] = []
    /// The first day each resident (this person or their carer) was known to the council.
    var knownToCouncil: [Int: Day] = [:]

    var events: [StoryEvent] = []
    var cursor = 0
    var scheduled: [StoryEvent] = []
    var sequence = 0
    var counter = 0

    /// The current or last hospital stay: admitted on the first day, in hospital before the second.
    var hospital: (admitted: Day, until: Day)?
    /// The permanent care home placement the person lives in, as an index into `services`.
    var careHome: Int?
    var carer: (resident: Resident, relatedPerson: String)?
    var carerConsidered = false
    var financiallyAssessed = false

    init(context: AreaContext, household: Household, resident: Resident, stream: SeededGenerator) {
        self.context = context
        self.household = household
        self.resident = resident
        generator = stream.derived(UInt64(resident.number))
        frailty = 1 + context.parameters.activity.frailtyPerCondition * Double(resident.conditions.count)
        gone = min(resident.dies ?? context.end, household.leaves ?? context.end, context.end)
    }

    var parameters: AreaParameters { context.parameters }
    var from: Day { resident.arrives ?? context.start }
    var patient: String { resident.id }

    func age(on day: Day) -> Int { resident.age(on: day) }

    func inHospital(on day: Day) -> Bool {
        hospital.map { $0.admitted <= day && day < $0.until } ?? false
    }

    /// A new id for one of this person's resources: their id, a letter for the kind, a number.
    mutating func nextID(_ kind: String) -> String {
        counter += 1
        return "\(patient)-\(kind)\(counter)"
    }

    mutating func schedule(_ kind: StoryEvent.Kind, on day: Day) {
        guard day < gone else { return }
        sequence += 1
        scheduled.append(StoryEvent(day: day, sequence: sequence, kind: kind))
    }

    mutating func markKnown(_ resident: Resident, on day: Day) {
        knownToCouncil[resident.number] = min(knownToCouncil[resident.number] ?? day, day)
    }

    /// Tells the story and returns its resources, the Patient first.
    mutating func tell() -> [JSON] {
        writeConditionsAndMedicines()
        if resident.arrives == nil { servicesAtStart() }
        drawEvents()
        while let event = nextEvent() { handle(event) }
        return finish()
    }

    private mutating func nextEvent() -> StoryEvent? {
        var best: Int?
        for index in scheduled.indices where best.map({ scheduled[index].precedes(scheduled[$0]) }) ?? true { best = index }
        if cursor < events.count, best.map({ events[cursor].precedes(scheduled[$0]) }) ?? true {
            cursor += 1
            return events[cursor - 1]
        }
        return best.map { scheduled.remove(at: $0) }
    }

    /// Draws every random happening of the period, month by month at the age of the month.
    private mutating func drawEvents() {
        let activity = parameters.activity
        var month = from
        while month < gone {
            let next = min(month.adding(months: 1), gone)
            let age = age(on: month)
            let years = Double(next - month) / 365.25
            let rates: [(Double, StoryEvent.Kind)] = [
                (activity.gpConsultationsPerYear.value(at: age) * frailty, .gpConsultation),
                (activity.emergencyDepartmentPerYear.value(at: age) * frailty, .emergencyDepartment),
                (activity.fallsPerYear.value(at: age) * frailty, .fall),
                (activity.emergencyAdmissionsPerYear.value(at: age) * frailty, .emergencyAdmission),
                (activity.electiveAdmissionsPerYear.value(at: age), .electiveAdmission),
                (parameters.socialCare.communityContactsPerYear.value(at: age) * frailty, .communityContact),
                (parameters.socialCare.respiteStaysPerYearWithCarer, .respite),
            ]
            for (rate, kind) in rates {
                for _ in 0..<generator.poisson(rate * years) {
                    sequence += 1
                    events.append(StoryEvent(day: month + generator.between(0, next - month - 1), sequence: sequence, kind: kind))
                }
            }
            month = next
        }
        if let dies = resident.dies, dies < context.end, dies == gone {
            sequence += 1
            events.append(StoryEvent(day: dies, sequence: sequence, kind: .death))
            // Deaths in hospital end an emergency admission; it is drawn now so the stay
            // keeps other events out.
            if generator.chance(parameters.demography.deathsInHospitalShare) {
                let stay = generator.days(mean: activity.emergencyLengthOfStayDays.value(at: age(on: dies)))
                sequence += 1
                events.append(StoryEvent(day: max(from, dies - stay), sequence: sequence, kind: .terminalAdmission))
            }
        } else if let leaves = household.leaves, leaves == gone, leaves < context.end {
            sequence += 1
            events.append(StoryEvent(day: leaves, sequence: sequence, kind: .leavesArea))
        }
        events.sort { $0.precedes($1) }
    }

    private mutating func handle(_ event: StoryEvent) {
        let day = event.day
        switch event.kind {
        case .death: end(on: day, reason: ("died", "Died"))
        case .leavesArea: end(on: day, reason: ("moved-out-of-area", "Moved out of the area"))
        case .reablementEnds(let episode): reablementEnds(episode, on: day)
        case .reablementOutcome(let episode): reablementOutcome(episode, on: day)
        case .review(let service):
            if inHospital(on: day), let until = hospital?.until {
                schedule(.review(service: service), on: until + 1)
            } else {
                review(service, on: day)
            }
        default:
            guard day < gone, !inHospital(on: day) else { return }
            switch event.kind {
            case .gpConsultation: gpConsultation(on: day)
            case .emergencyDepartment: emergencyDepartment(on: day)
            case .fall: fall(on: day)
            case .emergencyAdmission: emergencyAdmission(on: day, reason: nil)
            case .electiveAdmission: electiveAdmission(on: day)
            case .terminalAdmission:
                if careHome != nil, !generator.chance(parameters.demography.careHomeDeathsInHospitalShare
                                                      / max(parameters.demography.deathsInHospitalShare, 0.0001)) { return }
                emergencyAdmission(on: day, reason: nil, terminal: true)
            case .communityContact: communityContact(on: day)
            case .respite: respite(on: day)
            default: break
            }
        }
    }
}
