import CareRecord
import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("Batches")
    struct Batches {
        @Test func batchEntriesFailAlone() async throws {
            try await TestServer.run { fhir, record in
                let bundle = Mock.bundle("batch", [
                    Mock.entry("POST", "Patient", resource: Mock.patient()),
                    Mock.entry("POST", "Patient", resource: Mock.patient(gender: "unknown-x")),
                    Mock.entry("POST", "Observation", resource: Mock.observation(subject: "Patient/whoever")),
                    Mock.entry("GET", "Patient/nobody"),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok, "\(response.text)")
                let result = try response.json()
                #expect(result["type"] == "batch-response")
                let entries = result.entries
                try #require(entries.count == 4)
                #expect(entries[0]["response"]?["status"] == "201 Created")
                #expect(entries[1]["response"]?["status"] == "400 Bad Request")
                #expect(entries[1]["response"]?["outcome"]?["resourceType"] == "OperationOutcome")
                #expect(entries[1]["response"]?["outcome"]?.allExpressions.allSatisfy { $0.hasPrefix("Bundle.entry[1]") } == true)
                #expect(entries[2]["response"]?["status"] == "201 Created")
                #expect(entries[3]["response"]?["status"] == "404 Not Found")
                #expect(try await record.counts() == ["Patient": 1, "Observation": 1])
            }
        }

        /// A batch resolves references between its entries; an entry that refers to an entry
        /// that failed must not be stored pointing at a resource that was never created.
        @Test func batchEntryReferringToAFailedEntryIsNotStoredDangling() async throws {
            try await TestServer.run { fhir, record in
                let urn = Mock.urn()
                let bundle = Mock.bundle("batch", [
                    Mock.entry("POST", "Patient", resource: Mock.patient(gender: "unknown-x"), fullUrl: urn),
                    Mock.entry("POST", "Observation", resource: Mock.observation(subject: urn)),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok)
                let entries = try response.json().entries
                #expect(entries.first?["response"]?["status"] == "400 Bad Request")
                let status = entries.last?["response"]?["status"]?.stringValue ?? ""
                #expect(status.hasPrefix("4"), "entry 1 answered \(status)")
                for version in try await record.allVersions() {
                    for reference in try JSON.parse(version.body).references {
                        #expect(try await fhir.get("/fhir/" + reference).status == .ok,
                                "\(version.key) refers to \(reference), which does not exist")
                    }
                }
            }
        }
    }
}
