import FHIR

/// A calendar day as a count of days since 1970-01-01. The generator reasons in whole days
/// (lengths of stay, 91 days after discharge, weekly prices) and writes FHIR dates from them;
/// converting by hand keeps Foundation's slow calendars out of a loop that runs millions of times.
struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    var number: Int

    init(_ number: Int) { self.number = number }

    init(_ instant: FHIRInstant) {
        let ms = instant.millisecondsSince1970
        number = Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000)
    }

    init(year: Int, month: Int, day: Int) {
        number = CivilTime.daysFromCivil(year: year, month: month, day: day)
    }

    static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }
    static func + (lhs: Day, rhs: Int) -> Day { Day(lhs.number + rhs) }
    static func - (lhs: Day, rhs: Int) -> Day { Day(lhs.number - rhs) }
    static func - (lhs: Day, rhs: Day) -> Int { lhs.number - rhs.number }

    var civil: (year: Int, month: Int, day: Int) {
        let (year, month, day) = CivilTime.civil(fromDays: number)
        return (year, month, day)
    }

    /// The same day `months` later (the last day of the month when it has fewer days).
    func adding(months: Int) -> Day {
        let (year, month, day) = civil
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12, newMonth = total % 12 + 1
        return Day(year: newYear, month: newMonth, day: min(day, CivilTime.daysIn(month: newMonth, year: newYear)))
    }

    /// Whole years of age on this day of someone born on `birth`.
    func years(since birth: Day) -> Int {
        let now = civil, then = birth.civil
        var years = now.year - then.year
        if (now.month, now.day) < (then.month, then.day) { years -= 1 }
        return years
    }

    /// `YYYY-MM-DD`.
    var description: String {
        let (year, month, day) = civil
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// A FHIR dateTime at `minute` minutes past midnight, UK civil time written as UTC.
    func dateTime(minute: Int) -> String {
        let clamped = max(0, min(minute, 1439))
        return "\(description)T\(pad(clamped / 60, 2)):\(pad(clamped % 60, 2)):00Z"
    }

    /// `dd/MM/yyyy`, as council case systems export dates.
    var britishDate: String {
        let (year, month, day) = civil
        return "\(pad(day, 2))/\(pad(month, 2))/\(pad(year, 4))"
    }
}
