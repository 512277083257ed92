import CareRecord
import FHIR
import Foundation
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("Transactions")
    struct Transactions {
        @Test func transactionRewritesURNReferencesAndAnswersInRequestOrder() async throws {
            try await TestServer.run { fhir, record in
                let patientURN = Mock.urn(), encounterURN = Mock.urn()
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Observation", resource: Mock.observation(subject: patientURN)
                        .setting("encounter", ["reference": .string(encounterURN)]), fullUrl: Mock.urn()),
                    Mock.entry("POST", "Patient", resource: Mock.patient(), fullUrl: patientURN),
                    Mock.entry("POST", "Encounter", resource: [
                        "resourceType": "Encounter", "status": "finished",
                        "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"],
                        "subject": ["reference": .string(patientURN)],
                    ], fullUrl: encounterURN),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok, "\(response.text)")
                let result = try response.json()
                #expect(result["resourceType"] == "Bundle")
                #expect(result["type"] == "transaction-response")
                let entries = result.entries
                try #require(entries.count == 3)
                let types = ["Observation", "Patient", "Encounter"]
                var ids: [String] = []
                for (index, entry) in entries.enumerated() {
                    #expect(entry["response"]?["status"] == "201 Created")
                    #expect(entry["response"]?["etag"] == #"W/"1""#)
                    let location = try #require(entry["response"]?["location"]?.stringValue)
                    let parts = location.split(separator: "/").map(String.init)
                    #expect(parts.count == 4 && parts[0] == types[index] && parts[2] == "_history" && parts[3] == "1",
                            "\(location)")
                    ids.append(parts[1])
                }
                let observation = try await fhir.get("/fhir/Observation/\(ids[0])").json()
                #expect(observation["subject"]?["reference"] == .string("Patient/\(ids[1])"))
                #expect(observation["encounter"]?["reference"] == .string("Encounter/\(ids[2])"))
                let encounter = try await fhir.get("/fhir/Encounter/\(ids[2])").json()
                #expect(encounter["subject"]?["reference"] == .string("Patient/\(ids[1])"))
                #expect(try await record.counts() == ["Patient": 1, "Observation": 1, "Encounter": 1])
            }
        }

        @Test func preferReturnRepresentationPutsResourcesInTheResponse() async throws {
            try await TestServer.run { fhir, _ in
                let bundle = Mock.bundle("transaction", [Mock.entry("POST", "Patient", resource: Mock.patient())])
                let response = try await fhir.post("/fhir", bundle, headers: [.prefer: "return=representation"])
                let entry = try #require(try response.json().entries.first)
                #expect(entry["resource"]?["resourceType"] == "Patient")
                #expect(entry["resource"]?["meta"]?["versionId"] == "1")
                let minimal = try await fhir.post("/fhir", bundle)
                #expect(try minimal.json().entries.first?["resource"] == nil)
            }
        }

        @Test func oneInvalidEntryFailsTheWholeTransactionAndStoresNothing() async throws {
            try await TestServer.run { fhir, record in
                let patientURN = Mock.urn()
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Patient", resource: Mock.patient(), fullUrl: patientURN),
                    Mock.entry("POST", "Observation", resource: Mock.observation(subject: patientURN)),
                    Mock.entry("POST", "Patient", resource: Mock.patient().setting("birthDate", "1950-13-01")),
                ])
                let outcome = try expectOutcome(try await fhir.post("/fhir", bundle), .badRequest)
                #expect(outcome.allExpressions.contains { $0.hasPrefix("Bundle.entry[2]") }, "\(outcome)")
                #expect(outcome.allExpressions.allSatisfy { $0.hasPrefix("Bundle.entry[2]") }, "\(outcome)")
                try await expectNothingStored(record)
                #expect(try await fhir.get("/fhir/_history").json().entries.isEmpty)
            }
        }

        /// OperationOutcome.issue.expression is FHIRPath: inside an entry the path goes on from
        /// `resource` with the element names, not with the resource type again.
        @Test func transactionFaultExpressionsAreFHIRPathIntoTheEntry() async throws {
            try await TestServer.run { fhir, record in
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Patient", resource: Mock.patient()),
                    Mock.entry("POST", "Patient", resource: Mock.patient().setting("birthDate", "1950-13-01")),
                ])
                try expectOutcome(try await fhir.post("/fhir", bundle), .badRequest,
                                  expression: "Bundle.entry[1].resource.birthDate")
                try await expectNothingStored(record)
            }
        }

        @Test func malformedEntriesNameTheirPlace() async throws {
            try await TestServer.run { fhir, record in
                let badMethod = Mock.bundle("transaction", [
                    Mock.entry("POST", "Patient", resource: Mock.patient()),
                    Mock.entry("FETCH", "Patient", resource: Mock.patient()),
                ])
                try expectOutcome(try await fhir.post("/fhir", badMethod), .badRequest,
                                  expression: "Bundle.entry[1].request.method")
                let unknownURN = Mock.bundle("transaction", [
                    Mock.entry("POST", "Observation", resource: Mock.observation(subject: Mock.urn())),
                ])
                try expectOutcome(try await fhir.post("/fhir", unknownURN), .badRequest,
                                  expression: "Bundle.entry[0].resource.subject.reference")
                let wrongType = Mock.bundle("transaction", [Mock.entry("POST", "Observation", resource: Mock.patient())])
                try expectOutcome(try await fhir.post("/fhir", wrongType), .badRequest, expression: "Bundle.entry[0].resource")
                try expectOutcome(try await fhir.post("/fhir", Mock.bundle("collection", [])), .badRequest)
                try expectOutcome(try await fhir.post("/fhir", Mock.patient()), .badRequest)
                try await expectNothingStored(record)
            }
        }

        @Test func aFailingWriteRollsBackEarlierEntries() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(family: "Existing"))
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Patient", resource: Mock.patient(family: "New")),
                    Mock.entry("PUT", "Patient/\(id)", resource: Mock.patient(family: "Changed", id: id), ifMatch: #"W/"7""#),
                ])
                let outcome = try expectOutcome(try await fhir.post("/fhir", bundle), .preconditionFailed)
                #expect(outcome.allExpressions.allSatisfy { $0.hasPrefix("Bundle.entry[1]") }, "\(outcome)")
                #expect(try await record.counts() == ["Patient": 1])
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func entriesRunInFHIROrderDeletePostPutGet() async throws {
            try await TestServer.run { fhir, record in
                _ = try await fhir.put("/fhir/Patient/p1", Mock.patient(family: "Before", id: "p1"))
                _ = try await fhir.put("/fhir/Patient/q1", Mock.patient(family: "Doomed", id: "q1"))
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("GET", "Patient/p1"),
                    Mock.entry("PUT", "Patient/p1", resource: Mock.patient(family: "After", id: "p1")),
                    Mock.entry("POST", "Patient", resource: Mock.patient(family: "Posted")),
                    Mock.entry("DELETE", "Patient/q1"),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok, "\(response.text)")
                let entries = try response.json().entries
                try #require(entries.count == 4)
                #expect(entries.map { $0["response"]?["status"] } == ["200 OK", "200 OK", "201 Created", "204 No Content"])
                // The GET ran last, so it reads what the PUT wrote.
                #expect(entries[0]["resource"]?["name"]?[0]?["family"] == "After")
                #expect(entries[0]["resource"]?["meta"]?["versionId"] == "2")
                #expect(entries[1]["response"]?["etag"] == #"W/"2""#)

                let history = try await fhir.get("/fhir/_history?_count=3").json()
                #expect(history.entries.map { $0["request"]?["method"] } == ["PUT", "POST", "DELETE"])
                #expect(try await fhir.get("/fhir/Patient/q1").status == .gone)
                #expect(try await record.counts() == ["Patient": 2])
            }
        }

        /// FHIR processes DELETEs before POSTs, so a conditional create whose only match is
        /// deleted by the same transaction finds nothing and creates.
        @Test func ifNoneExistIsEvaluatedAfterTheTransactionsDeletes() async throws {
            try await TestServer.run { fhir, record in
                let old = try await fhir.create(Mock.patient(family: "Old", mrn: "swap-1"))
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Patient", resource: Mock.patient(family: "New", mrn: "swap-1"),
                               ifNoneExist: "identifier=\(Mock.mrnSystem)|swap-1"),
                    Mock.entry("DELETE", "Patient?identifier=\(Mock.mrnSystem)|swap-1"),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok, "\(response.text)")
                let entries = try response.json().entries
                #expect(entries.map { $0["response"]?["status"] } == ["201 Created", "204 No Content"])
                #expect(try await fhir.get("/fhir/Patient/\(old)").status == .gone)
                #expect(try await record.counts() == ["Patient": 1])
            }
        }

        @Test func twoEntriesChangingTheSameResourceAreRefused() async throws {
            try await TestServer.run { fhir, record in
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("PUT", "Patient/same", resource: Mock.patient(family: "One", id: "same")),
                    Mock.entry("PUT", "Patient/same", resource: Mock.patient(family: "Two", id: "same")),
                ])
                try expectOutcome(try await fhir.post("/fhir", bundle), .badRequest, expression: "Bundle.entry[1]")
                try await expectNothingStored(record)

                _ = try await fhir.put("/fhir/Patient/other", Mock.patient(id: "other"))
                let putAndDelete = Mock.bundle("transaction", [
                    Mock.entry("DELETE", "Patient/other"),
                    Mock.entry("PUT", "Patient/other", resource: Mock.patient(family: "Two", id: "other")),
                ])
                try expectOutcome(try await fhir.post("/fhir", putAndDelete), .badRequest)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func conditionalReferencesResolveToTheMatch() async throws {
            try await TestServer.run { fhir, record in
                let patient = try await fhir.create(Mock.patient(mrn: "ref-1"))
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Observation",
                               resource: Mock.observation(subject: "Patient?identifier=\(Mock.mrnSystem)|ref-1")),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok, "\(response.text)")
                let location = try #require(try response.json().entries.first?["response"]?["location"]?.stringValue)
                let observation = try await fhir.get("/fhir/" + location).json()
                #expect(observation["subject"]?["reference"] == .string("Patient/\(patient)"))

                let missing = Mock.bundle("transaction", [
                    Mock.entry("POST", "Observation",
                               resource: Mock.observation(subject: "Patient?identifier=\(Mock.mrnSystem)|nobody")),
                ])
                let outcome = try await fhir.post("/fhir", missing)
                #expect((400..<500).contains(outcome.status.code), "\(outcome.status)")
                try expectOutcome(outcome, outcome.status, code: "not-found")
                #expect(try await record.counts() == ["Patient": 1, "Observation": 1])
            }
        }

        /// Like an unknown urn:uuid (which names `...subject.reference`), a conditional
        /// reference that matches nothing should say which entry and element it was.
        @Test func unresolvableConditionalReferenceNamesItsPlace() async throws {
            try await TestServer.run { fhir, record in
                let missing = Mock.bundle("transaction", [
                    Mock.entry("POST", "Patient", resource: Mock.patient()),
                    Mock.entry("POST", "Observation",
                               resource: Mock.observation(subject: "Patient?identifier=\(Mock.mrnSystem)|nobody")),
                ])
                let outcome = try await fhir.post("/fhir", missing)
                try expectOutcome(outcome, .notFound, code: "not-found",
                                  expression: "Bundle.entry[1].resource.subject.reference")
                try await expectNothingStored(record)
            }
        }

        @Test func ifNoneExistEntriesFindTheExistingResource() async throws {
            try await TestServer.run { fhir, record in
                let patient = try await fhir.create(Mock.patient(mrn: "ine-1"))
                let urn = Mock.urn()
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Patient", resource: Mock.patient(family: "Again", mrn: "ine-1"), fullUrl: urn,
                               ifNoneExist: "identifier=\(Mock.mrnSystem)|ine-1"),
                    Mock.entry("POST", "Observation", resource: Mock.observation(subject: urn)),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok, "\(response.text)")
                let entries = try response.json().entries
                #expect(entries.map { $0["response"]?["status"] } == ["200 OK", "201 Created"])
                #expect(entries[0]["response"]?["location"] == .string("Patient/\(patient)/_history/1"))
                #expect(try await record.counts() == ["Patient": 1, "Observation": 1])
                let location = try #require(entries[1]["response"]?["location"]?.stringValue)
                #expect(try await fhir.get("/fhir/" + location).json()["subject"]?["reference"] == .string("Patient/\(patient)"))
                #expect(try await fhir.get("/fhir/Patient/\(patient)").json()["name"]?[0]?["family"] == "Smith")
            }
        }

        @Test func patchEntriesCarryTheirPatchInABinary() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient(gender: "female"))
                let patch = JSONSerializer.bytes([["op": "replace", "path": "/gender", "value": "male"]])
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("PATCH", "Patient/\(id)", resource: [
                        "resourceType": "Binary", "contentType": "application/json-patch+json",
                        "data": .string(Data(patch).base64EncodedString()),
                    ]),
                ])
                let response = try await fhir.post("/fhir", bundle)
                #expect(response.status == .ok, "\(response.text)")
                #expect(try response.json().entries.first?["response"]?["status"] == "200 OK")
                #expect(try await fhir.get("/fhir/Patient/\(id)").json()["gender"] == "male")
            }
        }

        @Test func aTransactionOfTenThousandEntriesIsStoredWhole() async throws {
            try await TestServer.run(maxBodyBytes: 64 << 20) { fhir, record in
                let patientURN = Mock.urn()
                var entries: [JSON] = [Mock.entry("POST", "Patient", resource: Mock.patient(), fullUrl: patientURN)]
                for number in 1..<10_000 {
                    entries.append(Mock.entry("POST", "Observation", resource: Mock.observation(subject: patientURN, text: "reading \(number)")))
                }
                let response = try await fhir.post("/fhir", Mock.bundle("transaction", entries))
                #expect(response.status == .ok, "\(response.text.prefix(2000))")
                let result = try response.json().entries
                #expect(result.count == 10_000)
                #expect(result.allSatisfy { $0["response"]?["status"] == "201 Created" })
                #expect(try await record.counts() == ["Patient": 1, "Observation": 9_999])

                let patientLocation = try #require(result.first?["response"]?["location"]?.stringValue)
                let patientID = patientLocation.split(separator: "/")[1]
                let versions = try await record.allVersions()
                #expect(versions.count == 10_000)
                let expected = Array(#""reference":"Patient/\#(patientID)""#.utf8)
                let observations = versions.filter { $0.key.type == "Observation" }
                #expect(observations.count == 9_999)
                #expect(observations.allSatisfy { ($0.body ?? []).containsBytes(expected) })
            }
        }
    }
}

private extension Array where Element == UInt8 {
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { start in self[start..<start + needle.count].elementsEqual(needle) }
    }
}
