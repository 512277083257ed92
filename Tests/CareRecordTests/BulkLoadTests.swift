@testable import CareRecord
import FHIR
import Foundation
import GRDB
import Storage
import Testing
import TestSupport

/// A bulk load into an empty store builds the search index's value indexes once, at the end.
/// These tests check that the indexes are there whenever a search could need them: after the
/// load, after a load that failed, after a load that was killed part-way, and throughout a
/// load into a store that already held resources. On both engines (PostgreSQL takes its
/// full-text indexes down too).
@Suite("Bulk load: the search index's value indexes")
struct BulkLoadTests {
    /// Every value index the schema defines.
    static let values: Set<String> = [
        "search_token_code", "search_string_norm", "search_date_low", "search_date_high", "search_reference_target",
        "search_number_value", "search_quantity_value", "search_composite_a",
    ]

    /// The indexes a load takes down on `engine`.
    static func all(_ engine: SQLEngine) -> Set<String> {
        switch engine {
        case .sqlite: values
        case .postgres:
            values.union(["search_fulltext_narrative", "search_fulltext_content", "resource_version_type_seq",
                          "resource_version_updated", "resource_type_rid"]).union(primaryKeys)
        }
    }

    /// The value tables' primary keys, which PostgreSQL's load takes down too (SQLite's are
    /// its `WITHOUT ROWID` tables themselves).
    static let primaryKeys: Set<String> = [
        "search_token_pkey", "search_string_pkey", "search_date_pkey", "search_reference_pkey",
        "search_number_pkey", "search_quantity_pkey", "search_composite_pkey",
    ]

