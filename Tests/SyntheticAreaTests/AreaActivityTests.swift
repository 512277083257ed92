import FHIR
import Foundation
@testable import SyntheticArea
import Testing

@Suite("Synthetic area: health and social care activity")
struct AreaActivityTests {
    var area: GeneratedArea { .standard }
    let parameters = AreaParameters.defaults

    /// People here all period, with their age at its middle and their frailty multiplier.
    private func exposure() -> [(patient: JSON, age: Int, frailty: Double)] {
        var conditions: [String: Int] = [:]
        for condition in area.of("Condition") where condition["category"]?[0]?["coding"]?[0]?["code"] == "problem-list-item" {
            conditions[condition.subjectID ?? "", default: 0] += 1
        }
        return area.patients.filter(\.stayedThroughout).map { patient in
            (patient, patient.age(on: "2025-04-01"), 1 + parameters.activity.frailtyPerCondition * Double(conditions[patient.id] ?? 0))
        }
    }

    /// Observed counts against the rates in the parameters, within 8% (time in hospital and
    /// ageing within the period move them a little) or four standard deviations.
    private func expectRate(_ name: String, observed: Int, expected: Double) {
        let tolerance = max(0.08 * expected, 4 * expected.squareRoot())
        #expect(abs(Double(observed) - expected) <= tolerance, "\(name): \(observed) against \(expected)")
    }

    @Test func gpConsultationsAndEmergencyAdmissionsFollowTheRatesByAgeAndFrailty() {
        let people = exposure()
        let ids = Set(people.map(\.patient.id))
        let activity = parameters.activity
        var gp = 0.0, emergency = 0.0, emergency65 = 0.0
        for (_, age, frailty) in people {
            gp += 2 * activity.gpConsultationsPerYear.value(at: age) * frailty
            let admissions = 2 * frailty * (activity.emergencyAdmissionsPerYear.value(at: age)
                + activity.fallsPerYear.value(at: age) * activity.fallsAdmittedShare)
            emergency += admissions
            if age >= 65 { emergency65 += admissions }
        }
        let ages = Dictionary(uniqueKeysWithValues: people.map { ($0.patient.id, $0.age) })
        let encounters = area.of("Encounter").filter { ids.contains($0.subjectID ?? "") }
        let gpObserved = encounters.filter { $0["class"]?["code"] == "AMB" }.count
        let admissions = encounters.filter { $0["priority"]?["coding"]?[0]?["code"] == "EM" }
        expectRate("GP consultations", observed: gpObserved, expected: gp)
        expectRate("emergency admissions", observed: admissions.count, expected: emergency)
        expectRate("emergency admissions 65+", observed: admissions.filter { (ages[$0.subjectID ?? ""] ?? 0) >= 65 }.count, expected: emergency65)
        // Rates rise with age: the oldest are admitted far more often than adults under 45.
        func perPerson(_ range: ClosedRange<Int>) -> Double {
            let group = people.filter { range.contains($0.age) }
            let count = admissions.filter { range.contains(ages[$0.subjectID ?? ""] ?? -1) }.count
            return Double(count) / Double(max(1, group.count))
        }
        #expect(perPerson(85...120) > 4 * perPerson(18...44))
    }

    @Test func admissionsCarryClassAdmitSourceDispositionAndAPlausibleStay() throws {
        let admissions = area.of("Encounter").filter { $0["class"]?["code"] == "IMP" || $0["class"]?["code"] == "SS" }
        #expect(admissions.count > 1000)
        let elective = admissions.filter { $0["priority"]?["coding"]?[0]?["code"] == "EL" }
        #expect(!elective.isEmpty)
        for admission in admissions {
            #expect(admission["hospitalization"]?["admitSource"] != nil)
            guard admission["status"] == "finished" else { continue }
            let start = try #require(admission["period"]?["start"]?.stringValue)
            let end = try #require(admission["period"]?["end"]?.stringValue)
            #expect(start <= end)
            #expect(admission["hospitalization"]?["dischargeDisposition"] != nil)
        }
        // Deaths in hospital end an admission on the day of death.
        let patients = area.patientsByID
        let diedInHospital = admissions.filter { $0["hospitalization"]?["dischargeDisposition"]?["coding"]?[0]?["code"] == "exp" }
        #expect(!diedInHospital.isEmpty)
        for stay in diedInHospital {
            let death = patients[stay.subjectID ?? ""]?.deceased
            #expect(death != nil && stay["period"]?["end"]?.stringValue?.hasPrefix(death!) == true)
        }
        let share = Double(diedInHospital.count) / Double(area.summary.died)
        #expect(share > 0.3 && share < 0.6, "deaths in hospital \(share)")
    }

