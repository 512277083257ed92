import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("Version-aware and conditional interactions")
    struct Conditional {
        // MARK: If-Match

        @Test func staleIfMatchIs412AndChangesNothing() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(family: "One"))
                let two = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Two", id: id))
                #expect(two.headers[.eTag] == #"W/"2""#)

                let stale = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Three", id: id),
                                               headers: [.ifMatch: #"W/"1""#])
                try expectOutcome(stale, .preconditionFailed, code: "conflict")
                let read = try await fhir.get("/fhir/Patient/\(id)")
                #expect(read.bytes == two.bytes)
                #expect(try await record.allVersions().count == 2)

                try expectOutcome(try await fhir.delete("/fhir/Patient/\(id)", headers: [.ifMatch: #"W/"1""#]),
                                  .preconditionFailed)
                #expect(try await fhir.get("/fhir/Patient/\(id)").status == .ok)
                #expect(try await record.allVersions().count == 2)
            }
        }

        @Test func matchingIfMatchUpdatesAndDeletes() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient(family: "One"))
                let two = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Two", id: id),
                                             headers: [.ifMatch: #"W/"1""#])
                #expect(two.status == .ok)
                #expect(two.headers[.eTag] == #"W/"2""#)
                // The strong form some clients send is read the same way.
                let three = try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Three", id: id),
                                               headers: [.ifMatch: #""2""#])
                #expect(three.status == .ok)
                #expect(three.headers[.eTag] == #"W/"3""#)
                let deleted = try await fhir.delete("/fhir/Patient/\(id)", headers: [.ifMatch: #"W/"3""#])
                #expect(deleted.status == .noContent)
                #expect(try await fhir.get("/fhir/Patient/\(id)").status == .gone)
            }
        }

        @Test(arguments: ["*", "W/\"abc\"", "3", "W/\"0\"", "W/\"-1\""])
        func malformedIfMatchIs400(ifMatch: String) async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(family: "One"))
                try expectOutcome(try await fhir.put("/fhir/Patient/\(id)", Mock.patient(family: "Two", id: id),
                                                     headers: [.ifMatch: ifMatch]), .badRequest)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func ifMatchOnAnAbsentResourceIs412() async throws {
            try await TestServer.run { fhir, record in
                try expectOutcome(try await fhir.put("/fhir/Patient/absent", Mock.patient(id: "absent"),
                                                     headers: [.ifMatch: #"W/"1""#]), .preconditionFailed)
                try await expectNothingStored(record)
            }
        }

        // MARK: Conditional create

        @Test func conditionalCreateCreatesOnceThenReturnsTheMatch() async throws {
            try await TestServer.run { fhir, record in
                let condition: HTTPFields = [.ifNoneExist: "identifier=\(Mock.mrnSystem)|123"]
                let first = try await fhir.post("/fhir/Patient", Mock.patient(mrn: "123"), headers: condition)
                #expect(first.status == .created)
                let id = try #require(try first.json()["id"]?.stringValue)

                let second = try await fhir.post("/fhir/Patient", Mock.patient(family: "Other", mrn: "123"), headers: condition)
                #expect(second.status == .ok)
                #expect(try second.json()["id"]?.stringValue == id)
                #expect(try second.json()["name"]?[0]?["family"] == "Smith")
                #expect(second.headers[.eTag] == #"W/"1""#)
                #expect(try await record.counts() == ["Patient": 1])
                #expect(try await record.allVersions().count == 1)

                // A leading '?' is accepted, as some clients send it.
                let third = try await fhir.post("/fhir/Patient", Mock.patient(mrn: "123"),
                                                headers: [.ifNoneExist: "?identifier=\(Mock.mrnSystem)|123"])
                #expect(third.status == .ok)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test func conditionalCreateWithTwoMatchesIs412() async throws {
            try await TestServer.run { fhir, record in
                _ = try await fhir.create(Mock.patient(family: "A", mrn: "dup"))
                _ = try await fhir.create(Mock.patient(family: "B", mrn: "dup"))
                let response = try await fhir.post("/fhir/Patient", Mock.patient(mrn: "dup"),
                                                   headers: [.ifNoneExist: "identifier=\(Mock.mrnSystem)|dup"])
                try expectOutcome(response, .preconditionFailed, code: "multiple-matches")
                #expect(try await record.counts() == ["Patient": 2])
            }
        }

        // MARK: Conditional update

        @Test func conditionalUpdateCreatesThenUpdatesThenRefusesTwoMatches() async throws {
            try await TestServer.run { fhir, record in
                let url = "/fhir/Patient?\(Mock.identifierQuery("777"))"
                let created = try await fhir.put(url, Mock.patient(family: "One", mrn: "777"))
                #expect(created.status == .created)
                let id = try #require(try created.json()["id"]?.stringValue)
                #expect(created.headers[.location] == "http://localhost/fhir/Patient/\(id)/_history/1")

                let updated = try await fhir.put(url, Mock.patient(family: "Two", mrn: "777"))
                #expect(updated.status == .ok)
                #expect(try updated.json()["id"]?.stringValue == id)
                #expect(updated.headers[.eTag] == #"W/"2""#)
                #expect(try await record.counts() == ["Patient": 1])

                _ = try await fhir.create(Mock.patient(family: "Twin", mrn: "777"))
                try expectOutcome(try await fhir.put(url, Mock.patient(family: "Three", mrn: "777")),
                                  .preconditionFailed, code: "multiple-matches")
                #expect(try await record.allVersions().count == 3)
                #expect(try await fhir.get("/fhir/Patient/\(id)").json()["name"]?[0]?["family"] == "Two")
            }
        }

        @Test func formatParameterIsNotPartOfTheCondition() async throws {
            try await TestServer.run { fhir, record in
                let url = "/fhir/Patient?\(Mock.identifierQuery("f-1"))&_format=json"
                let first = try Mock.patient(family: "One", mrn: "f-1")
                let second = try Mock.patient(family: "Two", mrn: "f-1")
                #expect(try await fhir.put(url, first).status == .created)
                #expect(try await fhir.put(url, second).status == .ok)
                #expect(try await fhir.delete(url).status == .noContent)
                #expect(try await record.counts().isEmpty)
            }
        }

        @Test func conditionalUpdateWithABodyIdOtherThanTheMatchIs400() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(mrn: "m-1"))
                try expectOutcome(try await fhir.put("/fhir/Patient?\(Mock.identifierQuery("m-1"))",
                                                     Mock.patient(family: "Other", id: "not-\(id)", mrn: "m-1")),
                                  .badRequest, expression: "Patient.id")
                #expect(try await record.allVersions().count == 1)
            }
        }

        // MARK: Conditional delete

        @Test func conditionalDeleteDeletesTheOneMatch() async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient(mrn: "del-1"))
                let keep = try await fhir.create(Mock.patient(mrn: "keep"))
                let response = try await fhir.delete("/fhir/Patient?\(Mock.identifierQuery("del-1"))")
                #expect(response.status == .noContent)
                #expect(try await fhir.get("/fhir/Patient/\(id)").status == .gone)
                #expect(try await fhir.get("/fhir/Patient/\(keep)").status == .ok)

                // No match: nothing to do.
                #expect(try await fhir.delete("/fhir/Patient?\(Mock.identifierQuery("nobody"))").status == .noContent)
                #expect(try await record.allVersions().count == 3)
            }
        }

        @Test func conditionalDeleteWithTwoMatchesIs412AndDeletesNothing() async throws {
            try await TestServer.run { fhir, record in
                _ = try await fhir.create(Mock.patient(mrn: "two"))
                _ = try await fhir.create(Mock.patient(mrn: "two"))
                try expectOutcome(try await fhir.delete("/fhir/Patient?\(Mock.identifierQuery("two"))"),
                                  .preconditionFailed, code: "multiple-matches")
                #expect(try await record.counts() == ["Patient": 2])
            }
        }

        @Test func conditionalDeleteByIdDeletesIt() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient())
                #expect(try await fhir.delete("/fhir/Patient?_id=\(id)").status == .noContent)
                #expect(try await fhir.get("/fhir/Patient/\(id)").status == .gone)
            }
        }

        // MARK: Bad conditions

        /// Conditions take any search (issue 4), checked strictly: an unknown parameter or a
        /// malformed value is a 400, never a condition that quietly matches everything.
        @Test func badConditionalParametersAre400AndStoreNothing() async throws {
            try await TestServer.run { fhir, record in
                try expectOutcome(try await fhir.put("/fhir/Patient?nonsense=smith", Mock.patient()),
                                  .badRequest, code: "not-supported")
                try expectOutcome(try await fhir.delete("/fhir/Patient?birthdate=1970-13-45"),
                                  .badRequest, code: "invalid")
                try expectOutcome(try await fhir.post("/fhir/Patient", Mock.patient(),
                                                      headers: [.ifNoneExist: "nonsense=smith"]),
                                  .badRequest, code: "not-supported")
                try expectOutcome(try await fhir.put("/fhir/Patient?name=smith&_count=1", Mock.patient()), .badRequest)
                try expectOutcome(try await fhir.delete("/fhir/Patient"), .badRequest)
                try expectOutcome(try await fhir.put("/fhir/Patient?identifier=", Mock.patient()), .badRequest)
                try await expectNothingStored(record)
            }
        }

        @Test func searchByIdentifierFindsTheMatch() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient(mrn: "s-1"))
                _ = try await fhir.create(Mock.patient(mrn: "s-2"))
                let response = try await fhir.get("/fhir/Patient?\(Mock.identifierQuery("s-1"))")
                #expect(response.status == .ok)
                let bundle = try response.json()
                #expect(bundle["type"] == "searchset")
                #expect(bundle["total"] == 1)
                #expect(bundle.entries.map { $0["resource"]?["id"] } == [.string(id)])
                try expectOutcome(try await fhir.get("/fhir/Patient?nonsense=smith", headers: [.prefer: "handling=strict"]),
                                  .badRequest, code: "not-supported")
            }
        }
    }
}
