@testable import CareRecord
import FHIR
import Foundation
import Storage
import Testing
import TestSupport

/// The audit log on both engines: entries numbered without gaps and hash-chained, a write's
/// entry committed with the write or not at all, the tables refusing UPDATE and DELETE, and
/// `verifyAudit` finding every kind of tampering done behind the server's back.
@Suite("Audit log: append-only, chained, verified")
struct AuditLogTests {
    static func entry(_ user: String, _ entities: [AuditEntity] = [], status: Int = 200) -> AuditEntry {
        AuditEntry(recorded: FHIRInstant(millisecondsSince1970: 1_767_225_600_000), action: "R", interaction: "read",
                   status: status, agent: AuditAgent(user: user, organisation: "A81001", role: "gp"),
                   address: "127.0.0.1", path: "/fhir/Patient/p", query: "x=1", entities: entities)
    }

    func patient(_ family: String) throws -> JSON {
        try JSONParser().parse(#"{"resourceType":"Patient","name":[{"family":"\#(family)"}]}"#)
    }

    @Test(arguments: TestEngines.available)
    func entriesRecordedTogetherAreNumberedWithoutGapsAndChained(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        #expect(try await test.record.verifyAudit() == AuditVerification(count: 0, head: nil, fault: nil))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await test.record.audit(Self.entry("user-\(index)", [AuditEntity("Observation", "o\(index)", version: 2),
                                                                             AuditEntity("Patient", "p\(index % 7)")]))
                }
            }
            try await group.waitForAll()
        }
        let log = try await test.record.auditLog()
        #expect(log.map(\.sequence) == Array(1...200))
        #expect(Set(log.compactMap(\.agent.user)) == Set((0..<200).map { "user-\($0)" }))
        let first = try #require(log.first)
        #expect(first.entities.count == 2 && first.entities[0].version == 2 && first.entities[1].version == nil)
        #expect(first.query == "x=1" && first.address == "127.0.0.1" && first.agent.organisation == "A81001")
        let verification = try await test.record.verifyAudit(pageSize: 37)
        #expect(verification.fault == nil)
        #expect(verification.count == 200 && verification.head?.sequence == 200)
        // The head, written down, parses back.
        let head = try #require(verification.head)
        #expect(AuditAnchor(head.description) == head)
        #expect(try await test.record.verifyAudit(expecting: head).fault == nil)
    }

    @Test(arguments: TestEngines.available)
    func aWriteRecordsItselfInItsOwnTransactionOrNotAtAll(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let audit = RequestAudit(interaction: "create", action: "C", path: "/fhir/Patient", query: nil, address: "::1")
        audit.identify(AuditAgent(user: "nurse-1", organisation: "RR8", role: "nurse"))
        let created = try await RequestAudit.$current.withValue(audit) {
            try await test.record.create(try patient("Ashworth"), type: "Patient")
        }
        #expect(audit.isRecordedWithWrite)
        let stored = try #require(created.stored)
        var log = try await test.record.auditLog()
        #expect(log.count == 1)
        #expect(log.first?.entities == [AuditEntity(stored.key, version: 1)])
        #expect(log.first?.status == 201 && log.first?.agent.user == "nurse-1" && log.first?.action == "C")

        // A write that fails (a stale If-Match) rolls its entry back with it: the server then
        // records the refusal itself (`AuditMiddleware`).
        let stale = RequestAudit(interaction: "update", action: "U", path: "/fhir/Patient/\(stored.key.id)", query: nil, address: nil)
        await #expect(throws: RecordError.self) {
            try await RequestAudit.$current.withValue(stale) {
                var body = try #require(try patient("Ashworth-Smith").objectValue)
                body["id"] = .string(stored.key.id)
                _ = try await test.record.update(.object(body), key: stored.key, ifMatch: 7)
            }
        }
        #expect(!stale.isRecordedWithWrite)
        log = try await test.record.auditLog()
        #expect(log.count == 1)
        #expect(try await test.record.read(stored.key).version == 1)

        // A write made for no request (an import) records nothing of its own.
        _ = try await test.record.create(try patient("Bramley"), type: "Patient")
        #expect(try await test.record.auditLog().count == 1)
    }

    @Test(arguments: TestEngines.available)
    func theTablesRefuseUpdateAndDelete(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        try await test.record.audit(Self.entry("gp-1", [AuditEntity("Patient", "p")]))
        try await test.record.flushAudit()
        for statement in ["UPDATE audit_event SET user_id = 'someone-else'", "DELETE FROM audit_event",
                          "UPDATE audit_entity SET id = 'q'", "DELETE FROM audit_entity"] {
            await #expect(throws: (any Error).self, "\(statement)") {
                try await test.record.database.write { connection in _ = try connection.execute(statement) }
            }
        }
        #expect(try await test.record.auditLog().first?.agent.user == "gp-1")
        #expect(try await test.record.auditLog().first?.entities == [AuditEntity("Patient", "p")])
    }

    /// Someone with the database itself (the triggers dropped) changes the log; each change
    /// is found, at the entry where it was made.
    @Test(arguments: TestEngines.available)
    func tamperingBehindTheServersBackIsFound(engine: SQLEngine) async throws {
        let tampering: [(name: String, sql: String, fault: AuditFault?)] = [
            ("a changed user", "UPDATE audit_event SET user_id = 'innocent' WHERE seq = 3", AuditFault(sequence: 3, reason: .altered)),
            ("a changed status", "UPDATE audit_event SET status = 200 WHERE seq = 4", AuditFault(sequence: 4, reason: .altered)),
            ("a removed entity", "DELETE FROM audit_entity WHERE seq = 2 AND position = 0", AuditFault(sequence: 2, reason: .altered)),
            ("a changed entity", "UPDATE audit_entity SET id = 'other' WHERE seq = 5", AuditFault(sequence: 5, reason: .altered)),
            ("a removed entry", "DELETE FROM audit_event WHERE seq = 3", AuditFault(sequence: 3, reason: .missing)),
            ("an entity hidden from reports", "UPDATE audit_entity SET bucket = 7 WHERE seq = 2", AuditFault(sequence: 2, reason: .altered)),
            ("two entries swapped", "UPDATE audit_event SET seq = seq + 1000 WHERE seq IN (2, 3)", AuditFault(sequence: 2, reason: .altered)),
        ]
        for attempt in tampering {
            let test = try await TestRecord.on(engine)
            for index in 1...6 {
                try await test.record.audit(Self.entry("user-\(index)", [AuditEntity("Patient", "p\(index)")], status: 403))
            }
            try await Self.dropTriggers(test.record, engine: engine)
            try await test.record.database.write { connection in _ = try connection.execute(attempt.sql) }
            if attempt.name == "two entries swapped" {
                try await test.record.database.write { connection in
                    _ = try connection.execute("UPDATE audit_event SET seq = CASE seq WHEN 1002 THEN 3 ELSE 2 END WHERE seq > 1000")
                }
            }
            #expect(try await test.record.verifyAudit().fault == attempt.fault, "\(attempt.name)")
        }
    }

    /// Cutting the log short, or rewriting it from some entry on with hashes recomputed,
    /// leaves a chain that holds; the head written down earlier shows it.
    @Test(arguments: TestEngines.available)
    func aShortenedOrRewrittenLogMissesTheHeadWrittenDown(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        for index in 1...5 { try await test.record.audit(Self.entry("user-\(index)")) }
        let anchor = try #require(try await test.record.verifyAudit().head)
        try await Self.dropTriggers(test.record, engine: engine)

        // Rewritten: the last entry's user changed and its hash made again from the chain.
        let log = try await test.record.auditLog()
        var rewritten = log[4]
        rewritten.agent.user = "innocent"
        let previous = try #require(try await test.record.database.read { connection in
            try connection.fetchOne("SELECT hash FROM audit_event WHERE seq = 4")?[0].bytes
        })
        let hash = AuditChain.hash(rewritten, after: previous)
        try await test.record.database.write { connection in
            _ = try connection.execute("UPDATE audit_event SET user_id = 'innocent', hash = ? WHERE seq = 5", [.blob(hash)])
        }
        #expect(try await test.record.verifyAudit().fault == nil, "the chain alone cannot tell")
        #expect(try await test.record.verifyAudit(expecting: anchor).fault == AuditFault(sequence: 5, reason: .notTheAnchor))

        // Cut short: the last two entries removed.
        try await test.record.database.write { connection in _ = try connection.execute("DELETE FROM audit_event WHERE seq >= 4") }
        #expect(try await test.record.verifyAudit().fault == nil)
        #expect(try await test.record.verifyAudit(expecting: anchor).fault == AuditFault(sequence: 5, reason: .missing))
    }

    /// A person's access report holds the entries that named them and those that touched a
    /// resource in their compartment (read by id, or on a search's page), and no one else's.
    @Test(arguments: TestEngines.available)
    func theAccessReportFindsEveryLookAtAPersonsRecord(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        let alice = try #require(try await test.record.create(try patient("Ashworth"), type: "Patient").stored?.key.id)
        let bob = try #require(try await test.record.create(try patient("Bramley"), type: "Patient").stored?.key.id)
        let observation = try JSONParser().parse(#"""
            {"resourceType":"Observation","status":"final","code":{"text":"Pulse"},"subject":{"reference":"Patient/\#(alice)"}}
            """#)
        let pulse = try #require(try await test.record.create(observation, type: "Observation").stored?.key.id)
        try await test.record.audit(Self.entry("reads-by-id", [AuditEntity("Observation", pulse, version: 1)]))
        try await test.record.audit(Self.entry("looks-at-bob", [AuditEntity("Patient", bob)]))
        try await test.record.audit(Self.entry("searches", [AuditEntity("Observation", pulse, version: 1),
                                                              AuditEntity("Patient", bob)]))
        try await test.record.audit(Self.entry("opens-alice", [AuditEntity("Patient", alice, version: 1)]))
        let report = try await test.record.auditEntries(patient: alice)
        #expect(report.compactMap(\.agent.user) == ["opens-alice", "searches", "reads-by-id"], "newest first")
        let bobs = try await test.record.auditEntries(patient: bob)
        #expect(bobs.compactMap(\.agent.user) == ["searches", "looks-at-bob"])
        // Paged.
        let firstPage = try await test.record.auditEntries(patient: alice, count: 2)
        #expect(firstPage.compactMap(\.agent.user) == ["opens-alice", "searches"])
        let secondPage = try await test.record.auditEntries(patient: alice, before: firstPage.last?.sequence, count: 2)
        #expect(secondPage.compactMap(\.agent.user) == ["reads-by-id"])
        #expect(try await test.record.auditEntries(patient: "nobody").isEmpty)
    }

    /// A SQLite server's entries of reads wait in its journal until loaded; a server that dies
    /// first leaves them on disk, and whoever opens the store next loads them (a record cut
    /// short by the crash is left out), but never a segment a living process still holds.
    @Test func entriesInTheJournalOfADeadProcessReachTheLogWhenTheStoreIsOpened() async throws {
        let test = try TestRecord()
        let folder = test.path + "-audit"
        do {
            let dead = try AuditJournal(folder: folder)
            try dead.append([Self.entry("before-the-crash-1"), Self.entry("before-the-crash-2", [AuditEntity("Patient", "p")])])
            // The crash came in the middle of writing a third.
            let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { $0.hasSuffix(".journal") }.map { folder + "/" + $0 }
                .max { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0) ?? 0
                    < (try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int ?? 0) ?? 0 })
            let handle = try #require(FileHandle(forWritingAtPath: segment))
            handle.seekToEndOfFile()
            handle.write(Data([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]))
            try handle.close()
        }
        try await test.record.audit(Self.entry("living"))
        let reopened = try await test.reopened()
        let log = try await reopened.auditLog()
        #expect(log.compactMap(\.agent.user) == ["before-the-crash-1", "before-the-crash-2"], "the living process's entry is not taken")
        #expect(log.last?.entities == [AuditEntity("Patient", "p")])
        // The living process loads its own.
        #expect(try await test.record.auditLog().compactMap(\.agent.user) == ["before-the-crash-1", "before-the-crash-2", "living"])
        #expect(try await test.record.verifyAudit().fault == nil)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".journal") }
        #expect(left.count == 2, "one live segment each for the two open records: \(left)")
    }

    /// Drops the append-only triggers, as someone with the database could; the journal's
    /// entries are in the log first.
    static func dropTriggers(_ record: CareRecord, engine: SQLEngine) async throws {
        try await record.flushAudit()
        let statements = engine == .sqlite
            ? ["audit_event_append_only_update", "audit_event_append_only_delete",
               "audit_entity_append_only_update", "audit_entity_append_only_delete"].map { "DROP TRIGGER \($0)" }
            : ["DROP TRIGGER audit_event_append_only ON audit_event", "DROP TRIGGER audit_entity_append_only ON audit_entity"]
        try await record.database.write { connection in
            for statement in statements { _ = try connection.execute(statement) }
        }
    }
}
