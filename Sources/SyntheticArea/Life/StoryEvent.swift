/// Something that happens to a person on a day. Random happenings are drawn for the whole
/// period at the start of a story; follow-ups (the end of reablement, reviews, the 91-day
/// check) are scheduled as the story unfolds.
struct StoryEvent {
    enum Kind {
        case gpConsultation
        case emergencyDepartment
        case fall
        case emergencyAdmission
        case electiveAdmission
        case terminalAdmission
        case communityContact
        case respite
        case death
        case leavesArea
        case reablementEnds(episode: Int)
        case review(service: Int)
        case reablementOutcome(episode: Int)
    }

    var day: Day
    /// Ties on a day keep the order the events were made in, so stories are reproducible.
    var sequence: Int
    var kind: Kind

    func precedes(_ other: StoryEvent) -> Bool {
        day != other.day ? day < other.day : sequence < other.sequence
    }
}