    @Test func fallsAreRecordedAndMostlyInOldAge() {
        let patients = area.patientsByID
        let falls = area.of("Condition").filter { $0.codes == ["217082002"] }
        #expect(falls.count > 100)
        let old = falls.filter { (patients[$0.subjectID ?? ""]?.age(on: "2025-04-01") ?? 0) >= 65 }
        #expect(Double(old.count) / Double(falls.count) > 0.5)
        #expect(falls.allSatisfy { $0["encounter"] != nil })
    }

    @Test func medicinesFollowConditionsSoFrailPeopleTakeMany() {
        var medicines: [String: Int] = [:]
        for request in area.of("MedicationRequest") { medicines[request.subjectID ?? "", default: 0] += 1 }
        #expect(medicines.values.contains { $0 >= 5 }, "some people on five or more regular medicines (polypharmacy)")
        let conditionIDs = Set(area.of("Condition").map(\.id))
        for request in area.of("MedicationRequest").prefix(2000) {
            let reason = request["reasonReference"]?[0]?["reference"]?.stringValue ?? ""
            #expect(conditionIDs.contains(String(reason.dropFirst("Condition/".count))))
        }
    }

    @Test func socialCareHasItsWholeJourney() throws {
        let services = area.of("ServiceRequest")
        func code(_ request: JSON) -> String { request.codes.first ?? "" }
        let kinds = Set(services.map(code))
        for kind in ["request-for-support", "home-care", "residential", "nursing", "direct-payment"] {
            #expect(kinds.contains(kind), "no \(kind)")
        }
        // Home care costs hours times the provider's hourly rate.
        let rates = Dictionary(uniqueKeysWithValues: area.of("Organization").compactMap { org in
            org.extensionValue(AreaIdentifiers.hourlyRatePence)?.integerValue.map { (org.id, $0) }
        })
        let homeCare = services.filter { code($0) == "home-care" }
        #expect(homeCare.count > 50)
        for package in homeCare {
            let hours = try #require(package["quantityQuantity"]?["value"]?.integerValue)
            let provider = String(package["performer"]?[0]?["reference"]?.stringValue?.dropFirst("Organization/".count) ?? "")
            let weekly = package.extensionValue(AreaIdentifiers.weeklyCostPence)?.integerValue
            #expect(hours >= 1)
            #expect(weekly == hours * (rates[provider] ?? -1), "\(package.id): \(hours) h at \(rates[provider] ?? -1) is not \(weekly ?? -1)")
        }
        // Every service that ended says why, and ends after it starts.
        for service in services where code(service) != "request-for-support" && service["status"] == "completed" {
            #expect(service.extensionValue(AreaIdentifiers.endReason) != nil)
            let period = try #require(service["occurrencePeriod"])
            #expect((period["start"]?.stringValue ?? "") <= (period["end"]?.stringValue ?? ""))
        }
        // Assessments answer the ten outcomes, and eligibility follows the two-outcome rule.
        let assessments = area.of("QuestionnaireResponse").filter { $0["questionnaire"]?.stringValue == AreaIdentifiers.careActAssessment }
        #expect(assessments.count > 50)
        for assessment in assessments {
            let items = assessment["item"]?.arrayValue ?? []
            let outcomes = items.first { $0["linkId"] == "outcomes" }?["item"]?.arrayValue ?? []
            #expect(outcomes.count == 10)
            let unable = outcomes.filter { !["achieved", "not-applicable"].contains($0["answer"]?[0]?["valueCoding"]?["code"]?.stringValue ?? "") }.count
            func answer(_ id: String) -> Bool? { items.first { $0["linkId"]?.stringValue == id }?["answer"]?[0]?["valueBoolean"]?.boolValue }
            #expect(answer("eligible") == (answer("impairment") == true && unable >= 2 && answer("wellbeing") == true))
        }
        #expect(!area.of("RelatedPerson").isEmpty)
        #expect(area.of("QuestionnaireResponse").contains { $0["questionnaire"]?.stringValue == AreaIdentifiers.carersAssessment })
        #expect(area.of("QuestionnaireResponse").contains { $0["questionnaire"]?.stringValue == AreaIdentifiers.financialAssessment })
        #expect(!area.of("DeviceRequest").isEmpty)
        let episodes = Set(area.of("EpisodeOfCare").flatMap(\.typeCodes))
        #expect(episodes.isSuperset(of: ["reablement", "continuing-healthcare", "funded-nursing-care"]))
    }

