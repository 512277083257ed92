import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("CapabilityStatement")
    struct Capability {
        @Test func metadataDescribesTheServer() async throws {
            try await TestServer.run { fhir, _ in
                let response = try await fhir.get("/fhir/metadata")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/fhir+json; charset=utf-8")
                let statement = try response.json()
                #expect(statement["resourceType"] == "CapabilityStatement")
                #expect(statement["status"] == "active")
                #expect(statement["kind"] == "instance")
                #expect(statement["fhirVersion"] == "4.0.1")
                #expect(statement["format"]?.elements.contains("application/fhir+json") == true)
                #expect(statement["patchFormat"]?.elements.contains("application/json-patch+json") == true)

                let rest = try #require(statement["rest"]?[0])
                #expect(rest["mode"] == "server")
                let systemInteractions = Set(rest["interaction"]?.elements.compactMap { $0["code"]?.stringValue } ?? [])
                #expect(systemInteractions == ["transaction", "batch", "history-system"])

                let resources = rest["resource"]?.elements ?? []
                #expect(resources.count >= 140)
                let types = resources.compactMap { $0["type"]?.stringValue }
                #expect(types.count == resources.count)
                #expect(Set(types).count == types.count)
                for type in ["Patient", "Observation", "Encounter", "Bundle", "Binary", "Practitioner", "Organization",
                             "MedicationRequest", "AllergyIntolerance", "Condition", "Procedure", "ExplanationOfBenefit"] {
                    #expect(types.contains(type), "\(type) missing")
                }
                // Only concrete resource types can be read and written.
                #expect(!types.contains("Resource"))
                #expect(!types.contains("DomainResource"))

                let patient = try #require(resources.first { $0["type"] == "Patient" })
                let interactions = patient["interaction"]?.elements.compactMap { $0["code"]?.stringValue } ?? []
                #expect(Set(interactions) == ["read", "vread", "update", "patch", "delete", "history-instance",
                                              "history-type", "create", "search-type"])
                #expect(patient["versioning"] == "versioned-update")
                #expect(patient["updateCreate"] == true)
                #expect(patient["conditionalCreate"] == true)
                #expect(patient["conditionalUpdate"] == true)
                #expect(patient["conditionalDelete"] == "single")
                let searchParams = Set(patient["searchParam"]?.elements.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(searchParams == ["_id", "identifier"])
            }
        }

        @Test func everyListedTypeIsServed() async throws {
            try await TestServer.run { fhir, _ in
                let statement = try await fhir.get("/fhir/metadata").json()
                let types = statement["rest"]?[0]?["resource"]?.elements.compactMap { $0["type"]?.stringValue } ?? []
                for type in types {
                    let response = try await fhir.get("/fhir/\(type)/_history?_count=1")
                    #expect(response.status == .ok, "\(type): \(response.status)")
                }
            }
        }
    }
}
