import CareRecord
import FHIR
import Foundation
import SyntheticArea
import Testing

@Suite("Synthetic area: organisations and people")
struct AreaGeneratorTests {
    static let start = FHIRInstant(parsing: "2024-04-01")!

    static func generate(people: Int, seed: UInt64, parameters: AreaParameters = .defaults) throws -> [JSON] {
        var resources: [JSON] = []
        try AreaGenerator(parameters: parameters, options: GeneratorOptions(people: people, seed: seed, start: start, months: 24))
            .generate { resources.append($0) }
        return resources
    }

    static let area: [JSON] = (try? generate(people: 20_000, seed: 42)) ?? []
    static var patients: [JSON] { area.filter { $0["resourceType"] == "Patient" } }

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        let first = try Self.generate(people: 2000, seed: 9).map(JSONSerializer.bytes)
        let second = try Self.generate(people: 2000, seed: 9).map(JSONSerializer.bytes)
        let other = try Self.generate(people: 2000, seed: 10).map(JSONSerializer.bytes)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func thePopulationHasTheSizeAsked() {
        #expect(Self.patients.count == 20_000)
        #expect(Set(Self.patients.compactMap { $0["id"]?.stringValue }).count == 20_000)
    }

    @Test func ageStructureFollowsThePyramid() throws {
        let bands = AreaParameters.defaults.population.ageBands
        let total = bands.map(\.weight).reduce(0, +)
        var counts = Array(repeating: 0, count: bands.count)
        var females = Array(repeating: 0, count: bands.count)
        for patient in Self.patients {
            let age = try #require(ageAtStart(of: patient))
            let band = try #require(bands.firstIndex { $0.from <= age && age <= $0.to }, "age \(age) in no band")
            counts[band] += 1
            if patient["gender"] == "female" { females[band] += 1 }
        }
        for (index, band) in bands.enumerated() {
            let expected = band.weight / total
            let observed = Double(counts[index]) / Double(Self.patients.count)
            #expect(abs(observed - expected) < 0.01, "band \(band.from)-\(band.to): \(observed) against \(expected)")
        }
        // Women outnumber men in old age, as the parameters say.
        let oldest = bands.indices.suffix(2)
        let femaleShare = Double(oldest.map { females[$0] }.reduce(0, +)) / Double(oldest.map { counts[$0] }.reduce(0, +))
        #expect(femaleShare > 0.58 && femaleShare < 0.72)
    }

