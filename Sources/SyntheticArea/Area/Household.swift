import FHIR

/// A postal address in or out of the area.
struct Address: Hashable, Sendable {
    var line: String
    var city: String
    var postcode: String
}

/// A person as the area knows them before their story is told: who they are, their
/// long-term conditions, and when they arrive (birth or moving in) and die.
struct Resident: Sendable {
    let number: Int
    let id: String
    let female: Bool
    let birth: Day
    let given: String
    let surname: String
    let nhsNumber: String?
    /// Indexes into the condition parameters, with the day each began.
    var conditions: [(index: Int, onset: Day)]
    /// Born or moved in during the period; nil when here at its start.
    var arrives: Day?
    /// The day they die, if within the period.
    var dies: Day?

    func age(on day: Day) -> Int { day.years(since: birth) }
}

/// People at one address: they share it, their moves and (mostly) a family name and a GP.
struct Household: Sendable {
    let number: Int
    var residents: [Resident] = []
    /// Addresses in the area in order, each from the day it starts (nil: before the period).
    var addresses: [(address: Address, from: Day?)]
    /// Where an arriving household lived before.
    var previousAddress: Address?
    /// The day the household arrived (moved in), or nil when here at the start.
    var arrives: Day?
    /// The day the household left the area, and where it went.
    var leaves: Day?
    var leavesTo: Address?
    let practice: String

    func address(on day: Day) -> Address {
        var current = addresses[0].address
        for entry in addresses.dropFirst() where entry.from.map({ $0 <= day }) == true { current = entry.address }
        return current
    }

    /// The address the household had before `day`'s, if any (what a stale record keeps).
    func addressBefore(_ day: Day) -> Address? {
        var previous = previousAddress
        var current = addresses[0].address
        for entry in addresses.dropFirst() where entry.from.map({ $0 <= day }) == true {
            previous = current
            current = entry.address
        }
        return previous
    }
}
