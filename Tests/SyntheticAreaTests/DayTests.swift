import FHIR
@testable import SyntheticArea
import Testing

@Suite("Synthetic area: days")
struct DayTests {
    @Test func daysRoundTripThroughTheCalendar() {
        let leap = Day(year: 2024, month: 2, day: 29)
        #expect(leap.description == "2024-02-29")
        #expect((leap + 1).description == "2024-03-01")
        #expect(Day(FHIRInstant(parsing: "2024-04-01")!).description == "2024-04-01")
        #expect(Day(year: 1970, month: 1, day: 1).number == 0)
        #expect(Day(year: 1969, month: 12, day: 31).number == -1)
    }

    @Test func addingMonthsKeepsTheDayOrTakesTheMonthsLast() {
        #expect(Day(year: 2024, month: 1, day: 31).adding(months: 1).description == "2024-02-29")
        #expect(Day(year: 2025, month: 1, day: 31).adding(months: 1).description == "2025-02-28")
        #expect(Day(year: 2024, month: 4, day: 1).adding(months: 24).description == "2026-04-01")
        #expect(Day(year: 2024, month: 11, day: 15).adding(months: 2).description == "2025-01-15")
    }

    @Test func agesTurnOnTheBirthday() {
        let birth = Day(year: 2000, month: 2, day: 29)
        #expect(Day(year: 2024, month: 2, day: 28).years(since: birth) == 23)
        #expect(Day(year: 2024, month: 2, day: 29).years(since: birth) == 24)
        #expect(Day(year: 2025, month: 3, day: 1).years(since: birth) == 25)
        #expect(Day(year: 2024, month: 5, day: 6).britishDate == "06/05/2024")
    }
}