    @Test func reablementAfterDischargeIsFollowedTo91Days() throws {
        let patients = area.patientsByID
        let episodes = Dictionary(uniqueKeysWithValues: area.of("EpisodeOfCare").map { ($0.id, $0) })
        let outcomes = area.of("Observation").filter { $0.codes == ["reablement-91-day-outcome"] }
        #expect(outcomes.count > 20)
        for outcome in outcomes {
            let episodeID = String(outcome["focus"]?[0]?["reference"]?.stringValue?.dropFirst("EpisodeOfCare/".count) ?? "")
            let episode = try #require(episodes[episodeID])
            #expect(episode.extensionValue(AreaIdentifiers.dischargeEncounter) != nil)
            let value = outcome["valueCodeableConcept"]?["coding"]?[0]?["code"]?.stringValue
            let death = patients[outcome.subjectID ?? ""]?.deceased
            let day = outcome["effectiveDateTime"]?.stringValue ?? ""
            #expect((value == "died") == (death.map { $0 <= day } ?? false), "\(outcome.id): \(value ?? "-") death \(death ?? "-") day \(day)")
        }
        #expect(outcomes.contains { $0["valueCodeableConcept"]?["coding"]?[0]?["code"] == "at-home" })
    }

    @Test func delayedDischargesSayWhyAndWhoIsResponsible() {
        let delayed = area.of("Encounter").compactMap { $0["extension"]?.arrayValue?.first { $0["url"]?.stringValue == AreaIdentifiers.delayedTransfer } }
        #expect(delayed.count > 10)
        for delay in delayed {
            let parts = Dictionary(uniqueKeysWithValues: (delay["extension"]?.arrayValue ?? []).map { ($0["url"]?.stringValue ?? "", $0) })
            #expect(parts["readyForDischarge"]?["valueDate"] != nil)
            #expect(["nhs", "social-care", "both"].contains(parts["responsibleAgency"]?["valueCode"]?.stringValue ?? ""))
            #expect(parts["reason"]?["valueCoding"]?["code"] != nil)
        }
    }

    @Test func peopleAlreadySupportedAtTheStartLiveInCareHomesAtTheParameterRate() {
        let atStart = area.patients.filter { !$0.arrived }
        var expected = 0.0
        for patient in atStart {
            let age = patient.age(on: "2024-04-01")
            expected += parameters.socialCare.residentialAtStart.value(at: age) + parameters.socialCare.nursingAtStart.value(at: age)
        }
        let placements = area.of("ServiceRequest").filter { ["residential", "nursing"].contains($0.codes.first ?? "") }
            .filter { ($0["occurrencePeriod"]?["start"]?.stringValue ?? "") < "2024-04-01" }
        let people = Set(placements.compactMap(\.subjectID)).count
        expectRate("care home residents at the start", observed: people, expected: expected)
    }
}

extension JSON {
    var typeCodes: [String] {
        (self["type"]?.arrayValue ?? []).flatMap { ($0["coding"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue } }
    }
}
