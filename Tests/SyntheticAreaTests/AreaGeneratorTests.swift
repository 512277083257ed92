import CareRecord
import FHIR
import Foundation
@testable import SyntheticArea
import Testing

@Suite("Synthetic area: people and organisations")
struct AreaGeneratorTests {
    static let start = GeneratedArea.start

    static func generate(people: Int, seed: UInt64, parameters: AreaParameters = .defaults) throws -> [JSON] {
        try GeneratedArea(people: people, seed: seed, parameters: parameters).resources
    }

    var area: GeneratedArea { .standard }

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        func bytes(_ area: GeneratedArea) -> [[UInt8]] {
            area.resources.map(JSONSerializer.bytes) + area.council.map { Array($0.fields.joined(separator: ",").utf8) }
        }
        let first = bytes(try GeneratedArea(people: 2000, seed: 9))
        let second = bytes(try GeneratedArea(people: 2000, seed: 9))
        let other = bytes(try GeneratedArea(people: 2000, seed: 10))
        #expect(first == second)
        #expect(first != other)
    }

    @Test func thePopulationHasTheSizeAskedPlusBirthsAndArrivals() {
        let patients = area.patients
        #expect(patients.filter { !$0.arrived }.count == 20_000)
        #expect(area.summary.peopleAtStart == 20_000)
        #expect(patients.count == area.summary.people)
        #expect(Set(patients.map(\.id)).count == patients.count)
    }

    @Test func ageStructureFollowsThePyramid() throws {
        let bands = AreaParameters.defaults.population.ageBands
        let total = bands.map(\.weight).reduce(0, +)
        var counts = Array(repeating: 0, count: bands.count)
        var females = Array(repeating: 0, count: bands.count)
        let atStart = area.patients.filter { !$0.arrived }
        for patient in atStart {
            let age = patient.age(on: "2024-04-01")
            let band = try #require(bands.firstIndex { $0.from <= age && age <= $0.to }, "age \(age) in no band")
            counts[band] += 1
            if patient.isFemale { females[band] += 1 }
        }
        for (index, band) in bands.enumerated() {
            let observed = Double(counts[index]) / Double(atStart.count)
            #expect(abs(observed - band.weight / total) < 0.01, "band \(band.from)-\(band.to): \(observed)")
        }
        let oldest = bands.indices.suffix(2)
        let femaleShare = Double(oldest.map { females[$0] }.reduce(0, +)) / Double(oldest.map { counts[$0] }.reduce(0, +))
        #expect(femaleShare > 0.58 && femaleShare < 0.72)
    }

    @Test func conditionPrevalenceFollowsTheParametersByAgeAndSex() throws {
        var expected: [String: Double] = [:]
        var variance: [String: Double] = [:]
        let conditions = AreaParameters.defaults.health.conditions
        let atStart = area.patients.filter { !$0.arrived || $0.birthDate < "2024-04-01" }
        let ids = Set(atStart.map(\.id))
        for patient in atStart {
            let age = patient.age(on: "2024-04-01")
            for condition in conditions {
                let chance = condition.chance(age: age, female: patient.isFemale)
                expected[condition.snomed, default: 0] += chance
                variance[condition.snomed, default: 0] += chance * (1 - chance)
            }
        }
        var observed: [String: Double] = [:]
        for condition in area.of("Condition") where ids.contains(condition.subjectID ?? "") && condition["category"]?[0]?["coding"]?[0]?["code"] == "problem-list-item" {
            observed[condition.codes.first ?? "", default: 0] += 1
        }
        for condition in conditions {
            let want = expected[condition.snomed] ?? 0
            let got = observed[condition.snomed] ?? 0
            // Within four standard deviations of a sum of independent draws.
            #expect(abs(got - want) <= 4 * (variance[condition.snomed] ?? 0).squareRoot() + 1, "\(condition.name): \(got) against \(want)")
        }
        #expect((observed["38341003"] ?? 0) > 2000, "hypertension is common in 20,000 people")
    }

    @Test func nhsNumbersAreValidDistinctAndInThe999Range() {
        let numbers = area.patients.compactMap { $0["identifier"]?[0]?["value"]?.stringValue }
        #expect(numbers.count == area.patients.count)
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy { $0.hasPrefix("999") && NHSNumber.isValid($0) })
    }

    @Test func birthsDeathsAndMovesHappenAtTheParameterRates() {
        let demography = AreaParameters.defaults.demography
        let summary = area.summary
        // About 4% of households arrive and 4% leave a year: 8% of people over two years.
        let arrivals = Double(summary.movedIn) / 20_000
        let leavers = Double(summary.movedOut) / 20_000
        #expect(abs(arrivals - 2 * demography.householdsMovingInPerYear) < 0.02, "arrivals \(arrivals)")
        #expect(abs(leavers - 2 * (1 - exp(-demography.householdsMovingOutPerYear))) < 0.02, "leavers \(leavers)")
        #expect(summary.born > 200 && summary.born < 700, "births \(summary.born)")
        #expect(summary.died > 150 && summary.died < 600, "deaths \(summary.died)")
        // Everyone who died has a date of death in the period, after their birth.
        let dead = area.patients.filter { $0.deceased != nil }
        #expect(dead.count == summary.died)
        #expect(dead.allSatisfy { $0.deceased! >= "2024-04-01" && $0.deceased! < GeneratedArea.end && $0.deceased! >= $0.birthDate })
        // Babies are born into a household with a mother of the right age at the same address.
        let babies = area.patients.filter { $0.birthDate >= "2024-04-01" }
        #expect(babies.count == summary.born)
        #expect(babies.allSatisfy { $0.addresses.contains { $0["use"] == "home" } })
    }

    @Test func theAreaHasItsProviders() {
        let organisations = area.of("Organization")
        func kind(_ organisation: JSON) -> String? {
            organisation["type"]?.arrayValue?.compactMap { $0["coding"]?[0] }
                .first { $0["system"]?.stringValue == AreaIdentifiers.providerKind }?["code"]?.stringValue
        }
        let kinds = organisations.compactMap(kind)
        #expect(kinds.filter { $0 == "gp-practice" }.count == Int((20_000.0 / Double(AreaParameters.defaults.providers.peoplePerGPPractice)).rounded()))
        #expect(kinds.contains("residential-home") && kinds.contains("nursing-home") && kinds.contains("home-care"))
        for home in organisations where kind(home) == "nursing-home" {
            let beds = home.extensionValue(AreaIdentifiers.careHomeBeds)?.integerValue
            let range = AreaParameters.defaults.providers.careHomeBeds
            #expect(beds.map { range[0] <= $0 && $0 <= range[1] } == true)
        }
    }

    @Test func householdsShareAnAddress() {
        var addresses: [String: Int] = [:]
        for patient in area.patients where !patient.arrived {
            addresses[String(decoding: JSONSerializer.bytes(patient["address"]?[0] ?? .null), as: UTF8.self), default: 0] += 1
        }
        let averageSize = 20_000 / Double(addresses.count)
        let sizes = AreaParameters.defaults.population.householdSizes
        let expected = sizes.enumerated().map { Double($0.offset + 1) * $0.element }.reduce(0, +) / sizes.reduce(0, +)
        #expect(abs(averageSize - expected) < 0.15, "\(averageSize) against \(expected)")
    }
}