    @Test func conditionPrevalenceFollowsTheParametersByAgeAndSex() throws {
        var expected: [String: Double] = [:]
        var variance: [String: Double] = [:]
        let conditions = AreaParameters.defaults.health.conditions
        for patient in Self.patients {
            let age = try #require(ageAtStart(of: patient))
            let female = patient["gender"] == "female"
            for condition in conditions {
                let chance = condition.chance(age: age, female: female)
                expected[condition.snomed, default: 0] += chance
                variance[condition.snomed, default: 0] += chance * (1 - chance)
            }
        }
        var observed: [String: Double] = [:]
        for resource in Self.area where resource["resourceType"] == "Condition" {
            let code = try #require(resource["code"]?["coding"]?.arrayValue?.first?["code"]?.stringValue)
            observed[code, default: 0] += 1
        }
        for condition in conditions {
            let want = expected[condition.snomed] ?? 0
            let got = observed[condition.snomed] ?? 0
            // Within four standard deviations of a sum of independent draws.
            #expect(abs(got - want) <= 4 * (variance[condition.snomed] ?? 0).squareRoot() + 1,
                    "\(condition.name): \(got) against \(want)")
        }
        #expect((observed["38341003"] ?? 0) > 2000, "hypertension is common in 20,000 people")
    }

    @Test func conditionsBelongToTheirPatientAndStartBeforeThePeriod() {
        for resource in Self.area where resource["resourceType"] == "Condition" {
            let onset = resource["onsetDateTime"]?.stringValue ?? ""
            #expect(onset <= "2024-04-01" && onset.count == 10)
            #expect(resource["subject"]?["reference"]?.stringValue.map { resource["id"]?.stringValue?.hasPrefix(String($0.dropFirst(8))) == true } == true)
        }
    }

    @Test func nhsNumbersAreValidDistinctAndInThe999Range() {
        let numbers = Self.patients.compactMap { $0["identifier"]?.arrayValue?.first?["value"]?.stringValue }
        #expect(numbers.count == 20_000)
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy { $0.hasPrefix("999") && NHSNumber.isValid($0) })
    }

    @Test func everyResourceIsValidFHIR() {
        let validator = ResourceValidator()
        for resource in Self.area.prefix(3000) {
            let errors = validator.validate(resource).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(resource["id"]?.stringValue ?? "?"): \(errors)")
        }
    }

    @Test func everyReferenceResolvesWithinTheArea() {
        let ids = Set(Self.area.compactMap { resource in
            resource["id"]?.stringValue.map { "\(resource["resourceType"]?.stringValue ?? "")/\($0)" }
        })
        var checked = 0
        for resource in Self.area {
            for reference in references(in: resource) {
                #expect(ids.contains(reference), "\(reference)")
                checked += 1
            }
        }
        #expect(checked >= 20_000)
    }

    @Test func theAreaHasItsProviders() {
        let organisations = Self.area.filter { $0["resourceType"] == "Organization" }
        func kind(_ organisation: JSON) -> String? {
            organisation["type"]?.arrayValue?.compactMap { $0["coding"]?.arrayValue?.first }
                .first { $0["system"]?.stringValue == AreaIdentifiers.providerKind }?["code"]?.stringValue
        }
        let kinds = organisations.compactMap(kind)
        let practices = kinds.filter { $0 == "gp-practice" }.count
        #expect(practices == Int((20_000.0 / Double(AreaParameters.defaults.providers.peoplePerGPPractice)).rounded()))
        #expect(kinds.contains("residential-home") && kinds.contains("nursing-home") && kinds.contains("home-care"))
        for home in organisations where kind(home) == "nursing-home" {
            let beds = home["extension"]?.arrayValue?.first { $0["url"]?.stringValue == AreaIdentifiers.careHomeBeds }?["valueInteger"]
            let range = AreaParameters.defaults.providers.careHomeBeds
            #expect(beds.flatMap { if case .number(let text) = $0 { Int(text) } else { nil } }.map { range[0] <= $0 && $0 <= range[1] } == true)
        }
    }

    @Test func householdsShareAnAddress() {
        var addresses: [String: Int] = [:]
        for patient in Self.patients {
            let address = patient["address"].map { String(decoding: JSONSerializer.bytes($0), as: UTF8.self) } ?? ""
            addresses[address, default: 0] += 1
        }
        let averageSize = Double(Self.patients.count) / Double(addresses.count)
        let sizes = AreaParameters.defaults.population.householdSizes
        let expected = sizes.enumerated().map { Double($0.offset + 1) * $0.element }.reduce(0, +) / sizes.reduce(0, +)
        #expect(abs(averageSize - expected) < 0.15, "\(averageSize) against \(expected)")
    }

    @Test func theOutputImportsIntoTheRecord() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-area-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try NDJSONDirectoryWriter(directory: folder.path)
        try AreaGenerator(options: GeneratorOptions(people: 500, seed: 3, start: Self.start, months: 24)).generate(writer.write)
        try writer.close()
        let record = try CareRecord(path: folder.appendingPathComponent("record.sqlite").path)
        var summary = ImportSummary()
        for type in ["Organization", "Patient"] {
            try await Importer(record: record).importFile(folder.appendingPathComponent("\(type).ndjson").path, into: &summary)
        }
        #expect(summary.failureCount == 0)
        #expect(summary.storedByType["Patient"] == 500)
        #expect(summary.storedByType["Organization"] == writer.countsByType["Organization"])
    }

    private func ageAtStart(of patient: JSON) -> Int? {
        guard let text = patient["birthDate"]?.stringValue, let birth = FHIRInstant(parsing: text) else { return nil }
        let startParts = Self.start.description.prefix(10).split(separator: "-").compactMap { Int($0) }
        let birthParts = birth.description.prefix(10).split(separator: "-").compactMap { Int($0) }
        var years = startParts[0] - birthParts[0]
        if (startParts[1], startParts[2]) < (birthParts[1], birthParts[2]) { years -= 1 }
        return years
    }

    private func references(in value: JSON) -> [String] {
        switch value {
        case .object(let object):
            object.flatMap { member -> [String] in
                if member.key == "reference", let text = member.value.stringValue { return [text] }
                return references(in: member.value)
            }
        case .array(let array): array.flatMap(references)
        default: []
        }
    }
}
