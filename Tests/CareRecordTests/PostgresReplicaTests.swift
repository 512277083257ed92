@testable import CareRecord
import FHIR
import Foundation
import Storage
import Testing
import TestSupport

/// `--read-replica`: reads go to a real streaming replica of the test server (started by
/// `scripts/with-postgres` with `JOINEDUP_POSTGRES_REPLICA=1`), but never before it has
/// replayed what this process wrote: a client always reads its own writes. Serialized: one
/// test pauses the replica's replay.
@Suite("PostgreSQL: a read replica", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["JOINEDUP_TEST_POSTGRES_REPLICA"] != nil))
struct PostgresReplicaTests {
    static var replica: String { ProcessInfo.processInfo.environment["JOINEDUP_TEST_POSTGRES_REPLICA"] ?? "" }

    /// A record in a fresh schema of the test server, reading from its replica.
    func openRecord() async throws -> (record: CareRecord, database: PostgresDatabase) {
        let record = try await CareRecord.open(postgres: try PostgresAddress(try TestEngines.freshSchemaAddress()),
                                               maximumReaders: 3, readReplica: try PostgresAddress(Self.replica))
        guard case .postgres(let database) = record.engine else { throw StorageError(.cannotOpen, detail: "not PostgreSQL") }
        return (record, database)
    }

    /// Whether the server that answers this record's reads is a replica.
    func readsServedByReplica(_ record: CareRecord) async throws -> Bool {
        try await record.read { try $0.fetchOne("SELECT pg_is_in_recovery()")?[0].int64 == 1 }
    }

    /// Waits up to a minute for `condition`. The replica replays the WAL of every suite that
    /// runs beside this one, on one process, so on a busy two-core machine it can be seconds
    /// behind (the lag test took 13 s locally beside an import; it used to give up at ten, and
    /// is the likeliest cause of a CI failure whose message was not kept). What the tests
    /// assert is that the replica catches up and reads move to it, not how fast.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Runs SQL on the replica itself, as its administrator (psql from the server's folder).
    func onReplica(_ sql: String) throws {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: (ProcessInfo.processInfo.environment["JOINEDUP_POSTGRES_BIN"] ?? "/usr/bin") + "/psql")
        psql.arguments = [Self.replica, "-Atqc", sql]
        try psql.run()
        psql.waitUntilExit()
        #expect(psql.terminationStatus == 0, "psql: \(sql)")
    }

    func patient(_ n: Int) throws -> JSON {
        try JSONParser().parse("""
            {"resourceType": "Patient", "identifier": [{"system": "urn:replica-test", "value": "r\(n)"}],
             "name": [{"family": "Replica\(n)"}]}
            """)
    }

    func found(_ record: CareRecord, _ n: Int) async throws -> [String] {
        try await record.search(ConditionalQuery(type: "Patient", query: "identifier=urn:replica-test|r\(n)"), limit: 5)
            .map(\.key.id)
    }

    @Test func readsGoToTheReplicaOnceItHoldsTheWrites() async throws {
        let (record, database) = try await openRecord()
        defer { record.close() }
        let created = try #require(try await record.create(patient(1), type: "Patient").stored)
        // At once, whichever server answers: this process's write is there.
        #expect(try await record.read(created.key).version == 1)
        #expect(try await found(record, 1) == [created.key.id])
        #expect(try await eventually { await database.readsFromReplica() }, "the replica catches up")
        #expect(try await readsServedByReplica(record))
        #expect(try await found(record, 1) == [created.key.id])
        #expect(try await record.read(created.key).version == 1)
    }

    @Test func whileTheReplicaLagsReadsGoToThePrimary() async throws {
        let (record, database) = try await openRecord()
        defer { record.close() }
        #expect(try await eventually { await database.readsFromReplica() })
        try onReplica("SELECT pg_wal_replay_pause()")
        var ids: [String] = []
        do {
            for n in 1...20 {
                let created = try #require(try await record.create(patient(n), type: "Patient").stored)
                ids.append(created.key.id)
                // Each write is read back at once, by id and by search, though the replica
                // has not replayed it.
                #expect(try await record.read(created.key).version == 1)
                #expect(try await found(record, n) == [created.key.id])
            }
            #expect(await !database.readsFromReplica())
            #expect(try await !readsServedByReplica(record))
        } catch {
            try onReplica("SELECT pg_wal_replay_resume()")
            throw error
        }
        try onReplica("SELECT pg_wal_replay_resume()")
        #expect(try await eventually { await database.readsFromReplica() }, "replay resumed, reads go back")
        #expect(try await readsServedByReplica(record))
        for (n, id) in zip(1...20, ids) { #expect(try await found(record, n) == [id]) }
    }

    @Test func aServerThatIsNotAReplicaIsRefused() async throws {
        let primary = try #require(TestEngines.postgresAddress)
        await #expect(throws: StorageError.self) {
            let record = try await CareRecord.open(postgres: try PostgresAddress(try TestEngines.freshSchemaAddress()),
                                                   maximumReaders: 3, readReplica: try PostgresAddress(primary))
            record.close()
        }
        // A replica holds the primary's schema: naming another is a mistake.
        await #expect(throws: StorageError.self) {
            let record = try await CareRecord.open(postgres: try PostgresAddress(try TestEngines.freshSchemaAddress()),
                                                   maximumReaders: 3,
                                                   readReplica: try PostgresAddress(Self.replica + "?schema=elsewhere"))
            record.close()
        }
        // And a SQLite file has no replica.
        await #expect(throws: StorageError.self) {
            _ = try await CareRecord.open(.sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent(
                "joinedup-replica-\(UUID().uuidString).sqlite").path), readReplica: try PostgresAddress(Self.replica))
        }
    }
}
