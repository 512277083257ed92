import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("Content negotiation")
    struct Negotiation {
        @Test(arguments: ["application/fhir+xml", "application/xml", "text/html", "text/turtle"])
        func nonJSONAcceptIs406(accept: String) async throws {
            try await TestServer.run { fhir, record in
                let id = try await fhir.create(Mock.patient())
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)", headers: [.accept: accept]),
                                  .notAcceptable, code: "not-supported")
                try expectOutcome(try await fhir.get("/fhir/metadata", headers: [.accept: accept]), .notAcceptable)
                try expectOutcome(try await fhir.post("/fhir/Patient", Mock.patient(), headers: [.accept: accept]),
                                  .notAcceptable)
                #expect(try await record.allVersions().count == 1)
            }
        }

        @Test(arguments: ["xml", "application/fhir+xml", "text/xml", "ttl"])
        func nonJSONFormatIs406(format: String) async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient())
                let encoded = format.replacingOccurrences(of: "+", with: "%2B")
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)?_format=\(encoded)"), .notAcceptable)
                // _format wins over an Accept that would have been fine.
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)?_format=\(encoded)",
                                                     headers: [.accept: "application/fhir+json"]), .notAcceptable)
                try expectOutcome(try await fhir.get("/fhir/_history?_format=\(encoded)"), .notAcceptable)
            }
        }

        @Test(arguments: ["json", "application/fhir%2Bjson", "application/json"])
        func jsonFormatIsServed(format: String) async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient())
                let response = try await fhir.get("/fhir/Patient/\(id)?_format=\(format)")
                #expect(response.status == .ok)
                #expect(try response.json()["id"]?.stringValue == id)
                #expect(try await fhir.get("/fhir/Patient/\(id)/_history?_format=\(format)").status == .ok)
                #expect(try await fhir.get("/fhir/metadata?_format=\(format)").status == .ok)
            }
        }

        @Test(arguments: ["*/*", "application/fhir+json", "application/json", "application/*",
                          "application/fhir+xml;q=0.9, application/fhir+json;q=0.1",
                          "application/fhir+json; fhirVersion=4.0", "text/html, */*;q=0.8"])
        func jsonCompatibleAcceptIsServed(accept: String) async throws {
            try await TestServer.run { fhir, _ in
                let created = try await fhir.post("/fhir/Patient", Mock.patient(), headers: [.accept: accept])
                #expect(created.status == .created)
                let id = try #require(try created.json()["id"]?.stringValue)
                let read = try await fhir.get("/fhir/Patient/\(id)", headers: [.accept: accept])
                #expect(read.status == .ok)
                #expect(read.headers[.contentType] == "application/fhir+json; charset=utf-8")
            }
        }

        /// RFC 9110 12.4.2: a media range with q=0 is "not acceptable".
        @Test func acceptWithJSONAtQZeroIs406() async throws {
            try await TestServer.run { fhir, _ in
                let id = try await fhir.create(Mock.patient())
                try expectOutcome(try await fhir.get("/fhir/Patient/\(id)",
                                                     headers: [.accept: "application/fhir+json;q=0, application/fhir+xml"]),
                                  .notAcceptable)
            }
        }

        @Test(arguments: ["application/fhir+xml", "application/xml", "text/plain", "application/x-www-form-urlencoded"])
        func nonJSONContentTypeIs415(contentType: String) async throws {
            try await TestServer.run { fhir, record in
                let body = JSONSerializer.bytes(Mock.patient(id: "p1"))
                try expectOutcome(try await fhir.send(.post, "/fhir/Patient", body: body, contentType: contentType),
                                  .unsupportedMediaType, code: "not-supported")
                try expectOutcome(try await fhir.send(.put, "/fhir/Patient/p1", body: body, contentType: contentType),
                                  .unsupportedMediaType)
                try expectOutcome(try await fhir.send(.post, "/fhir", body: JSONSerializer.bytes(Mock.bundle("batch", [])),
                                                      contentType: contentType), .unsupportedMediaType)
                try await expectNothingStored(record)
            }
        }

        @Test func missingContentTypeIs415() async throws {
            try await TestServer.run { fhir, record in
                let body = JSONSerializer.bytes(Mock.patient(id: "p1"))
                try expectOutcome(try await fhir.send(.post, "/fhir/Patient", body: body), .unsupportedMediaType)
                try expectOutcome(try await fhir.send(.put, "/fhir/Patient/p1", body: body), .unsupportedMediaType)
                try await expectNothingStored(record)
            }
        }

        @Test(arguments: ["application/fhir+json; charset=iso-8859-1", "application/fhir+json;charset=utf-16",
                          "application/json; charset=latin1"])
        func charsetOtherThanUTF8Is415(contentType: String) async throws {
            try await TestServer.run { fhir, record in
                let body = JSONSerializer.bytes(Mock.patient())
                try expectOutcome(try await fhir.send(.post, "/fhir/Patient", body: body, contentType: contentType),
                                  .unsupportedMediaType)
                try await expectNothingStored(record)
            }
        }

        @Test(arguments: ["application/fhir+json; charset=utf-8", "application/fhir+json;charset=UTF-8",
                          "application/json", "application/json+fhir", "application/fhir+json; fhirVersion=4.0"])
        func jsonContentTypesAreAccepted(contentType: String) async throws {
            try await TestServer.run { fhir, record in
                let body = JSONSerializer.bytes(Mock.patient())
                let response = try await fhir.send(.post, "/fhir/Patient", body: body, contentType: contentType)
                #expect(response.status == .created, "\(response.text)")
                #expect(try await record.counts() == ["Patient": 1])
            }
        }
    }
}
