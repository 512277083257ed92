import FHIR
import Foundation
@testable import SyntheticArea
import Testing

@Suite("Synthetic area: the council's client export and its ground truth")
struct CouncilRecordTests {
    /// An area with every error made common, so that each rate is measured on many records.
    static let noisy: GeneratedArea = {
        var parameters = AreaParameters.defaults
        for name in CouncilRecordParameters.rateNames { _ = parameters.councilRecords.setRate(name, 0.25) }
        _ = parameters.councilRecords.setRate("nhsNumberRecorded", 0.6)
        return try! GeneratedArea(people: 20_000, seed: 7, parameters: parameters)
    }()

    @Test func everyRecordMapsToAPersonAndEveryKnownPersonHasARecord() {
        let area = GeneratedArea.standard
        let patients = area.patientsByID
        #expect(area.council.count >= area.summary.peopleKnownToCouncil)
        #expect(area.council.allSatisfy { patients[$0.personID] != nil })
        #expect(Set(area.council.map(\.clientID)).count == area.council.count, "client ids are unique")
        #expect(Set(area.council.map(\.personID)).count == area.summary.peopleKnownToCouncil)
        // Everyone who had a social care contact is in the export.
        let contacted = Set(area.of("ServiceRequest").filter { $0.codes == ["request-for-support"] }.compactMap(\.subjectID))
        #expect(contacted.isSubset(of: Set(area.council.map(\.personID))))
    }

    @Test func theDefaultErrorRatesLandWhereTheParametersSay() {
        let area = GeneratedArea.standard
        let settings = AreaParameters.defaults.councilRecords
        let withNumber = Double(area.council.filter { !$0.nhsNumber.isEmpty }.count) / Double(area.council.count)
        #expect(abs(withNumber - settings.nhsNumberRecorded) < 0.05, "NHS number on \(withNumber)")
    }

    @Test func eachKindOfErrorHappensAtItsRate() throws {
        let area = Self.noisy
        let patients = area.patientsByID
        let records = area.council
        #expect(records.count > 800)
        var counts: [String: Int] = [:]
        var swappable = 0
        for record in records {
            let person = try #require(patients[record.personID])
            let given = person["name"]?[0]?["given"]?[0]?.stringValue ?? ""
            let family = person["name"]?[0]?["family"]?.stringValue ?? ""
            if record.surname != family { counts["surname", default: 0] += 1 }
            if record.forename != given { counts["forename", default: 0] += 1 }
            if record.postcode.isEmpty { counts["missingPostcode", default: 0] += 1 }
            if record.sex.isEmpty { counts["missingSex", default: 0] += 1 }
            if record.dateOfBirth.isEmpty { counts["missingDateOfBirth", default: 0] += 1 }
            let parts = person.birthDate.split(separator: "-")
            if Int(parts[2])! <= 12 && parts[1] != parts[2] {
                swappable += 1
                if record.dateOfBirth.hasPrefix("\(parts[1])/\(parts[2])/") { counts["swapped", default: 0] += 1 }
            }
            if record.nhsNumber.contains(" ") { counts["spaced", default: 0] += 1 }
            if !record.nhsNumber.isEmpty {
                #expect(record.nhsNumber.replacingOccurrences(of: " ", with: "") == person["identifier"]?[0]?["value"]?.stringValue)
            }
        }
        let total = Double(records.count)
        func near(_ name: String, _ expected: Double, of denominator: Double? = nil) {
            let observed = Double(counts[name] ?? 0) / (denominator ?? total)
            #expect(abs(observed - expected) < 0.05, "\(name): \(observed) against \(expected)")
        }
        near("surname", 0.25)
        near("missingPostcode", 0.25)
        near("missingSex", 0.25)
        // Missing dates hide some swaps and typos: 0.25 of 0.75 of the records.
        near("missingDateOfBirth", 0.25)
        near("swapped", 0.25 * 0.75 * 0.75, of: Double(swappable))
        // Forenames change by nickname (for names that have one) or typo.
        #expect(Double(counts["forename"] ?? 0) / total > 0.25)
        let people = Set(records.map(\.personID)).count
        let duplicates = Double(records.count - people) / Double(people)
        #expect(abs(duplicates - 0.25) < 0.05, "duplicates \(duplicates)")
    }

    @Test func typosAreSmallEditsOfTheName() {
        var generator = SeededGenerator(seed: 3)
        for name in ["Thompson", "Patel", "Begum", "Robinson"] {
            for _ in 0..<50 {
                let typed = RecordErrors.typo(name, &generator)
                #expect(typed != "" && abs(typed.count - name.count) <= 1)
                #expect(typed.first == name.first, "the first letter survives: \(typed)")
            }
        }
    }

    @Test func theCSVQuotesWhatNeedsQuoting() {
        var out: [UInt8] = []
        CouncilCSVWriter.row(["a", "b,c", "say \"hi\"", ""], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "a,\"b,c\",\"say \"\"hi\"\"\",\n")
    }
}
