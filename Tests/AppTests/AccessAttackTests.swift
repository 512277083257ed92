@testable import Access
import FHIR
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension FHIRServerTests {
    /// Attacks on the real server over HTTP: tokens missing, expired, forged, badly signed or
    /// asking past their scopes, and patient tokens reaching for another person's record.
    /// Every attempt is refused (401, 403) or answered as if the other record did not exist
    /// (404, no matches), and nothing is written.
    @Suite("Access: tokens and scopes under attack")
    struct AccessAttackTests {
        /// Two people with an observation each, written with the system token, both with an
        /// episode open at the organisation of the tests' staff tokens (A81001), so that what
        /// these tests try is the scopes (relationships are `RelationshipAttackTests`').
        struct Area {
            let alice: String
            let bob: String
            let aliceObservation: String
            let bobObservation: String
        }

        func area(_ client: FHIRClient) async throws -> Area {
            let alice = try await client.create(Mock.patient(family: "Ashworth"))
            let bob = try await client.create(Mock.patient(family: "Bramley"))
            try await client.openEpisode(for: alice)
            try await client.openEpisode(for: bob)
            return Area(alice: alice, bob: bob,
                        aliceObservation: try await client.create(Mock.observation(subject: "Patient/\(alice)", text: "Pulse")),
                        bobObservation: try await client.create(Mock.observation(subject: "Patient/\(bob)", text: "Pulse")))
        }

        func expectUnauthorized(_ response: TestResponse, code: String = "login", sourceLocation: SourceLocation = #_sourceLocation) throws {
            try expectOutcome(response, .unauthorized, code: code, sourceLocation: sourceLocation)
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"joinedup\"") == true, sourceLocation: sourceLocation)
        }

        @Test func withoutATokenOnlyMetadataAndHealthAnswer() async throws {
            try await TestServer.run { client, record in
                let anonymous = client.as(nil)
                #expect(try await anonymous.get("/fhir/metadata").status == .ok)
                #expect(try await anonymous.get("/health").status == .ok)
                for uri in ["/fhir/Patient/1", "/fhir/Patient?name=x", "/fhir?_type=Patient", "/fhir/_history",
                            "/fhir/Patient/1/$everything", "/fhir/Patient/1/_history", "/fhir/NoSuchType", "/elsewhere"] {
                    let response = try await anonymous.get(uri)
                    try expectUnauthorized(response)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"joinedup\"", "no error code without a token")
                }
                try expectUnauthorized(try await anonymous.post("/fhir/Patient", Mock.patient()))
                try expectUnauthorized(try await anonymous.post("/fhir", Mock.bundle("transaction", [Mock.entry("POST", "Patient", resource: Mock.patient())])))
                try expectUnauthorized(try await anonymous.send(.post, "/fhir/Patient/_search", body: Array("name=x".utf8),
                                                                contentType: "application/x-www-form-urlencoded"))
                try await expectNothingStored(record)
            }
        }

        @Test func everyAnswerCarriesHeadersThatKeepItOutOfCachesAndFrames() async throws {
            try await TestServer.run { client, _ in
                let patient = try await client.create(Mock.patient())
                let answers = [try await client.get("/fhir/Patient/\(patient)"), try await client.get("/fhir/Patient?_id=\(patient)"),
                               try await client.as(nil).get("/fhir/Patient/\(patient)"), try await client.get("/fhir/Patient/nobody"),
                               try await client.as(nil).get("/fhir/metadata"), try await client.get("/elsewhere")]
                for answer in answers {
                    #expect(answer.headers[.cacheControl] == "no-store", "\(answer.status)")
                    #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(answer.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    #expect(answer.headers[HTTPField.Name("Content-Security-Policy")!] == "default-src 'none'; frame-ancestors 'none'")
                    #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                }
            }
        }

        @Test func expiredForgedAndBadlySignedTokensAreRefused() async throws {
            try await TestServer.run { client, record in
                let expired = try client.token(scope: "user/*.*", expiresIn: -120)
                let expiredAnswer = try await client.as(expired).post("/fhir/Patient", Mock.patient())
                try expectUnauthorized(expiredAnswer, code: "expired")
                #expect(expiredAnswer.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)

                // A reader's token whose payload is swapped for one granting everything.
                let reader = try client.token(scope: "user/Observation.read")
                let parts = reader.split(separator: ".")
                let widened = TokenClaims(iss: client.keys.issuer, sub: "test-user", issuedAt: Date(), expires: Date().addingTimeInterval(600),
                                          org: "A81001", role: "gp", scope: "system/*.*")
                let forged = "\(parts[0]).\(Base64URL.encode(try JSONEncoder().encode(widened))).\(parts[2])"
                try expectUnauthorized(try await client.as(forged).post("/fhir/Patient", Mock.patient()))

                // Signed by a key the server does not hold, though it names the server's key id.
                let stranger = SigningKey.generate()
                let impostor = try TokenIssuer.issue(widened, header: ["alg": "ES256", "kid": client.keys.signing!.id], key: stranger)
                try expectUnauthorized(try await client.as(impostor).post("/fhir/Patient", Mock.patient()))
                // Another key set altogether, and `alg: none`.
                let elsewhere = try TokenIssuer.issue(widened, with: KeySet(issuer: client.keys.issuer))
                try expectUnauthorized(try await client.as(elsewhere).post("/fhir/Patient", Mock.patient()))
                let unsigned = Base64URL.encode(Data("{\"alg\":\"none\",\"kid\":\"\(client.keys.signing!.id)\"}".utf8)) + "."
                    + Base64URL.encode(try JSONEncoder().encode(widened)) + "."
                try expectUnauthorized(try await client.as(unsigned).post("/fhir/Patient", Mock.patient()))

                // The scheme in any case and spaces around the token are RFC 6750's; a token
                // glued to the scheme is not.
                let valid = try client.token(scope: "user/Patient.read")
                #expect(try await client.as(nil).send(.get, "/fhir/Patient", headers: [.authorization: "bEaReR  \t\(valid)  "]).status == .ok)
                for header in ["Bearer", "Bearer ", "Bearer\(valid)", "Basic dXNlcjpwYXNz", "bearer not.a.token", "Bearer \(valid) extra",
                               "Bearer \(String(repeating: "a", count: 20_000))"] {
                    let response = try await client.as(nil).send(.get, "/fhir/Patient", headers: [.authorization: header])
                    try expectUnauthorized(response)
                }
                try await expectNothingStored(record)
            }
        }

        @Test func aTokenMayDoOnlyWhatItsScopesSay() async throws {
            try await TestServer.run { client, record in
                let area = try await area(client)
                let before = try await record.allVersions().count
                let reader = client.as(try client.token(scope: "user/Observation.read"))

                #expect(try await reader.get("/fhir/Observation/\(area.aliceObservation)").status == .ok)
                try expectOutcome(try await reader.get("/fhir/Patient/\(area.alice)"), .forbidden, code: "forbidden")
                try expectOutcome(try await reader.post("/fhir/Observation", Mock.observation(subject: "Patient/\(area.alice)")),
                                  .forbidden, code: "forbidden")
                try expectOutcome(try await reader.delete("/fhir/Observation/\(area.aliceObservation)"), .forbidden)
                try expectOutcome(try await reader.patch("/fhir/Observation/\(area.aliceObservation)",
                                                         [["op": "replace", "path": "/status", "value": "amended"]]), .forbidden)
                try expectOutcome(try await reader.put("/fhir/Observation/\(area.aliceObservation)",
                                                       Mock.observation(subject: "Patient/\(area.bob)").setting("id", .string(area.aliceObservation))), .forbidden)

                // A chain or _has into a type the token may not read would say, by what
                // matches, what that type holds.
                try expectOutcome(try await reader.get("/fhir/Observation?subject:Patient.name=Ashworth"), .forbidden)
                let patientReader = client.as(try client.token(scope: "user/Patient.read"))
                try expectOutcome(try await patientReader.get("/fhir/Patient?_has:Observation:subject:code:text=Pulse"), .forbidden)
                // Searching every type, the whole history or a whole record needs every type.
                try expectOutcome(try await reader.get("/fhir?_lastUpdated=gt2000-01-01"), .forbidden)
                #expect(try await reader.get("/fhir?_type=Observation").status == .ok)
                try expectOutcome(try await reader.get("/fhir?_type=Observation,Patient"), .forbidden)
                try expectOutcome(try await reader.get("/fhir/_history"), .forbidden)
                try expectOutcome(try await reader.get("/fhir/Patient/_history"), .forbidden)
                try expectOutcome(try await reader.get("/fhir/Patient/\(area.alice)/$everything"), .forbidden)
                try expectOutcome(try await reader.get("/fhir/Patient/$everything"), .forbidden)

                // _include never shows a type the token may not read; the match still comes.
                let included = try await reader.searchBundle("/fhir/Observation?_id=\(area.aliceObservation)&_include=Observation:subject")
                #expect(included.entryIDs("match") == [area.aliceObservation])
                #expect(included.entryIDs("include").isEmpty, "the Patient was left out")
                let both = client.as(try client.token(scope: "user/Observation.read user/Patient.read"))
                let full = try await both.searchBundle("/fhir/Observation?_id=\(area.aliceObservation)&_include=Observation:subject")
                #expect(full.entryIDs("include") == [area.alice], "with Patient read the include is there")
                #expect(try await both.get("/fhir/Observation?subject:Patient.name=Ashworth").status == .ok)

                #expect(try await record.allVersions().count == before, "nothing was written")
            }
        }

        @Test func writesThatSearchNeedSearchOnWhatTheySearch() async throws {
            try await TestServer.run { client, record in
                let area = try await area(client)
                let before = try await record.allVersions().count
                let writer = client.as(try client.token(scope: "user/Observation.write user/Observation.read"))
                // A conditional reference is a search of Patients: it would tell whether one
                // named Ashworth exists.
                let probe = Mock.observation(subject: "Patient?name=Ashworth")
                try expectOutcome(try await writer.post("/fhir/Observation", probe), .forbidden)
                try expectOutcome(try await writer.post("/fhir/Observation", Mock.observation(subject: "Patient/\(area.alice)"),
                                                        headers: [HTTPField.Name("If-None-Exist")!: "subject:Patient.name=Ashworth"]), .forbidden)
                // A transaction is refused whole, naming the entry the token does not allow.
                let bundle = Mock.bundle("transaction", [
                    Mock.entry("POST", "Observation", resource: Mock.observation(subject: "Patient/\(area.alice)")),
                    Mock.entry("POST", "Patient", resource: Mock.patient()),
                ])
                try expectOutcome(try await writer.post("/fhir", bundle), .forbidden, code: "forbidden", expression: "Bundle.entry[1]")
                let batch = Mock.bundle("batch", [
                    Mock.entry("GET", "Patient?name=Ashworth"),
                ])
                try expectOutcome(try await writer.post("/fhir", batch), .forbidden, expression: "Bundle.entry[0]")
                let conditional = Mock.bundle("transaction", [
                    Mock.entry("POST", "Observation", resource: probe),
                ])
                try expectOutcome(try await writer.post("/fhir", conditional), .forbidden, expression: "Bundle.entry[0]")
                // A patch answers with the resource and its `test`s say what it holds, so it
                // needs read; a copy or move could carry a conditional reference into place.
                let updater = client.as(try client.token(scope: "user/Observation.cu"))
                try expectOutcome(try await updater.patch("/fhir/Observation/\(try await writer.create(Mock.observation(subject: "Patient/\(area.alice)")))", []),
                                  .forbidden)
                let patchWriter = client.as(try client.token(scope: "user/Observation.cru"))
                let target = try await client.create(Mock.observation(subject: "Patient/\(area.alice)"))
                try expectOutcome(try await patchWriter.patch("/fhir/Observation/\(target)",
                                                              [["op": "copy", "from": "/code/text", "path": "/subject/reference"]]), .forbidden)
                try expectOutcome(try await patchWriter.patch("/fhir/Observation/\(target)",
                                                              [["op": "replace", "path": "/subject/reference", "value": "Patient?name=Ashworth"]]), .forbidden)
                let patchBinary: JSON = ["resourceType": "Binary", "contentType": "application/json-patch+json",
                                         "data": .string(Data(JSONSerializer.bytes([["op": "move", "from": "/code/text", "path": "/subject/reference"]])).base64EncodedString())]
                try expectOutcome(try await patchWriter.post("/fhir", Mock.bundle("batch", [Mock.entry("PATCH", "Observation/\(target)", resource: patchBinary)])),
                                  .forbidden, expression: "Bundle.entry[0]")
                #expect(try await record.allVersions().count == before + 2, "nothing was written but the two set up")

                // What the token allows goes through.
                #expect(try await writer.post("/fhir/Observation", Mock.observation(subject: "Patient/\(area.alice)")).status == .created)
            }
        }

        @Test func aPatientTokenSeesItsOwnRecordAndNoOneElses() async throws {
            try await TestServer.run { client, record in
                let area = try await area(client)
                let before = try await record.allVersions().count
                let alice = client.as(try client.token(role: "person", organisation: nil, scope: "patient/*.read", patient: area.alice))

                #expect(try await alice.get("/fhir/Patient/\(area.alice)").status == .ok)
                #expect(try await alice.get("/fhir/Observation/\(area.aliceObservation)").status == .ok)
                #expect(try await alice.get("/fhir/Observation/\(area.aliceObservation)/_history/1").status == .ok)
                // Bob's record answers as if it did not exist.
                try expectOutcome(try await alice.get("/fhir/Patient/\(area.bob)"), .notFound)
                try expectOutcome(try await alice.get("/fhir/Observation/\(area.bobObservation)"), .notFound)
                // History is refused to patient tokens whoever's it is, so 403 says nothing.
                try expectOutcome(try await alice.get("/fhir/Observation/\(area.bobObservation)/_history"), .forbidden, code: "forbidden")
                try expectOutcome(try await alice.get("/fhir/Observation/\(area.bobObservation)/_history/1"), .notFound)
                try expectOutcome(try await alice.get("/fhir/Patient/\(area.bob)/Observation"), .notFound)
                try expectOutcome(try await alice.get("/fhir/Patient/\(area.bob)/$everything"), .notFound)

                // Searches, counts and totals see Alice's resources alone.
                let observations = try await alice.searchBundle("/fhir/Observation?_total=accurate")
                #expect(observations.entryIDs() == [area.aliceObservation])
                #expect(observations["total"] == .number("1"))
                let probing = try await alice.searchBundle("/fhir/Observation?subject=Patient/\(area.bob)&_total=accurate")
                #expect(probing.entryIDs().isEmpty)
                #expect(probing["total"] == .number("0"))
                let byName = try await alice.searchBundle("/fhir/Patient?name=Bramley&_total=accurate")
                #expect(byName["total"] == .number("0"))
                #expect(try await alice.searchBundle("/fhir/Patient").entryIDs() == [area.alice])
                let everything = try await alice.searchBundle("/fhir/Patient/\(area.alice)/$everything")
                #expect(Set(everything.entryIDs()).isSuperset(of: [area.alice, area.aliceObservation]))
                #expect(!everything.entryIDs().contains(area.bobObservation))

                // What could reach past the compartment is refused for now.
                try expectOutcome(try await alice.get("/fhir/Observation?_include=Observation:subject"), .forbidden)
                try expectOutcome(try await alice.get("/fhir/Observation?subject:Patient.name=Bramley"), .forbidden)
                try expectOutcome(try await alice.get("/fhir/Patient?_has:Observation:subject:code:text=Pulse"), .forbidden)
                try expectOutcome(try await alice.get("/fhir?_type=Observation"), .forbidden)
                try expectOutcome(try await alice.get("/fhir/Observation/_history"), .forbidden)
                try expectOutcome(try await alice.post("/fhir/Observation", Mock.observation(subject: "Patient/\(area.alice)")), .forbidden)
                try expectOutcome(try await alice.post("/fhir", Mock.bundle("batch", [Mock.entry("GET", "Observation/\(area.bobObservation)")])), .forbidden)
                #expect(try await record.allVersions().count == before, "nothing was written")
            }
        }

        @Test func aPatientTokenDoesNotReachThroughLinksChainsOrOldVersions() async throws {
            try await TestServer.run { client, record in
                let area = try await area(client)
                // Someone whose record links to Alice's is in her compartment, but is not her.
                let linked = try await client.create(Mock.patient(family: "Cole").setting("link", [["other": ["reference": .string("Patient/\(area.alice)")], "type": "seealso"]]))
                // An observation first about Bob, then corrected to be about Alice.
                let moved = try await client.create(Mock.observation(subject: "Patient/\(area.bob)", text: "Bob's secret"))
                #expect(try await client.put("/fhir/Observation/\(moved)", Mock.observation(subject: "Patient/\(area.alice)").setting("id", .string(moved))).status == .ok)
                let alice = client.as(try client.token(role: "person", organisation: nil, scope: "patient/*.read", patient: area.alice))

                try expectOutcome(try await alice.get("/fhir/Patient/\(linked)/$everything"), .notFound)
                #expect(try await alice.get("/fhir/Observation/\(moved)").status == .ok)
                let old = try await alice.get("/fhir/Observation/\(moved)/_history/1")
                try expectOutcome(old, .forbidden)
                #expect(!old.text.contains("Bob's secret"))
                try expectOutcome(try await alice.get("/fhir/Observation/\(moved)/_history"), .forbidden)
                // A chain of the same type still reads other people's resources.
                try expectOutcome(try await alice.get("/fhir/Observation?has-member:Observation.code:text=Pulse"), .forbidden)
            }
        }
    }
}

