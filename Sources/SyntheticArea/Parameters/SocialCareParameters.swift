/// How people come to adult social care, what they are assessed as needing, the services
/// they get, at what price, and how those services end.
public struct SocialCareParameters: Codable, Sendable, Hashable {
    /// Contacts a year from the community (GP, self, family), by age, before frailty.
    public var communityContactsPerYear: AgeRates
    /// Who a community contact comes from (codes: gp, self, family, other).
    public var contactSources: [WeightedCode]
    /// What follows a community contact (codes: information-and-advice, assessment,
    /// reablement, equipment).
    public var contactOutcomes: [WeightedCode]
    /// After an emergency admission of someone 65 or over who goes home: the chance of a
    /// referral to reablement, and of a request for long-term care, before frailty.
    public var dischargeToReablementShare65Plus: Double
    public var dischargeToLongTermCareShare65Plus: Double
    /// In a Care Act assessment, the chance that a person cannot achieve each outcome:
    /// a base, plus this much per long-term condition, plus this much from age 85.
    public var outcomeUnableBase: Double
    public var outcomeUnablePerCondition: Double
    public var outcomeUnableAged85Plus: Double
    /// Ways of being unable to achieve an outcome (Care Act regulations), by weight.
    public var unableReasons: [WeightedCode]
    /// What an eligible person gets (codes: home-care, residential, nursing, direct-payment).
    public var longTermServices: [WeightedCode]
    /// Share of people getting long-term support at the start of the period, by age
    /// (home care, residential, nursing).
    public var homeCareAtStart: AgeRates
    public var residentialAtStart: AgeRates
    public var nursingAtStart: AgeRates
    /// Hours a week of a home care package: fewest and most.
    public var homeCareHoursPerWeek: [Int]
    /// A direct payment's weekly amount in pence: lowest and highest.
    public var directPaymentWeeklyPence: [Int]
    /// Reablement lasts up to six weeks (free of charge); length in days, shortest and longest.
    public var reablementDays: [Int]
    /// What a person needs when reablement ends (codes: none, home-care, residential, nursing).
    public var afterReablement: [WeightedCode]
    /// Weeks after a service starts to its first review, then months between reviews.
    public var firstReviewWeeks: Int
    public var reviewEveryMonths: Int
    /// What a review finds (codes: no-change, increased, decreased, ended).
    public var reviewOutcomes: [WeightedCode]
    /// Share of respite stays among placements for people living at home with a carer, a year.
    public var respiteStaysPerYearWithCarer: Double
    /// Share of discharges needing social care that are delayed, the mean delay in days,
    /// and why (codes A to I with the responsible agency in the display's first word).
    public var delayedDischargeShare: Double
    public var delayedDischargeMeanDays: Double
    public var delayReasons: [DelayReason]
    /// Carers: the chance that another adult in the household is recorded as the person's
    /// carer, then that the carer is assessed, then that the carer has eligible needs.
    public var carerRecordedShare: Double
    public var carerAssessedShare: Double
    public var carerEligibleShare: Double
    /// Equipment after an assessment or reablement: the chance, and the catalogue.
    public var equipmentShare: Double
    public var equipment: [EquipmentItem]
    /// Minor adaptations (free up to £1,000) and major ones through the Disabled Facilities Grant.
    public var minorAdaptationShare: Double
    public var minorAdaptationPence: [Int]
    public var majorAdaptationShare: Double
    public var majorAdaptationPence: [Int]
    /// The financial assessment: capital in pence (bands by weight), weekly income in pence,
    /// home ownership from 65 and property values.
    public var capitalBands: [CapitalBand]
    public var weeklyIncomePence: [Int]
    public var homeOwnerShare65Plus: Double
    public var propertyValuePence: [Int]
    public var weeklyDisabilityExpenditurePence: [Int]
    /// NHS continuing healthcare: the share of nursing home placements and of people 85+
    /// with home care who are eligible. Other nursing home residents get funded nursing care.
    public var continuingHealthcareShareOfNursing: Double
    public var continuingHealthcareShareOfHomeCare85Plus: Double

