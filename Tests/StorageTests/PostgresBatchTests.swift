import Foundation
import Storage
import Testing
import TestSupport

/// What the PostgreSQL write path relies on to send a transaction's rows in few statements.
@Suite("PostgreSQL: many rows in few statements", .enabled(if: TestEngines.postgresAddress != nil))
struct PostgresBatchTests {
    static let tables = Migration("batches", sql: "", postgres: """
        CREATE TABLE parent (id bigint PRIMARY KEY, note text);
        CREATE TABLE child (id bigint PRIMARY KEY, parent bigint NOT NULL REFERENCES parent (id), data bytea)
        """)

    @Test func rowsBeyondOneStatementsLimitsAllArriveInOrder() async throws {
        let store = try TestDatabase(.postgres)
        let database = try await store.open([Self.tables])
        // 30,000 parents of 2 values (more than one statement's 60,000), then children that
        // refer to them, with 12 MB of blobs (more than one statement's 8 MB).
        let parents = (1...30_000).map { [SQLValue.integer(Int64($0)), .text("parent \($0)")] }
        let blob = SQLValue.blob(Array(repeating: 7, count: 1 << 20))
        let children = (1...12).map { [SQLValue.integer(Int64($0)), .integer(Int64($0 * 2_000)), blob] }
        try await database.write { connection in
            try MultiRowStatement.send([
                RowBatch("INSERT INTO parent (id, note) VALUES $VALUES", width: 2, rows: parents),
                RowBatch("INSERT INTO child (id, parent, data) VALUES $VALUES", width: 3, rows: children),
            ], on: connection)
        }
        let counts = try await database.read { connection in
            try connection.fetchOne("""
                SELECT (SELECT count(*) FROM parent), (SELECT count(*) FROM child),
                       (SELECT sum(length(data)) FROM child), (SELECT note FROM parent WHERE id = 29999)
                """)
        }
        #expect(counts == SQLRow([30_000, 12, .integer(12 << 20), "parent 29999"]))
        database.close()
        await store.remove()
    }

    @Test func aBatchMayReferToAnEarlierBatchOfTheSameStatement() async throws {
        let store = try TestDatabase(.postgres)
        let database = try await store.open([Self.tables])
        try await database.write { connection in
            try MultiRowStatement.send([
                RowBatch("INSERT INTO parent (id, note) VALUES $VALUES", width: 2, rows: [[1, "one"]]),
                RowBatch("INSERT INTO child (id, parent, data) VALUES $VALUES", width: 3, rows: [[10, 1, .null]]),
            ], on: connection)
        }
        // A reference to a parent that no batch holds still fails, and takes the statement with it.
        await #expect(throws: StorageError.self) {
            try await database.write { connection in
                try MultiRowStatement.send([
                    RowBatch("INSERT INTO parent (id, note) VALUES $VALUES", width: 2, rows: [[2, "two"]]),
                    RowBatch("INSERT INTO child (id, parent, data) VALUES $VALUES", width: 3, rows: [[20, 3, .null]]),
                ], on: connection)
            }
        }
        let rows = try await database.read { try $0.fetchAll("SELECT id FROM parent UNION ALL SELECT id FROM child ORDER BY 1") }
        #expect(rows == [SQLRow([1]), SQLRow([10])])
        database.close()
        await store.remove()
    }

    @Test func anArrayLiteralCarriesAnyTextAsItIs() async throws {
        let store = try TestDatabase(.postgres)
        let database = try await store.open([])
        let texts = ["plain", "", "NULL", "a,b", "{braces}", "\"quoted\"", "back\\slash", " spaced ", "Zoë", "line\nbreak"]
        let rows = try await database.read { connection in
            try connection.fetchAll("SELECT t FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS a (t, n) ORDER BY n",
                                    [.text(PostgresArray.literal(texts))])
        }
        #expect(rows.map { $0[0] } == texts.map(SQLValue.text))
        let numbers = try await database.read { connection in
            try connection.fetchAll("SELECT n FROM unnest(CAST(? AS bigint[])) AS a (n)", [.text(PostgresArray.literal([1, -2, Int64.max]))])
        }
        #expect(numbers.map { $0[0] } == [1, -2, .integer(Int64.max)])
        database.close()
        await store.remove()
    }
}
