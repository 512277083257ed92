/// Births, deaths and moves over the period.
public struct DemographyParameters: Codable, Sendable, Hashable {
    /// Live births a year per woman aged 15 to 44 (the general fertility rate / 1000).
    public var birthsPerWomanAged15To44PerYear: Double
    /// Deaths a year per person, by age, before frailty.
    public var mortalityPerYear: AgeRates
    /// Share of deaths that happen in hospital (of people not living in a care home).
    public var deathsInHospitalShare: Double
    /// Share of care home residents' deaths that happen in hospital.
    public var careHomeDeathsInHospitalShare: Double
    /// Households arriving from outside the area a year, as a share of the starting households.
    public var householdsMovingInPerYear: Double
    /// Chance a year that a household leaves the area.
    public var householdsMovingOutPerYear: Double
    /// Chance a year that a household moves to another address in the area.
    public var householdsMovingWithinPerYear: Double
    /// Places outside the area that people come from and go to.
    public var otherAreas: [OtherArea]

    public struct OtherArea: Codable, Sendable, Hashable {
        public var postcodeArea: String
        public var town: String
    }

    func problems() -> [String] {
        var problems = mortalityPerYear.problems("demography.mortalityPerYear", max: 1)
        if birthsPerWomanAged15To44PerYear < 0 || birthsPerWomanAged15To44PerYear > 1 {
            problems.append("demography.birthsPerWomanAged15To44PerYear must be between 0 and 1")
        }
        for (name, value) in [("deathsInHospitalShare", deathsInHospitalShare), ("careHomeDeathsInHospitalShare", careHomeDeathsInHospitalShare),
                              ("householdsMovingInPerYear", householdsMovingInPerYear), ("householdsMovingOutPerYear", householdsMovingOutPerYear),
                              ("householdsMovingWithinPerYear", householdsMovingWithinPerYear)] {
            problems += shareProblem("demography.\(name)", value)
        }
        if otherAreas.isEmpty { problems.append("demography.otherAreas is empty") }
        return problems
    }
}
