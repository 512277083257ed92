@testable import CareRecord
import FHIR
import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import Testing

extension FHIRServerTests {
    /// The audit trail over HTTP: every request (answered, refused at the door, refused by
    /// scope, hidden as absent, failed) leaves exactly one entry saying who, what, from where
    /// and how it ended; a person reads who has looked at their record; the log cannot be
    /// written through the API; and an answer the log cannot hold is not sent.
    @Suite("Audit: every request recorded")
    struct AuditTrailTests {
        @Test func everyRequestLeavesOneEntrySayingWhoWhatAndHowItEnded() async throws {
            try await TestServer.run { client, record in
                let alice = try await client.create(Mock.patient(family: "Ashworth"))
                let bob = try await client.create(Mock.patient(family: "Bramley"))
                // Dr Jones's practice (A81001) has Alice's episode open.
                try await client.openEpisode(for: alice)
                let pulse = try await client.create(Mock.observation(subject: "Patient/\(alice)"))
                // Each create recorded itself, with its write.
                let setUp = try await record.auditLog()
                #expect(setUp.map(\.interaction) == Array(repeating: "create", count: 5))
                #expect(setUp.map(\.status) == Array(repeating: 201, count: 5))
                #expect(setUp.last?.entities == [AuditEntity("Observation", pulse, version: 1)])
                #expect(setUp.last?.agent.user == "test-system" && setUp.last?.agent.role == "system")
                let start = try #require(setUp.last?.sequence)

                let gp = client.as(try client.token(role: "gp", organisation: "A81001", scope: "user/*.read", user: "dr-jones"))
                let bobsOwn = client.as(try client.token(role: "person", organisation: nil, scope: "patient/*.read", patient: bob, user: "bob"))
                #expect(try await gp.get("/fhir/Observation/\(pulse)").status == .ok)
                #expect(try await gp.get("/fhir/Observation?subject=Patient/\(alice)").status == .ok)
                #expect(try await client.as(nil).get("/fhir/Patient/\(alice)").status == .unauthorized)
                #expect(try await client.as("not.a.token").get("/fhir/Patient/\(alice)").status == .unauthorized)
                #expect(try await gp.post("/fhir/Patient", Mock.patient()).status == .forbidden)
                #expect(try await bobsOwn.get("/fhir/Observation/\(pulse)").status == .notFound)
                var changed = try #require(Mock.patient(family: "Ashworth-Smith").objectValue)
                changed["id"] = .string(alice)
                #expect(try await client.put("/fhir/Patient/\(alice)", .object(changed), headers: [.ifMatch: "W/\"9\""]).status
                    == .preconditionFailed)

                let log = try await record.auditLog(after: start)
                try #require(log.count == 7, "\(log.map { "\($0.interaction) \($0.status)" })")
                #expect(log.map(\.interaction) == ["read", "search-type", "read", "read", "create", "read", "update"])
                #expect(log.map(\.status) == [200, 200, 401, 401, 403, 404, 412])
                #expect(log.map(\.agent.user) == ["dr-jones", "dr-jones", nil, nil, "dr-jones", "bob", "test-system"])
                #expect(log[0].entities == [AuditEntity("Observation", pulse, version: 1)], "the version handed out")
                #expect(log[0].agent.organisation == "A81001" && log[0].agent.role == "gp" && log[0].action == "R")
                #expect(log[0].address == "127.0.0.1")
                #expect(log[1].entities == [AuditEntity("Observation", pulse, version: 1)], "what the search's page held")
                #expect(log[1].query == "subject=Patient/\(alice)" && log[1].action == "E")
                #expect(log[2].detail?.contains("a bearer token is required") == true, "\(log[2].detail ?? "")")
                #expect(log[2].entities == [AuditEntity("Patient", alice)], "what was reached for, though refused")
                #expect(log[4].detail?.contains("does not allow") == true)
                #expect(log[5].agent.patient == bob && log[5].entities == [AuditEntity("Observation", pulse)])
                #expect(log.allSatisfy { $0.outcome == ($0.status < 400 ? 0 : 4) })
                #expect(try await record.verifyAudit().fault == nil)
            }
        }