    func indexes(_ record: CareRecord) async throws -> Set<String> {
        // Of the indexes a load may take down: the position index stays up whatever happens
        // (Locations are few), as do the record tables' primary keys and the unique keys writes
        // read.
        let listing = switch record.engineKind {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'index'"
        case .postgres: "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        }
        return Set(try await record.read { connection in
            try connection.fetchAll(listing).compactMap { $0[0].string }
        }).intersection(Self.all(record.engineKind))
    }

    /// Whether a resource's pointer must name a stored version (PostgreSQL's foreign key,
    /// down during a load into an empty store); always on SQLite, whose load keeps it.
    func pointerKeyHolds(_ record: CareRecord) async throws -> Bool {
        guard record.engineKind == .postgres else { return true }
        return try await record.read { connection in
            try connection.fetchOne("""
                SELECT count(*) FROM pg_constraint WHERE conname = 'resource_seq_fkey'
                AND connamespace = current_schema()::regnamespace
                """)?[0].int64 == 1
        }
    }

    func marked(_ record: CareRecord) async throws -> Bool {
        try await record.read { connection in
            try connection.fetchOne("SELECT count(*) FROM search_state WHERE name = 'value_indexes'")?[0].int64 == 1
        }
    }

    /// People `p1`... with identifiers `urn:council|c1`... and surname Even or Odd.
    func people(_ count: Int) -> [JSON] {
        (1...count).map { n in
            .object(["resourceType": "Patient", "id": .string("p\(n)"),
                     "identifier": [["system": "urn:council", "value": .string("c\(n)")]],
                     "name": [["family": .string(n.isMultiple(of: 2) ? "Even" : "Odd")]]])
        }
    }

    /// Stores `people(count)`, checking each was stored.
    func load(_ count: Int, into record: CareRecord) async throws {
        let results = try await record.importResources(people(count))
        #expect(results.allSatisfy { (try? $0.get()) != nil })
    }

    func found(_ record: CareRecord, _ query: String) async throws -> [String] {
        try await record.search(ConditionalQuery(type: "Patient", query: query), limit: 100).map(\.key.id)
    }

    @Test(arguments: TestEngines.available)
    func intoAnEmptyStoreTheIndexesAreBuiltAfterTheRows(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        #expect(try await indexes(test.record) == Self.all(engine))
        var built = 0
        var analysed = 0
        let stored = try await test.record.bulkLoad(building: { built += 1 }, analysing: {
            #expect(built == 1, "after the indexes are built")
            analysed += 1
        }) {
            #expect(try await indexes(test.record).isEmpty, "down while the rows go in")
            #expect(try await marked(test.record))
            #expect(try await pointerKeyHolds(test.record) == (engine == .sqlite))
            try await load(40, into: test.record)
            // Searches during the load read whole tables but still answer correctly.
            #expect(try await found(test.record, "family=even").count == 20)
            return 40
        }
        #expect(stored == 40)
        #expect(built == 1)
        #expect(analysed == (engine == .postgres ? 1 : 0), "only PostgreSQL's tables are vacuumed after a load")
        #expect(try await indexes(test.record) == Self.all(engine))
        #expect(try await pointerKeyHolds(test.record))
        #expect(try await !marked(test.record))
        #expect(try await found(test.record, "identifier=urn:council|c7") == ["p7"])
        #expect(try await found(test.record, "family=odd").count == 20)
    }

    @Test(arguments: TestEngines.available)
    func intoAStoreThatHoldsResourcesTheIndexesStayUp(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        _ = try await test.record.create(patient(), type: "Patient")
        var built = 0
        try await test.record.bulkLoad(building: { built += 1 }) {
            try await load(5, into: test.record)
            #expect(try await indexes(test.record) == Self.all(engine))
            #expect(try await !marked(test.record))
        }
        #expect(built == 0)
        #expect(try await found(test.record, "identifier=urn:council|c3") == ["p3"])
    }

    @Test(arguments: TestEngines.available)
    func aConditionalReferenceInTheLoadBringsThemUpForTheRestOfIt(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        try await test.record.bulkLoad {
            try await load(3, into: test.record)
            #expect(try await indexes(test.record).isEmpty)
            // Resolving it is a search; without the indexes every such search would read the
            // whole token table.
            let observation = try json(#"""
                {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "weight"},
                 "subject": {"reference": "Patient?identifier=urn:council|c2"}}
                """#)
            let results = try await test.record.importResources([observation])
            #expect((try? results[0].get()) != nil)
            #expect(try await indexes(test.record) == Self.all(engine))
            #expect(try await !marked(test.record))
        }
        let stored = try await test.record.read(ResourceKey("Observation", "o1"))
        #expect(try json(stored.body).objectValue?["subject"]?.objectValue?["reference"] == "Patient/p2")
    }

    /// An update deletes the resource's index rows by rid, which on PostgreSQL only the value
    /// tables' primary keys find without reading the whole table: the first update in a load
    /// builds them (and the rest) before its delete.
    @Test(arguments: TestEngines.available)
    func anUpdateInTheLoadReplacesTheResourcesRowsWithTheKeysUp(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        try await test.record.bulkLoad {
            try await load(3, into: test.record)
            #expect(try await indexes(test.record).isEmpty)
            let renamed: JSON = .object(["resourceType": "Patient", "id": "p2",
                                         "identifier": [["system": "urn:council", "value": "c2"]],
                                         "name": [["family": "Renamed"]]])
            let results = try await test.record.importResources([renamed])
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            // SQLite's keys are its tables and stay; its value indexes stay down until the end.
            #expect(try await indexes(test.record) == (engine == .postgres ? Self.all(engine) : []))
            #expect(try await found(test.record, "family=even").isEmpty, "p2's old rows are gone")
            #expect(try await found(test.record, "family=renamed") == ["p2"])
        }
        #expect(try await indexes(test.record) == Self.all(engine))
        #expect(try await found(test.record, "family=even").isEmpty)
        #expect(try await found(test.record, "family=renamed") == ["p2"])
        #expect(try await found(test.record, "family=odd").sorted() == ["p1", "p3"])
        #expect(try await test.record.read(ResourceKey("Patient", "p2")).version == 2)
    }

    @Test(arguments: TestEngines.available)
    func aLoadThatFailsStillBuildsThemAndRethrows(engine: SQLEngine) async throws {
        struct Interrupted: Error {}
        let test = try await TestRecord.on(engine)
        await #expect(throws: Interrupted.self) {
            try await test.record.bulkLoad {
                try await load(3, into: test.record)
                throw Interrupted()
            }
        }
        #expect(try await indexes(test.record) == Self.all(engine))
        #expect(try await !marked(test.record))
        #expect(try await found(test.record, "identifier=urn:council|c2") == ["p2"], "what was written stays, indexed")
    }

    @Test(arguments: TestEngines.available)
    func aLoadKilledPartWayIsMendedWhenTheStoreIsNextOpened(engine: SQLEngine) async throws {
        let test = try await TestRecord.on(engine)
        try await load(4, into: test.record)
        // What a killed load leaves: the indexes down and the mark set, the rows committed.
        try await test.record.writeTables { connection in
            for name in Self.all(engine) {
                if Self.primaryKeys.contains(name) {
                    try connection.execute("ALTER TABLE \(name.dropLast(5)) DROP CONSTRAINT \(name)")
                } else {
                    try connection.execute("DROP INDEX \(name)")
                }
            }
            if engine == .postgres { try connection.execute("ALTER TABLE resource DROP CONSTRAINT resource_seq_fkey") }
            try connection.execute("INSERT INTO search_state (name, value) VALUES ('value_indexes', 'deferred')")
        }
        let reopened = try await test.reopened()
        #expect(try await indexes(reopened) == Self.all(engine))
        #expect(try await pointerKeyHolds(reopened))
        #expect(try await !marked(reopened))
        #expect(try await found(reopened, "identifier=urn:council|c4") == ["p4"])
    }

    @Test func aFullReindexEndsWithEveryIndex() async throws {
        // SQLite's re-index takes the indexes down; PostgreSQL's keeps them up.
        let test = try TestRecord()
        try await load(6, into: test.record)
        // A store whose rows an older release built is re-indexed when opened.
        try await test.record.sqliteDatabase!.pool.write { db in
            try db.execute(sql: "UPDATE search_state SET value = 'an older release' WHERE name = 'index'")
            try db.execute(sql: "DELETE FROM search_token")
        }
        #expect(try await found(test.record, "identifier=urn:council|c5").isEmpty, "the rows are gone before the re-index")
        let reopened = try CareRecord(path: test.path)
        #expect(try await indexes(reopened) == Self.all(.sqlite))
        #expect(try await !marked(reopened))
        #expect(try await found(reopened, "identifier=urn:council|c5") == ["p5"])
    }
}
