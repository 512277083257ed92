import Foundation
import Testing
@testable import FHIR

@Suite("Validation of real Synthea bundles")
struct ValidationSyntheaTests {
    static let fixtures: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // FHIRTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/fixtures/synthea-r4")
        .standardizedFileURL

    static func bundles() throws -> [(name: String, bundle: JSON)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
        return try names.map { name in
            let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
            return (name, try JSONParser().parse(data))
        }
    }

    @Test("every resource of every Synthea bundle validates without errors")
    func everyEntryIsValid() throws {
        let validator = ResourceValidator()
        let bundles = try Self.bundles()
        #expect(bundles.count == 5)
        var resources = 0
        for (name, bundle) in bundles {
            let entries = try #require(bundle["entry"]?.arrayValue)
            for (index, entry) in entries.enumerated() {
                let resource = try #require(entry["resource"])
                resources += 1
                let errors = validator.validate(resource).filter { $0.severity == .error }
                #expect(errors.isEmpty, "\(name) entry \(index): \(errors)")
            }
        }
        #expect(resources == 273)
    }

    @Test("whole Synthea bundles validate, with entry resources checked recursively")
    func wholeBundlesAreValid() throws {
        let validator = ResourceValidator()
        for (name, bundle) in try Self.bundles() {
            let issues = validator.validate(bundle)
            #expect(issues.isEmpty, "\(name): \(issues)")
        }
    }

    @Test("a fault deep inside a bundle entry is reported with its full location")
    func faultInsideBundle() throws {
        let (_, original) = try #require(try Self.bundles().first { $0.name.hasPrefix("Bibi") })
        guard case .object(var bundle) = original, case .array(var entries)? = bundle["entry"],
              case .object(var entry) = entries[0], case .object(var patient)? = entry["resource"]
        else { Issue.record("unexpected bundle shape"); return }
        #expect(patient["resourceType"] == "Patient")
        patient["birthDate"] = "1990-02-30"
        entry["resource"] = .object(patient)
        entries[0] = .object(entry)
        bundle["entry"] = .array(entries)
        let issues = ResourceValidator().validate(.object(bundle))
        #expect(issues.count == 1)
        #expect(issues.first?.code == .value)
        #expect(issues.first?.expression == ["Bundle.entry[0].resource.birthDate"])
    }
}