        @Test func aPersonReadsWhoHasLookedAtTheirRecordAndNoOneElses() async throws {
            try await TestServer.run { client, record in
                let alice = try await client.create(Mock.patient(family: "Ashworth"))
                let bob = try await client.create(Mock.patient(family: "Bramley"))
                let pulse = try await client.create(Mock.observation(subject: "Patient/\(alice)"))
                try await client.openEpisode(for: alice)
                try await client.openEpisode(for: bob)
                let gp = client.as(try client.token(role: "gp", organisation: "A81001", scope: "user/*.read", user: "dr-jones"))
                #expect(try await gp.get("/fhir/Observation/\(pulse)").status == .ok)
                #expect(try await gp.get("/fhir/Patient/\(bob)").status == .ok)

                let alicesOwn = client.as(try client.token(role: "person", organisation: nil, scope: "patient/*.read",
                                                           patient: alice, user: "alice"))
                let report = try await alicesOwn.get("/fhir/AuditEvent")
                #expect(report.status == .ok, "\(report.text)")
                let entries = try report.json()["entry"]?.elements.compactMap { $0["resource"] } ?? []
                let users = entries.map { $0["agent"]?[0]?["who"]?["identifier"]?["value"]?.stringValue }
                #expect(users == ["dr-jones", "test-system", "test-system", "test-system"],
                        "newest first: the GP's read, then the writes: her episode, her observation, herself")
                let read = try #require(entries.first)
                #expect(read["resourceType"] == "AuditEvent" && read["action"] == "R" && read["outcome"] == "0")
                #expect(read["subtype"]?[0]?["code"] == "read")
                #expect(read["agent"]?[1]?["who"]?["identifier"]?["value"] == "A81001")
                #expect(read["entity"]?[0]?["what"]?["reference"] == .string("Observation/\(pulse)/_history/1"))
                #expect(try await alicesOwn.get("/fhir/AuditEvent?patient=Patient/\(alice)&_count=1").json()["entry"]?.elements.count == 1)

                // Someone else's report is as if it did not exist; staff other than privacy
                // officers may not read the log; a privacy officer reads anyone's.
                #expect(try await alicesOwn.get("/fhir/AuditEvent?patient=\(bob)").status == .notFound)
                #expect(try await gp.get("/fhir/AuditEvent?patient=\(bob)").status == .forbidden)
                let officer = client.as(try client.token(role: "privacy-officer", organisation: "A81001",
                                                         scope: "user/AuditEvent.read", user: "ig-lead"))
                let bobsReport = try await officer.get("/fhir/AuditEvent?patient=\(bob)")
                let bobsUsers = try bobsReport.json()["entry"]?.elements.compactMap { $0["resource"]?["agent"]?[0]?["who"]?["identifier"]?["value"]?.stringValue }
                #expect(bobsReport.status == .ok)
                #expect(bobsUsers == ["dr-jones", "test-system", "test-system"], "the GP's read, then his episode and his create")
                let byID = try await officer.get("/fhir/AuditEvent/1")
                #expect(byID.status == .ok)
                #expect(try byID.json()["id"] == "1")
                #expect(try await officer.get("/fhir/AuditEvent/99999").status == .notFound)
                #expect(try await gp.get("/fhir/AuditEvent/1").status == .forbidden)
                // Reading the log is itself recorded, under the patient read about.
                let last = try #require(try await record.auditLog().last)
                #expect(last.interaction == "read" && last.agent.user == "dr-jones" && last.status == 403)
                #expect(try await record.auditEntries(patient: bob).first?.agent.user == "ig-lead")
            }
        }

        /// A bundle is one entry, in its own transaction: what it wrote, and what its GET
        /// entries handed out (a read and a search's page).
        @Test func aBundleRecordsWhatItWroteAndWhatItsReadsHandedOut() async throws {
            try await TestServer.run { client, record in
                let alice = try await client.create(Mock.patient(family: "Ashworth"))
                let pulse = try await client.create(Mock.observation(subject: "Patient/\(alice)"))
                let start = try #require(try await record.auditLog().last?.sequence)
                let bundle = Mock.bundle("batch", [
                    Mock.entry("POST", "Patient", resource: Mock.patient(family: "Bramley")),
                    Mock.entry("GET", "Patient/\(alice)"),
                    Mock.entry("GET", "Observation?subject=Patient/\(alice)"),
                ])
                let answer = try await client.post("/fhir", bundle)
                #expect(answer.status == .ok)
                let bob = try #require(try answer.json()["entry"]?[0]?["response"]?["location"]?.stringValue?.split(separator: "/")[1])
                let log = try await record.auditLog(after: start)
                try #require(log.count == 1)
                #expect(log[0].interaction == "batch" && log[0].action == "E" && log[0].status == 200)
                #expect(Set(log[0].entities) == [AuditEntity("Patient", String(bob), version: 1), AuditEntity("Patient", alice, version: 1),
                                                 AuditEntity("Observation", pulse, version: 1)])
                #expect(try await record.auditEntries(patient: alice).first?.sequence == log[0].sequence)
            }
        }

        @Test func theLogCannotBeWrittenThroughTheAPI() async throws {
            try await TestServer.run { client, record in
                let event: JSON = ["resourceType": "AuditEvent", "type": ["code": "rest"], "recorded": "2026-01-01T00:00:00Z",
                                   "agent": [["requestor": true]], "source": ["observer": ["display": "forger"]]]
                _ = try expectOutcome(try await client.post("/fhir/AuditEvent", event), .methodNotAllowed, code: "not-supported")
                _ = try expectOutcome(try await client.put("/fhir/AuditEvent/1", event), .methodNotAllowed, code: "not-supported")
                _ = try expectOutcome(try await client.delete("/fhir/AuditEvent/1"), .methodNotAllowed, code: "not-supported")
                var forged = try #require(event.objectValue)
                forged["id"] = "forged"
                for type in ["transaction", "batch"] {
                    let bundle = Mock.bundle(type, [Mock.entry("POST", "AuditEvent", resource: event),
                                                    Mock.entry("PUT", "AuditEvent/forged", resource: .object(forged))])
                    let answer = try await client.post("/fhir", bundle)
                    if type == "transaction" {
                        _ = try expectOutcome(answer, .unprocessableContent, code: "forbidden")
                    } else {
                        let statuses = try answer.json()["entry"]?.elements.compactMap { $0["response"]?["status"]?.stringValue }
                        #expect(statuses?.allSatisfy { $0.hasPrefix("422") } == true, "\(statuses ?? [])")
                    }
                }
                try await expectNothingStored(record)
                // The attempts are in the log all the same.
                // (A write's entry is committed with it; a refusal's reaches the log from the
                // journal, up to a second later: the log's order is not the requests'.)
                let log = try await record.auditLog()
                #expect(log.map(\.status).sorted() == [200, 405, 405, 405, 422])
            }
        }

        /// When the log cannot take an entry, nothing happens that it does not hold: a write is
        /// rolled back with its entry; a read on PostgreSQL is answered 500 with nothing of the
        /// record in it; on SQLite the read's entry waits in the journal, on disk, and reaches
        /// the log once it takes entries again.
        @Test func whatTheLogCannotHoldIsNotAnswered() async throws {
            try await TestServer.run { client, record in
                let alice = try await client.create(Mock.patient(family: "Ashworth"))
                try await record.database.write { connection in
                    if record.engineKind == .sqlite {
                        _ = try connection.execute("CREATE TRIGGER audit_full BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'full'); END")
                    } else {
                        _ = try connection.execute("CREATE FUNCTION audit_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'full'; END $$")
                        _ = try connection.execute("CREATE TRIGGER audit_full BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_full()")
                    }
                }
                let read = try await client.get("/fhir/Patient/\(alice)")
                if record.engineKind == .postgres {
                    #expect(read.status == .internalServerError)
                    #expect(!read.text.contains("Ashworth"), "the record stays on the server")
                } else {
                    #expect(read.status == .ok)
                    await #expect(throws: (any Error).self, "the journal cannot be loaded while the log refuses") {
                        try await record.flushAudit()
                    }
                }
                let write = try await client.post("/fhir/Patient", Mock.patient(family: "Bramley"))
                #expect(write.status == .internalServerError)
                #expect(try await record.allVersions().count == 1, "the write was rolled back with its entry")
                try await record.database.write { connection in _ = try connection.execute("DROP TRIGGER audit_full" + (record.engineKind == .sqlite ? "" : " ON audit_event")) }
                // On SQLite the journal held the read and the failed write; on PostgreSQL the log
                // refused their entries too, and the server answered neither.
                let log = try await record.auditLog()
                if record.engineKind == .sqlite {
                    #expect(log.map(\.interaction) == ["create", "read", "create"])
                    #expect(log.map(\.status) == [201, 200, 500])
                } else {
                    #expect(log.map(\.interaction) == ["create"])
                }
                #expect(try await record.verifyAudit().fault == nil)
            }
        }
    }
}
