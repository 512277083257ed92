/// How often people use health services, by age, and how frailty raises it.
public struct ActivityParameters: Codable, Sendable, Hashable {
    /// Each long-term condition a person has multiplies their rates (and their chance of
    /// dying, needing care) by 1 + this.
    public var frailtyPerCondition: Double
    public var gpConsultationsPerYear: AgeRates
    /// A&E attendances a year that do not end in admission.
    public var emergencyDepartmentPerYear: AgeRates
    /// Emergency (non-elective) admissions a year, other than for falls.
    public var emergencyAdmissionsPerYear: AgeRates
    /// Share of emergency admissions that come through A&E (the rest from a GP or a clinic).
    public var emergencyAdmissionsThroughEDShare: Double
    public var electiveAdmissionsPerYear: AgeRates
    /// Share of elective admissions that are day cases (admitted and discharged the same day).
    public var electiveDayCaseShare: Double
    /// Falls a year that reach A&E.
    public var fallsPerYear: AgeRates
    /// Share of falls that reach A&E and end in an emergency admission.
    public var fallsAdmittedShare: Double
    /// Mean length of stay in days of an emergency admission, by age.
    public var emergencyLengthOfStayDays: AgeRates
    public var electiveLengthOfStayDays: AgeRates
    /// Why people are admitted in an emergency (SNOMED CT), by weight.
    public var emergencyReasons: [WeightedCode]
    public var electiveReasons: [WeightedCode]
    public var emergencyDepartmentReasons: [WeightedCode]

    func problems() -> [String] {
        var problems: [String] = []
        if frailtyPerCondition < 0 { problems.append("activity.frailtyPerCondition must not be negative") }
        for (name, table) in [("gpConsultationsPerYear", gpConsultationsPerYear), ("emergencyDepartmentPerYear", emergencyDepartmentPerYear),
                              ("emergencyAdmissionsPerYear", emergencyAdmissionsPerYear), ("electiveAdmissionsPerYear", electiveAdmissionsPerYear),
                              ("fallsPerYear", fallsPerYear), ("emergencyLengthOfStayDays", emergencyLengthOfStayDays),
                              ("electiveLengthOfStayDays", electiveLengthOfStayDays)] {
            problems += table.problems("activity.\(name)", max: 400)
        }
        problems += shareProblem("activity.emergencyAdmissionsThroughEDShare", emergencyAdmissionsThroughEDShare)
        problems += shareProblem("activity.electiveDayCaseShare", electiveDayCaseShare)
        problems += shareProblem("activity.fallsAdmittedShare", fallsAdmittedShare)
        problems += weightProblem("activity.emergencyReasons", emergencyReasons)
        problems += weightProblem("activity.electiveReasons", electiveReasons)
        problems += weightProblem("activity.emergencyDepartmentReasons", emergencyDepartmentReasons)
        return problems
    }
}
