import FHIR
import HTTPTypes
import Testing

extension FHIRServerTests {
    /// Bodies built to hurt: each is refused with a 4xx OperationOutcome and nothing is stored.
    @Suite("Hostile input")
    struct HostileInput {
        @Test func bodyOverMaxBodyBytesIs413() async throws {
            try await TestServer.run(maxBodyBytes: 4096) { fhir, record in
                let big = Mock.patient().setting("text", ["status": "generated",
                                                          "div": .string("<div xmlns=\"http://www.w3.org/1999/xhtml\">\(String(repeating: "x", count: 8000))</div>")])
                try expectOutcome(try await fhir.post("/fhir/Patient", big), .contentTooLarge, code: "too-costly")
                try await expectNothingStored(record)
            }
        }

        @Test func bundleOverMaxBodyBytesIs413() async throws {
            try await TestServer.run(maxBodyBytes: 4096) { fhir, record in
                let entries = (0..<100).map { _ in Mock.entry("POST", "Patient", resource: Mock.patient()) }
                try expectOutcome(try await fhir.post("/fhir", Mock.bundle("transaction", entries)), .contentTooLarge)
                try await expectNothingStored(record)
            }
        }

        @Test func nestingDeeperThanTheLimitIs400() async throws {
            try await TestServer.run(maxJSONDepth: 32) { fhir, record in
                let deep = #"{"resourceType":"Patient","extension":"# + String(repeating: "[", count: 40)
                    + String(repeating: "]", count: 40) + "}"
                try expectOutcome(try await fhir.send(.post, "/fhir/Patient", body: Array(deep.utf8), contentType: FHIRClient.fhirJSON),
                                  .badRequest, code: "too-costly")
                let veryDeep = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
                try expectOutcome(try await fhir.send(.post, "/fhir/Patient", body: Array(veryDeep.utf8), contentType: FHIRClient.fhirJSON),
                                  .badRequest, code: "too-costly")
                try await expectNothingStored(record)
            }
        }

        @Test func invalidUTF8Is400() async throws {
            try await TestServer.run { fhir, record in
                let body = Array(#"{"resourceType":"Patient","name":[{"family":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}]}"#.utf8)
                try expectOutcome(try await fhir.send(.post, "/fhir/Patient", body: body, contentType: FHIRClient.fhirJSON),
                                  .badRequest, code: "structure")
                try await expectNothingStored(record)
            }
        }

        @Test(arguments: [
            #"{"resourceType":"Patient","name":[{"family":"Smi"#,
            #"{"resourceType":"Patient","#,
            #"{"resourceType":"Patient","gender":"male","gender":"female"}"#,
            #"{"resourceType":"Patient"} trailing"#,
            #"{'resourceType':'Patient'}"#,
            #"{"resourceType":"Patient","active":tru}"#,
            #"{"resourceType":"Patient","name":[{"family":"a\qb"}]}"#,
            "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a\u{01}b\"}]}",
            #"null"#,
            #""Patient""#,
            #"[{"resourceType":"Patient"}]"#,
            "",
            "   ",
        ])
        func malformedOrNonObjectBodiesAre400(text: String) async throws {
            try await TestServer.run { fhir, record in
                let response = try await fhir.send(.post, "/fhir/Patient", body: Array(text.utf8), contentType: FHIRClient.fhirJSON)
                try expectOutcome(response, .badRequest)
                let put = try await fhir.send(.put, "/fhir/Patient/p1", body: Array(text.utf8), contentType: FHIRClient.fhirJSON)
                try expectOutcome(put, .badRequest)
                try await expectNothingStored(record)
            }
        }

        @Test func duplicateKeysAre400NamingTheStructure() async throws {
            try await TestServer.run { fhir, record in
                let text = #"{"resourceType":"Patient","gender":"male","gender":"female"}"#
                try expectOutcome(try await fhir.send(.post, "/fhir/Patient", body: Array(text.utf8), contentType: FHIRClient.fhirJSON),
                                  .badRequest, code: "structure")
                try await expectNothingStored(record)
            }
        }

        @Test func aFourHundredDigitNumberIs400() async throws {
            try await TestServer.run { fhir, record in
                let text = #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"#
                    + String(repeating: "9", count: 400) + "}}"
                try expectOutcome(try await fhir.send(.post, "/fhir/Observation", body: Array(text.utf8), contentType: FHIRClient.fhirJSON),
                                  .badRequest, code: "too-costly")
                try await expectNothingStored(record)
            }
        }

        /// Decided: the body limit (here the 16 MB default of the tests) lets a 2 MB string
        /// through the parser, but R4 says a string SHALL NOT exceed 1 MB, so the validator
        /// refuses it with 400 at the element; under 1 MB it is stored.
        @Test func aTwoMegabyteStringIsRefusedByTheR4LimitNotTheBodyLimit() async throws {
            try await TestServer.run { fhir, record in
                let huge = Mock.patient().setting("name", [["text": .string(String(repeating: "a", count: 2 << 20))]])
                try expectOutcome(try await fhir.post("/fhir/Patient", huge), .badRequest, expression: "Patient.name[0].text")
                try await expectNothingStored(record)

                let large = Mock.patient().setting("name", [["text": .string(String(repeating: "a", count: 900_000))]])
                let response = try await fhir.post("/fhir/Patient", large)
                #expect(response.status == .created)
                let id = try #require(try response.json()["id"]?.stringValue)
                let read = try await fhir.get("/fhir/Patient/\(id)")
                #expect(try read.json()["name"]?[0]?["text"]?.stringValue?.utf8.count == 900_000)
            }
        }

        @Test func resourceTypeMismatchingTheURLIs400() async throws {
            try await TestServer.run { fhir, record in
                let observation = Mock.observation(subject: "Patient/x")
                try expectOutcome(try await fhir.post("/fhir/Patient", observation), .badRequest, expression: "resourceType")
                try expectOutcome(try await fhir.put("/fhir/Patient/o1", observation.setting("id", "o1")), .badRequest)
                try expectOutcome(try await fhir.put("/fhir/Patient?\(Mock.identifierQuery("x"))", observation), .badRequest)
                try expectOutcome(try await fhir.post("/fhir/Patient", ["name": [["family": "NoType"]]]), .badRequest)
                try await expectNothingStored(record)
            }
        }

        @Test func theServerStillAnswersAfterHostileRequests() async throws {
            try await TestServer.run(maxBodyBytes: 4096) { fhir, _ in
                _ = try await fhir.send(.post, "/fhir/Patient", body: Array("{".utf8), contentType: FHIRClient.fhirJSON)
                _ = try await fhir.send(.post, "/fhir/Patient", body: [0xFF, 0xFE], contentType: FHIRClient.fhirJSON)
                let response = try await fhir.post("/fhir/Patient", Mock.patient())
                #expect(response.status == .created)
            }
        }
    }
}