    public struct DelayReason: Codable, Sendable, Hashable {
        public var code: String
        public var display: String
        /// nhs, social-care or both.
        public var agency: String
        public var weight: Double
    }

    public struct EquipmentItem: Codable, Sendable, Hashable {
        public var code: String
        public var display: String
        public var costPence: Int
        public var weight: Double
    }

    public struct CapitalBand: Codable, Sendable, Hashable {
        public var fromPence: Int
        public var toPence: Int
        public var weight: Double
    }

    func problems() -> [String] {
        let path = "socialCare"
        var problems: [String] = []
        for (name, table) in [("communityContactsPerYear", communityContactsPerYear), ("homeCareAtStart", homeCareAtStart),
                              ("residentialAtStart", residentialAtStart), ("nursingAtStart", nursingAtStart)] {
            problems += table.problems("\(path).\(name)", max: 1)
        }
        for (name, codes) in [("contactSources", contactSources), ("contactOutcomes", contactOutcomes), ("unableReasons", unableReasons),
                              ("longTermServices", longTermServices), ("afterReablement", afterReablement), ("reviewOutcomes", reviewOutcomes)] {
            problems += weightProblem("\(path).\(name)", codes)
        }
        for (name, value) in [("dischargeToReablementShare65Plus", dischargeToReablementShare65Plus),
                              ("dischargeToLongTermCareShare65Plus", dischargeToLongTermCareShare65Plus),
                              ("outcomeUnableBase", outcomeUnableBase), ("outcomeUnablePerCondition", outcomeUnablePerCondition),
                              ("outcomeUnableAged85Plus", outcomeUnableAged85Plus), ("respiteStaysPerYearWithCarer", respiteStaysPerYearWithCarer),
                              ("delayedDischargeShare", delayedDischargeShare), ("carerRecordedShare", carerRecordedShare),
                              ("carerAssessedShare", carerAssessedShare), ("carerEligibleShare", carerEligibleShare),
                              ("equipmentShare", equipmentShare), ("minorAdaptationShare", minorAdaptationShare),
                              ("majorAdaptationShare", majorAdaptationShare), ("homeOwnerShare65Plus", homeOwnerShare65Plus),
                              ("continuingHealthcareShareOfNursing", continuingHealthcareShareOfNursing),
                              ("continuingHealthcareShareOfHomeCare85Plus", continuingHealthcareShareOfHomeCare85Plus)] {
            problems += shareProblem("\(path).\(name)", value)
        }
        for (name, range) in [("homeCareHoursPerWeek", homeCareHoursPerWeek), ("directPaymentWeeklyPence", directPaymentWeeklyPence),
                              ("reablementDays", reablementDays), ("minorAdaptationPence", minorAdaptationPence),
                              ("majorAdaptationPence", majorAdaptationPence), ("weeklyIncomePence", weeklyIncomePence),
                              ("propertyValuePence", propertyValuePence), ("weeklyDisabilityExpenditurePence", weeklyDisabilityExpenditurePence)] {
            problems += rangeProblem("\(path).\(name)", range)
        }
        if reablementDays.count == 2, reablementDays[0] < 1 { problems.append("\(path).reablementDays must start at 1 or more") }
        if firstReviewWeeks < 1 || reviewEveryMonths < 1 { problems.append("\(path).firstReviewWeeks and reviewEveryMonths must be at least 1") }
        if delayedDischargeMeanDays < 1 { problems.append("\(path).delayedDischargeMeanDays must be at least 1") }
        if delayReasons.isEmpty || delayReasons.contains(where: { !["nhs", "social-care", "both"].contains($0.agency) || $0.weight < 0 }) {
            problems.append("\(path).delayReasons must list reasons with agency nhs, social-care or both")
        }
        if equipment.isEmpty || equipment.contains(where: { $0.costPence < 0 || $0.weight < 0 }) {
            problems.append("\(path).equipment must list items with non-negative costs and weights")
        }
        if capitalBands.isEmpty || capitalBands.contains(where: { $0.fromPence > $0.toPence || $0.fromPence < 0 || $0.weight < 0 }) {
            problems.append("\(path).capitalBands must list bands with fromPence <= toPence and non-negative weights")
        }
        return problems
    }
}
