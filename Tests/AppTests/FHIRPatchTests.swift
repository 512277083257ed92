import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("JSON Patch")
    struct Patch {
        @Test func replaceAddsAVersion() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient(gender: "female"))
                let response = try await fhir.patch("/fhir/Patient/\(id)",
                                                    [["op": "replace", "path": "/gender", "value": "male"]])
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.headers[.eTag] == #"W/"2""#)
                #expect(response.headers[.lastModified] == "Thu, 01 Jan 2026 00:00:01 GMT")
                let body = try response.json()
                #expect(body["gender"] == "male")
                #expect(body["meta"]?["versionId"] == "2")
                #expect(body["name"] == Mock.patient()["name"])
                #expect(try await fhir.get("/fhir/Patient/\(id)").bytes == response.bytes)
                let history = try await fhir.get("/fhir/Patient/\(id)/_history").json()
                #expect(history.entries.map { $0["request"]?["method"] } == ["PATCH", "POST"])
            }
        }

        @Test func patchWithMatchingIfMatch() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient())
                let operations: JSON = [["op": "add", "path": "/active", "value": true]]
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)", operations, headers: [.ifMatch: #"W/"2""#]),
                                  .preconditionFailed)
                #expect(try await record.allVersions().count == 1)
                let response = try await fhir.patch("/fhir/Patient/\(id)", operations, headers: [.ifMatch: #"W/"1""#])
                #expect(response.status == .ok)
                #expect(try response.json()["active"] == true)
            }
        }

        @Test func failingTestOperationIs422AndChangesNothing() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(gender: "female"))
                let before = try await fhir.get("/fhir/Patient/\(id)")
                let response = try await fhir.patch("/fhir/Patient/\(id)", [
                    ["op": "test", "path": "/gender", "value": "male"],
                    ["op": "replace", "path": "/gender", "value": "other"],
                ])
                try expectOutcome(response, .unprocessableContent)
                #expect(try await fhir.get("/fhir/Patient/\(id)").bytes == before.bytes)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func patchMakingTheResourceInvalidIsRefused() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient())
                let before = try await fhir.get("/fhir/Patient/\(id)")
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)",
                                                       [["op": "replace", "path": "/gender", "value": "unknown-x"]]),
                                  .unprocessableContent, expression: "Patient.gender")
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)",
                                                       [["op": "add", "path": "/favouriteColour", "value": "blue"]]),
                                  .unprocessableContent, expression: "Patient.favouriteColour")
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)",
                                                       [["op": "replace", "path": "/id", "value": "other"]]),
                                  .unprocessableContent)
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)",
                                                       [["op": "remove", "path": "/resourceType"]]),
                                  .unprocessableContent)
                #expect(try await fhir.get("/fhir/Patient/\(id)").bytes == before.bytes)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func patchNeedsTheJSONPatchMediaType() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient())
                let operations: JSON = [["op": "replace", "path": "/gender", "value": "male"]]
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)", operations, contentType: "application/fhir+json"),
                                  .unsupportedMediaType)
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)", operations, contentType: "application/json"),
                                  .unsupportedMediaType)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func malformedPatchDocumentsAre400() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient())
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)", ["op": "replace"]), .badRequest)
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)", [["op": "frobnicate", "path": "/gender"]]),
                                  .badRequest)
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)", [["op": "replace", "path": "gender", "value": "male"]]),
                                  .badRequest)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func patchOfUnknownOrDeletedResources() async throws {
            try await TestServer.run { fhir, _ in
                let operations: JSON = [["op": "replace", "path": "/gender", "value": "male"]]
                try expectOutcome(try await fhir.patch("/fhir/Patient/nobody", operations), .notFound)
                let id = try await fhir.create(Mock.patient())
                _ = try await fhir.delete("/fhir/Patient/\(id)")
                try expectOutcome(try await fhir.patch("/fhir/Patient/\(id)", operations), .gone)
            }
        }
    }
}
