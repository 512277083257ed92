import CareRecord
import FHIR
import Foundation
import Testing

extension FHIRServerTests {
    /// Real-world input: the Synthea batch bundles, posted as they are.
    @Suite("Synthea bundles")
    struct Synthea {
        static let files = [
            "hospitalInformation1603148702656.json",
            "practitionerInformation1603148702656.json",
            "Bibi254_Schowalter414_475d72ca-91c7-7211-97e3-f000af33fc04.json",
            "Cris921_Rath779_d4519c92-d241-b2b2-7360-291d60be699e.json",
            "Roland928_Nienow652_13b1a0f2-dceb-37a2-f32b-f0ca6e3b9925.json",
        ]

        @Test func everyEntryIsCreatedAndEveryReferenceResolves() async throws {
            try await TestServer.run { fhir, record in
                var expected = 0
                for file in Self.files {
                    let bytes = try [UInt8](Data(contentsOf: Mock.syntheaDirectory.appendingPathComponent(file)))
                    let sent = try JSON.parse(bytes)
                    expected += sent.entries.count
                    let response = try await fhir.send(.post, "/fhir", body: bytes, contentType: FHIRClient.fhirJSON)
                    #expect(response.status == .ok, "\(file): \(response.text.prefix(500))")
                    let result = try response.json()
                    #expect(result["type"] == "batch-response")
                    #expect(result.entries.count == sent.entries.count, "\(file)")
                    for (index, entry) in result.entries.enumerated() {
                        #expect(entry["response"]?["status"] == "201 Created",
                                "\(file) entry \(index): \(entry["response"].map { JSONSerializer.string($0) } ?? "none")")
                    }
                }

                let versions = try await record.allVersions()
                #expect(versions.count == expected)
                #expect(try await record.counts().values.reduce(0, +) == expected)

                var references: Set<String> = []
                for version in versions {
                    let resource = try JSON.parse(version.body)
                    for reference in resource.references where !reference.hasPrefix("#") {
                        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
                        #expect(parts.count == 2 && FHIRDefinitions.r4.isResourceType(String(parts[0]))
                                    && ResourceID.isValid(parts[1]),
                                "\(version.key) has reference \(reference)")
                        references.insert(reference)
                    }
                }
                #expect(references.count > 20)
                for reference in references.sorted() {
                    let response = try await fhir.get("/fhir/\(reference)")
                    #expect(response.status == .ok, "\(reference) answered \(response.status)")
                }
            }
        }
    }
}
