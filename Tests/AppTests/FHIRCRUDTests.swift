import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("Create, read, vread, update, delete")
    struct CRUD {
        @Test func createAnswers201WithLocationETagLastModifiedAndStampedBody() async throws {
            try await TestServer.run { fhir, record in
                let sent = Mock.patient()
                let response = try await fhir.post("/fhir/Patient", sent)
                #expect(response.status == .created)
                let body = try response.json()
                let id = try #require(body["id"]?.stringValue)
                #expect(ResourceID.isValid(id))
                #expect(response.headers[.location] == "http://localhost/fhir/Patient/\(id)/_history/1")
                #expect(response.headers[.eTag] == #"W/"1""#)
                #expect(response.headers[.lastModified] == "Thu, 01 Jan 2026 00:00:00 GMT")
                #expect(response.headers[.contentType] == "application/fhir+json; charset=utf-8")
                #expect(body["resourceType"] == "Patient")
                #expect(body["meta"]?["versionId"] == "1")
                #expect(body["meta"]?["lastUpdated"] == "2026-01-01T00:00:00.000Z")
                #expect(body["name"] == sent["name"])
                #expect(body["gender"] == sent["gender"])
                #expect(body["birthDate"] == sent["birthDate"])
                #expect(try await record.counts() == ["Patient": 1])
            }
        }

        /// A resource comes back as it was sent: decimals keep their digits, text its characters.
        @Test func numbersAndTextRoundTripExactly() async throws {
            try await TestServer.run { fhir, _ in
                let text = #"{"resourceType":"Observation","status":"final","code":{"text":"Zo\u00eb \ud83d\ude42 \"quoted\""},"valueQuantity":{"value":1.50,"unit":"kg"}}"#
                let created = try await fhir.send(.post, "/fhir/Observation", body: Array(text.utf8), contentType: FHIRClient.fhirJSON)
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(try created.json()["id"]?.stringValue)
                let read = try await fhir.get("/fhir/Observation/\(id)")
                #expect(read.text.contains(#""value":1.50"#))
                #expect(try read.json()["valueQuantity"]?["value"] == .number("1.50"))
                #expect(try read.json()["code"]?["text"] == .string("Zoë 🙂 \"quoted\""))
            }
        }

        @Test func createIgnoresAnIdInTheBody() async throws {
            try await TestServer.run { fhir, _ in
                let response = try await fhir.post("/fhir/Patient", Mock.patient(id: "chosen-by-client"))
                #expect(response.status == .created)
                let id = try #require(try response.json()["id"]?.stringValue)
                #expect(id != "chosen-by-client")
                #expect(try await fhir.get("/fhir/Patient/chosen-by-client").status == .notFound)
            }
        }

        @Test func readAnswersTheSameBodyAndHeaders() async throws {
            try await TestServer.run { fhir, _ in
                let created = try await fhir.post("/fhir/Patient", Mock.patient())
                let id = try #require(try created.json()["id"]?.stringValue)
                let read = try await fhir.get("/fhir/Patient/\(id)")
                #expect(read.status == .ok)
                #expect(read.bytes == created.bytes)
                #expect(read.headers[.eTag] == #"W/"1""#)
                #expect(read.headers[.lastModified] == "Thu, 01 Jan 2026 00:00:00 GMT")
                #expect(read.headers[.contentType] == "application/fhir+json; charset=utf-8")
            }
        }

        @Test func vreadAnswersEachVersion() async throws {
            try await TestServer.run { fhir, _ in
                let created = try await fhir.post("/fhir/Patient", Mock.patient(family: "Before"))
                let id = try #require(try created.json()["id"]?.stringValue)
                let updated = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "After", id: id))
                #expect(updated.status == .ok)

                let first = try await fhir.get("/fhir/Patient/\(id)/_history/1")
                #expect(first.status == .ok)
                #expect(first.bytes == created.bytes)
                #expect(first.headers[.eTag] == #"W/"1""#)
                let second = try await fhir.get("/fhir/Patient/\(id)/_history/2")
                #expect(second.status == .ok)
                #expect(second.bytes == updated.bytes)
                #expect(second.headers[.eTag] == #"W/"2""#)
                #expect(second.headers[.lastModified] == "Thu, 01 Jan 2026 00:00:01 GMT")

                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)/_history/3"), .notFound, code: "not-found")
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)/_history/0"), .badRequest)
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)/_history/two"), .badRequest)
            }
        }

        @Test func updateAddsVersion2() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(family: "Before"))
                let response = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "After", id: id))
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == #"W/"2""#)
                #expect(response.headers[.location] == "http://localhost/fhir/Patient/\(id)/_history/2")
                #expect(response.headers[.lastModified] == "Thu, 01 Jan 2026 00:00:01 GMT")
                let body = try response.json()
                #expect(body["meta"]?["versionId"] == "2")
                #expect(body["meta"]?["lastUpdated"] == "2026-01-01T00:00:01.000Z")
                #expect(body["name"]?[0]?["family"] == "After")

                let read = try await fhir.get("/fhir/Patient/\(id)")
                #expect(read.bytes == response.bytes)
                #expect(try await record.allVersions().count == 2)
            }
        }

        @Test func updateOfAnUnknownIdCreatesItUnderTheClientsId() async throws {
            try await TestServer.run { fhir, record in
                let response = try await fhir.put("/fhir/Patient/client-chosen-1", Mock.patient(id: "client-chosen-1"))
                #expect(response.status == .created)
                #expect(response.headers[.location] == "http://localhost/fhir/Patient/client-chosen-1/_history/1")
                #expect(response.headers[.eTag] == #"W/"1""#)
                let body = try response.json()
                #expect(body["id"] == "client-chosen-1")
                #expect(body["meta"]?["versionId"] == "1")
                #expect(try await fhir.get("/fhir/Patient/client-chosen-1").status == .ok)
                #expect(try await record.counts() == ["Patient": 1])
            }
        }

        @Test func updateWithUnchangedContentKeepsTheVersion() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient())
                // The same content without meta, and the body exactly as read back.
                let same = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(id: id))
                #expect(same.status == .ok)
                #expect(same.headers[.eTag] == #"W/"1""#)
                #expect(try same.json()["meta"]?["versionId"] == "1")
                let asRead = try await fhir.get("/fhir/Patient/\(id)").json()
                let again = try await fhir.put("/fhir/Patient/\(id)", asRead)
                #expect(again.status == .ok)
                #expect(again.headers[.eTag] == #"W/"1""#)
                #expect(try await record.allVersions().count == 1)
                let history = try await fhir.get("/fhir/Patient/\(id)/_history").json()
                #expect(history.entries.count == 1)
            }
        }

        @Test func updateRefusesAnIdThatDiffersFromTheURLOrIsMissing() async throws {
            try await TestServer.run { fhir, record in
                try expectOutcome(try await fhir.put("/fhir/Patient/one", Mock.patient(id: "two")), .badRequest,
                                  expression: "Patient.id")
                try expectOutcome(try await fhir.put("/fhir/Patient/one", Mock.patient()), .badRequest,
                                  code: "required", expression: "Patient.id")
                try await expectNothingStored(record)
            }
        }

        @Test func deleteAnswers204ThenReadIsGoneAndHistoryKeepsEveryVersion() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(family: "One"))
                _ = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Two", id: id))
                let deleted = try await fhir.delete("/fhir/Patient/\(id)")
                #expect(deleted.status == .noContent)
                #expect(deleted.bytes.isEmpty)
                #expect(deleted.headers[.eTag] == #"W/"3""#)

                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)"), .gone, code: "deleted")
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)/_history/3"), .gone)
                #expect(try await fhir.get("/fhir/Patient/\(id)/_history/1").status == .ok)
                #expect(try await fhir.get("/fhir/Patient/\(id)/_history/2").status == .ok)

                let history = try await fhir.get("/fhir/Patient/\(id)/_history")
                #expect(history.status == .ok)
                let entries = try history.json().entries
                #expect(entries.map { $0["request"]?["method"] } == ["DELETE", "PUT", "POST"])
                #expect(entries.map { $0["response"]?["etag"] } == [#"W/"3""#, #"W/"2""#, #"W/"1""#])
                #expect(entries[0]["resource"] == nil)
                #expect(entries[0]["response"]?["status"] == "204 No Content")
                #expect(entries[1]["resource"]?["name"]?[0]?["family"] == "Two")
                #expect(try await record.counts() == [:])

                // Deleting again changes nothing.
                #expect(try await fhir.delete("/fhir/Patient/\(id)").status == .noContent)
                #expect(try await record.allVersions().count == 3)
            }
        }

        @Test func updateAfterDeleteBringsTheResourceBack() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(family: "One"))
                #expect(try await fhir.delete("/fhir/Patient/\(id)").status == .noContent)
                let revived = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Back", id: id))
                #expect(revived.status == .created)
                #expect(revived.headers[.eTag] == #"W/"3""#)
                #expect(revived.headers[.location] == "http://localhost/fhir/Patient/\(id)/_history/3")
                let read = try await fhir.get("/fhir/Patient/\(id)")
                #expect(read.status == .ok)
                #expect(try read.json()["name"]?[0]?["family"] == "Back")
                #expect(try read.json()["meta"]?["versionId"] == "3")
                #expect(try await record.counts() == ["Patient": 1])
            }
        }

        @Test func deleteOfAnUnknownIdStoresNothing() async throws {
            try await TestServer.run { fhir, record in
                #expect(try await fhir.delete("/fhir/Patient/never-was").status == .noContent)
                try await expectNothingStored(record)
            }
        }

        @Test func unknownIdsTypesAndInvalidIds() async throws {
            try await TestServer.run { fhir, _ in
                try expectOutcome(try await fhir.get("/fhir/Patient/no-such-id"), .notFound, code: "not-found")
                try expectOutcome(try await fhir.get("/fhir/Patient/no-such-id/_history"), .notFound)
                try expectOutcome(try await fhir.get("/fhir/Patient/no-such-id/_history/1"), .notFound)
                try expectOutcome(try await fhir.get("/fhir/Unicorn/1"), .notFound)
                try expectOutcome(try await fhir.post("/fhir/Unicorn", ["resourceType": "Unicorn"]), .notFound)
                try expectOutcome(try await fhir.get("/fhir/Patient/bad_id"), .badRequest, code: "value")
                try expectOutcome(try await fhir.get("/fhir/Patient/" + String(repeating: "a", count: 65)), .badRequest)
                try expectOutcome(try await fhir.put("/fhir/Patient/bad_id", Mock.patient(id: "bad_id")), .badRequest)
                // A URL no interaction answers is an OperationOutcome too.
                try expectOutcome(try await fhir.get("/fhir/Patient/1/_history/1/extra"), .notFound)
                let wrongMethod = try await fhir.send(.patch, "/fhir/Patient", body: Array("[]".utf8),
                                                      contentType: FHIRClient.jsonPatch)
                try expectOutcome(wrongMethod, wrongMethod.status)
                #expect(wrongMethod.status == .notFound || wrongMethod.status == .methodNotAllowed)
            }
        }

        @Test func preferReturnMinimalAnswersWithNoBody() async throws {
            try await TestServer.run { fhir, _ in
                let minimal: HTTPFields = [.prefer: "return=minimal"]
                let created = try await fhir.post("/fhir/Patient", Mock.patient(), headers: minimal)
                #expect(created.status == .created)
                #expect(created.bytes.isEmpty)
                #expect(created.headers[.eTag] == #"W/"1""#)
                let location = try #require(created.headers[.location])
                let id = try #require(location.split(separator: "/").dropLast(2).last.map(String.init))
                #expect(location == "http://localhost/fhir/Patient/\(id)/_history/1")

                let updated = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Two", id: id), headers: minimal)
                #expect(updated.status == .ok)
                #expect(updated.bytes.isEmpty)
                #expect(updated.headers[.eTag] == #"W/"2""#)
            }
        }

        @Test func preferReturnOperationOutcomeAnswersWithAnInformationalOutcome() async throws {
            try await TestServer.run { fhir, _ in
                let headers: HTTPFields = [.prefer: "return=OperationOutcome"]
                let created = try await fhir.post("/fhir/Patient", Mock.patient(), headers: headers)
                #expect(created.status == .created)
                #expect(created.headers[.eTag] == #"W/"1""#)
                #expect(created.headers[.location] != nil)
                let outcome = try created.json()
                #expect(outcome["resourceType"] == "OperationOutcome")
                #expect(outcome.issues.map(\.severity) == ["information"])
                #expect(outcome.issues.map(\.code) == ["informational"])

                let representation = try await fhir.post("/fhir/Patient", Mock.patient(),
                                                          headers: [.prefer: "return=representation"])
                #expect(try representation.json()["resourceType"] == "Patient")
            }
        }
    }
}
