import CareRecord
import FHIR
import Foundation
@testable import SyntheticArea
import Testing

@Suite("Synthetic area: output that validates, resolves and loads")
struct AreaOutputTests {
    static let small: GeneratedArea = try! GeneratedArea(people: 3000, seed: 11)

    @Test func everyResourceIsValidFHIR() {
        let validator = ResourceValidator()
        var types: Set<String> = []
        for resource in Self.small.resources {
            types.insert(resource["resourceType"]?.stringValue ?? "")
            let errors = validator.validate(resource).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(resource.id): \(errors)")
        }
        #expect(types.isSuperset(of: ["Patient", "Organization", "Encounter", "Condition", "MedicationRequest", "ServiceRequest",
                                      "QuestionnaireResponse", "EpisodeOfCare", "Questionnaire"]))
    }

    @Test func everyReferenceResolvesWithinTheArea() {
        let area = GeneratedArea.standard
        let ids = Set(area.resources.map { "\($0["resourceType"]?.stringValue ?? "")/\($0.id)" })
        #expect(ids.count == area.resources.count, "ids are unique within each type")
        var checked = 0
        for resource in area.resources {
            for reference in references(in: resource) {
                #expect(ids.contains(reference), "\(resource.id) -> \(reference)")
                checked += 1
            }
        }
        #expect(checked > 200_000)
        // Questionnaire responses answer questionnaires of the same area.
        let urls = Set(area.of("Questionnaire").compactMap { $0["url"]?.stringValue })
        #expect(area.of("QuestionnaireResponse").allSatisfy { urls.contains($0["questionnaire"]?.stringValue ?? "") })
    }

    @Test func nothingHappensOutsideThePeriodOrAfterDeath() {
        let area = GeneratedArea.standard
        let patients = area.patientsByID
        for encounter in area.of("Encounter") {
            let start = String(encounter["period"]?["start"]?.stringValue?.prefix(10) ?? "")
            #expect(start >= "2024-04-01" && start < GeneratedArea.end, "\(encounter.id) at \(start)")
            if let death = patients[encounter.subjectID ?? ""]?.deceased { #expect(start <= death, "\(encounter.id) after death") }
        }
    }

    @Test func theNDJSONAndTheBundlesLoadIntoTheRecord() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-area-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try OutputFiles(directory: folder.path, gzip: false)
        let ndjson = NDJSONDirectoryWriter(files: files)
        let bundles = BundleDirectoryWriter(files: files, entriesPerBundle: 400)
        try AreaGenerator(options: GeneratorOptions(people: 300, seed: 3, start: GeneratedArea.start, months: 24)).generate { resource in
            try ndjson.write(resource)
            try bundles.write(resource)
        }
        try ndjson.close()
        try bundles.close()
        let total = ndjson.countsByType.values.reduce(0, +)

        let record = try CareRecord(path: folder.appendingPathComponent("ndjson.sqlite").path)
        var summary = ImportSummary()
        for type in ndjson.countsByType.keys.sorted() {
            try await Importer(record: record).importFile(folder.appendingPathComponent("\(type).ndjson").path, into: &summary)
        }
        #expect(summary.failureCount == 0)
        #expect(summary.storedByType == ndjson.countsByType)

        let fromBundles = try CareRecord(path: folder.appendingPathComponent("bundles.sqlite").path)
        var bundleSummary = ImportSummary()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("bundles").path).sorted()
        #expect(names.count == (total + 399) / 400)
        for name in names {
            try await Importer(record: fromBundles).importFile(folder.appendingPathComponent("bundles/\(name)").path, into: &bundleSummary)
        }
        #expect(bundleSummary.failureCount == 0)
        #expect(bundleSummary.storedByType == ndjson.countsByType)
    }
}
