import CareRecord
import FHIR
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension FHIRServerTests {
    /// Legitimate relationships on the real server, by attack: a GP of practice A81001, whose
    /// practice has Alice's episode open and nothing of Bob's, reaches for Bob's record every
    /// way the API offers (by id, version, history, `$everything`, search, `_total`, chains,
    /// `_include`, `_revinclude`, `_has`, bundles, writes) and gets only what would answer
    /// were Bob not there, each attempt recorded. Breaking the glass then opens Bob's record,
    /// flagged in the log and listed for the practice's privacy officer.
    @Suite("Access: relationships under attack")
    struct RelationshipAttackTests {
        struct Area {
            let alice: String
            let bob: String
            let alicePulse: String
            let bobPulse: String
        }

        func area(_ client: FHIRClient) async throws -> Area {
            let alice = try await client.create(Mock.patient(family: "Ashworth"))
            let bob = try await client.create(Mock.patient(family: "Bramley"))
            try await client.openEpisode(for: alice)
            return Area(alice: alice, bob: bob,
                        alicePulse: try await client.create(Mock.observation(subject: "Patient/\(alice)", text: "Pulse")),
                        bobPulse: try await client.create(Mock.observation(subject: "Patient/\(bob)", text: "Pulse")))
        }

        @Test func someoneWithoutARelationshipIsAsIfAbsent() async throws {
            try await TestServer.run { client, record in
                let area = try await area(client)
                let gp = client.as(try client.token(role: "gp", organisation: "A81001", scope: "user/*.*", user: "dr-jones"))
                let before = try await record.allVersions().count
                // The system sees both; the GP sees Alice.
                #expect(try await client.searchBundle("/fhir/Patient?_total=accurate")["total"] == 2)
                #expect(try await gp.searchBundle("/fhir/Patient?_total=accurate")["total"] == 1)
                #expect(try await gp.get("/fhir/Patient/\(area.alice)").status == .ok)
                // By id, version, history and $everything: 404, as for an id never used.
                for path in ["/fhir/Patient/\(area.bob)", "/fhir/Observation/\(area.bobPulse)", "/fhir/Patient/\(area.bob)/_history/1",
                             "/fhir/Patient/\(area.bob)/_history", "/fhir/Patient/\(area.bob)/$everything", "/fhir/Patient/never-used"] {
                    let absent = try await gp.get(path)
                    _ = try expectOutcome(absent, .notFound)
                    #expect(!absent.text.contains("Bramley"), "\(path)")
                }
                // The history of a type or the record reaches everyone's: refused outright.
                #expect(try await gp.get("/fhir/Patient/_history").status == .forbidden)
                #expect(try await gp.get("/fhir/_history").status == .forbidden)
                // Search, counting, chains, includes, _has: nothing of Bob's, not even a count.
                for query in ["/fhir/Patient?family=Bramley&_total=accurate", "/fhir/Patient?_id=\(area.bob)&_total=accurate",
                              "/fhir/Observation?subject=Patient/\(area.bob)&_total=accurate",
                              "/fhir/Observation?subject:Patient.family=Bramley&_total=accurate",
                              "/fhir/Patient/\(area.bob)/Observation?_total=accurate",
                              "/fhir/Patient?_has:Observation:subject:code:text=Pulse&family=Bramley&_total=accurate",
                              "/fhir/Observation?_summary=count&subject=Patient/\(area.bob)"] {
                    let bundle = try await gp.searchBundle(query)
                    #expect(bundle["total"] == 0 && bundle.entries.isEmpty, "\(query): \(bundle)")
                }
                let observations = try await gp.searchBundle("/fhir/Observation?_include=Observation:subject&_total=accurate")
                #expect(observations.entryIDs() == [area.alicePulse] && observations.entryIDs("include") == [area.alice])
                #expect(observations["total"] == 1)
                let revincluded = try await gp.searchBundle("/fhir/Patient?_revinclude=Observation:subject")
                #expect(revincluded.entryIDs() == [area.alice] && revincluded.entryIDs("include") == [area.alicePulse])
                // A resource about no one still shows, but never as a way to Bob.
                let organisations = try await gp.searchBundle("/fhir/Organization?_revinclude=EpisodeOfCare:organization")
                #expect(organisations.entryIDs().count == 1 && organisations.entryIDs("include").count == 1)
                // Bundles: a batch's GET of Bob is a 404 entry; a write into his record is refused.
                let batch = try await gp.post("/fhir", Mock.bundle("batch", [Mock.entry("GET", "Patient/\(area.bob)"),
                                                                              Mock.entry("GET", "Patient?family=Bramley")]))
                let batchJSON = try batch.json()
                #expect(batchJSON["entry"]?[0]?["response"]?["status"]?.stringValue?.hasPrefix("404") == true, "\(batchJSON)")
                #expect(batchJSON["entry"]?[1]?["resource"]?["total"] == 0)
                #expect(!batch.text.contains("Bramley"))
                // Writes: into Bob's record 403 (as for an id never used), over his 404.
                _ = try expectOutcome(try await gp.post("/fhir/Observation", Mock.observation(subject: "Patient/\(area.bob)")), .forbidden)
                _ = try expectOutcome(try await gp.post("/fhir/Observation", Mock.observation(subject: "Patient/never-used")), .forbidden)
                var taken = try #require(Mock.observation(subject: "Patient/\(area.alice)").objectValue)
                taken["id"] = .string(area.bobPulse)
                _ = try expectOutcome(try await gp.put("/fhir/Observation/\(area.bobPulse)", .object(taken)), .notFound)
                _ = try expectOutcome(try await gp.delete("/fhir/Observation/\(area.bobPulse)"), .notFound)
                _ = try expectOutcome(try await gp.patch("/fhir/Observation/\(area.bobPulse)", [["op": "replace", "path": "/status", "value": "amended"]]),
                                      .notFound)
                let transaction = Mock.bundle("transaction", [Mock.entry("POST", "Observation", resource: Mock.observation(subject: "Patient/\(area.alice)")),
                                                              Mock.entry("POST", "Observation", resource: Mock.observation(subject: "Patient/\(area.bob)"))])
                _ = try expectOutcome(try await gp.post("/fhir", transaction), .forbidden)
                #expect(try await record.allVersions().count == before, "nothing was written")
                // Every attempt is in the log, as the GP's, with what it answered.
                let attempts = try await record.auditLog().filter { $0.agent.user == "dr-jones" }
                #expect(attempts.count >= 24)
                #expect(attempts.contains { $0.status == 404 && $0.entities.contains(AuditEntity("Patient", area.bob)) })
                // What an answer handed out carries its version (a refused vread notes the one asked for).
                #expect(attempts.filter { $0.status < 400 }.allSatisfy { entry in !entry.entities.contains { ($0.id == area.bob || $0.id == area.bobPulse) && $0.version != nil } },
                        "nothing of Bob's was handed out")
            }
        }

        @Test func breakingTheGlassOpensTheRecordFlaggedAndListed() async throws {
            try await TestServer.run { client, record in
                let area = try await area(client)
                let gp = client.as(try client.token(role: "gp", organisation: "A81001", scope: "user/*.*", user: "dr-jones"))
                func reason(_ text: String) -> JSON { ["resourceType": "Parameters", "parameter": [["name": "reason", "valueString": .string(text)]]] }
                // A reason is required; a patient who does not exist cannot be opened.
                _ = try expectOutcome(try await gp.post("/fhir/Patient/\(area.bob)/$break-glass", ["resourceType": "Parameters"]), .badRequest)
                _ = try expectOutcome(try await gp.post("/fhir/Patient/\(area.bob)/$break-glass", reason("   ")), .badRequest)
                _ = try expectOutcome(try await gp.post("/fhir/Patient/\(area.bob)/$break-glass",
                                                        reason(String(repeating: "x", count: CareRecord.maximumBreakGlassReason + 1))), .badRequest)
                _ = try expectOutcome(try await gp.post("/fhir/Patient/never-used/$break-glass", reason("collapsed in clinic")), .notFound)
                // A system is not held to relationships and has no glass to break.
                _ = try expectOutcome(try await client.post("/fhir/Patient/\(area.bob)/$break-glass", reason("x")), .badRequest)
                #expect(try await gp.get("/fhir/Patient/\(area.bob)").status == .notFound)
                // A token that may not read Patients may not break the glass to one.
                let narrow = client.as(try client.token(role: "gp", organisation: "A81001", scope: "user/Observation.read", user: "dr-jones"))
                _ = try expectOutcome(try await narrow.post("/fhir/Patient/\(area.bob)/$break-glass", reason("x")), .forbidden)

                let opened = try await gp.post("/fhir/Patient/\(area.bob)/$break-glass", reason("collapsed in clinic, no relationship on record"))
                #expect(opened.status == .ok, "\(opened.text)")
                #expect(try opened.json()["parameter"]?[2]?["name"] == "expires")
                #expect(try await gp.get("/fhir/Patient/\(area.bob)").status == .ok)
                #expect(try await gp.searchBundle("/fhir/Observation?subject=Patient/\(area.bob)").entryIDs() == [area.bobPulse])
                // Another user of the same practice has not broken it.
                let colleague = client.as(try client.token(role: "gp", organisation: "A81001", scope: "user/*.*", user: "dr-smith"))
                #expect(try await colleague.get("/fhir/Patient/\(area.bob)").status == .notFound)

                // The break is flagged in the log with its reason, and in Bob's access report.
                let log = try await record.auditLog()
                let broken = try #require(log.first { $0.interaction == "$break-glass" && $0.status == 200 })
                #expect(broken.agent.user == "dr-jones" && broken.entities == [AuditEntity("Patient", area.bob)])
                #expect(broken.detail?.contains("collapsed in clinic") == true)
                // The practice's privacy officer sees the grant; another organisation's does not; a GP may not look.
                let officer = client.as(try client.token(role: "privacy-officer", organisation: "A81001", scope: "user/*.read", user: "ig-lead"))
                let grants = try await officer.get("/fhir/$break-glass-grants")
                #expect(grants.status == .ok, "\(grants.text)")
                let grant = try #require(try grants.json()["parameter"]?[0]?["part"]?.elements)
                #expect(grant.contains { $0["name"] == "user" && $0["valueString"] == "dr-jones" })
                #expect(grant.contains { $0["name"] == "reason" && $0["valueString"] == "collapsed in clinic, no relationship on record" })
                let elsewhere = client.as(try client.token(role: "privacy-officer", organisation: "RR8", scope: "user/*.read", user: "ig-other"))
                #expect(try await elsewhere.get("/fhir/$break-glass-grants").json()["parameter"]?.elements.isEmpty ?? true)
                #expect(try await gp.get("/fhir/$break-glass-grants").status == .forbidden)
                // A system, acting for no organisation, reviews every grant.
                #expect(try await client.get("/fhir/$break-glass-grants").json()["parameter"]?.elements.count == 1)
            }
        }
    }
}
