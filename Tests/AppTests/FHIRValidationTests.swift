import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    /// The validator seen over HTTP: each fault is a 400 OperationOutcome whose issue names the
    /// element by FHIRPath, on create, update and inside a transaction, and nothing is stored.
    @Suite("Validation over HTTP")
    struct Validation {
        struct Case: Sendable, CustomTestStringConvertible {
            let name: String
            let resource: JSON
            let code: String
            let expression: String
            var testDescription: String { name }
        }

        static let cases: [Case] = [
            Case(name: "unknown element", resource: Mock.patient().setting("favouriteColour", "blue"),
                 code: "structure", expression: "Patient.favouriteColour"),
            Case(name: "string where boolean belongs", resource: Mock.patient().setting("active", "true"),
                 code: "value", expression: "Patient.active"),
            Case(name: "bad date", resource: Mock.patient().setting("birthDate", "1950-13-01"),
                 code: "value", expression: "Patient.birthDate"),
            Case(name: "NHS number with a wrong check digit",
                 resource: Mock.patient().setting("identifier", [["system": "https://fhir.nhs.uk/Id/nhs-number",
                                                                  "value": "9434765918"]]),
                 code: "value", expression: "Patient.identifier[0].value"),
            Case(name: "Observation without status",
                 resource: ["resourceType": "Observation", "code": ["text": "Heart rate"]],
                 code: "required", expression: "Observation.status"),
            Case(name: "Observation without code",
                 resource: ["resourceType": "Observation", "status": "final"],
                 code: "required", expression: "Observation.code"),
            Case(name: "bad code for a required binding", resource: Mock.patient(gender: "unknown-x"),
                 code: "code-invalid", expression: "Patient.gender"),
        ]

        @Test(arguments: cases)
        func invalidResourcesAre400WithTheElementsPath(_ invalid: Case) async throws {
            try await TestServer.run { fhir, record in
                let type = try #require(invalid.resource["resourceType"]?.stringValue)
                try expectOutcome(try await fhir.post("/fhir/\(type)", invalid.resource), .badRequest,
                                  code: invalid.code, expression: invalid.expression)
                try expectOutcome(try await fhir.put("/fhir/\(type)/v1", invalid.resource.setting("id", "v1")), .badRequest,
                                  code: invalid.code, expression: invalid.expression)
                try expectOutcome(try await fhir.put("/fhir/\(type)?\(Mock.identifierQuery("v1"))", invalid.resource),
                                  .badRequest, code: invalid.code, expression: invalid.expression)
                let transaction = Mock.bundle("transaction", [Mock.entry("POST", type, resource: invalid.resource)])
                let outcome = try expectOutcome(try await fhir.post("/fhir", transaction), .badRequest, code: invalid.code)
                #expect(outcome.allExpressions.contains { $0.hasPrefix("Bundle.entry[0]") }, "\(outcome)")
                try await expectNothingStored(record)
            }
        }

        @Test func anObservationMissingBothNamesBoth() async throws {
            try await TestServer.run { fhir, record in
                let outcome = try expectOutcome(try await fhir.post("/fhir/Observation", ["resourceType": "Observation"]),
                                                .badRequest, code: "required")
                #expect(Set(outcome.allExpressions) == ["Observation.status", "Observation.code"])
                try await expectNothingStored(record)
            }
        }

        @Test func aValidNHSNumberIsStored() async throws {
            try await TestServer.run { fhir, record in
                let patient = Mock.patient().setting("identifier", [["system": "https://fhir.nhs.uk/Id/nhs-number",
                                                                     "value": "9434765919"]])
                let response = try await fhir.post("/fhir/Patient", patient)
                #expect(response.status == .created)
                #expect(try await record.counts() == ["Patient": 1])
            }
        }

        @Test func outcomesDoNotEchoTheValuesSent() async throws {
            try await TestServer.run { fhir, _ in
                let patient = Mock.patient().setting("identifier", [["system": "https://fhir.nhs.uk/Id/nhs-number",
                                                                     "value": "9434765918"]])
                    .setting("birthDate", "1950-13-01")
                let response = try await fhir.post("/fhir/Patient", patient)
                try expectOutcome(response, .badRequest)
                #expect(!response.text.contains("9434765918"))
                #expect(!response.text.contains("1950-13-01"))
            }
        }
    }
}
