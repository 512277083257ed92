import Foundation
import Storage
import Testing
import TestSupport

/// Large batches of rows go in by COPY (`MultiRowStatement` on an `SQLBulkCopying`
/// connection): every value must arrive exactly as an INSERT would have stored it, whatever
/// characters it holds, and a copy that fails must fail its transaction, leaving nothing.
@Suite("PostgreSQL: rows copied in bulk", .enabled(if: TestEngines.postgresAddress != nil))
struct PostgresCopyTests {
    static let table = Migration("copied", sql: "", postgres: """
        CREATE TABLE copied (n bigint PRIMARY KEY, ratio double precision, flag integer, note text, data bytea);
        CREATE TABLE after (n bigint REFERENCES copied (n))
        """)

    static let insert = "INSERT INTO copied (n, ratio, flag, note, data) VALUES $VALUES"
    static let copy = RowBatch.CopyTarget(table: "copied", columns: ["n", "ratio", "flag", "note", "data"])

    /// Values that COPY's text format gives a meaning to, or that a careless encoding breaks.
    static let awkward: [[SQLValue]] = [
        [.integer(-9_000_000_000), .real(-2.5e-10), .integer(1), .text("tab\there\nnewline\r\nCRLF"), .blob([])],
        [.integer(0), .real(1e300), .integer(0), .text("back\\slash \\N not null \\."), .blob(Array(0...255))],
        [.integer(1), .real(0.1), .null, .text("émoji 🧬 and 'quotes' \"double\""), .null],
        [.integer(2), .null, .integer(-1), .text(""), .blob([0x5C, 0x0A, 0x09])],
        [.integer(3), .real(.infinity), .integer(7), .null, .blob([0])],
    ]

    /// Rows numbered from `start`, each with some of the awkward values.
    static func rows(_ count: Int, from start: Int64 = 100) -> [[SQLValue]] {
        (0..<count).map { i in
            var row = awkward[i % awkward.count]
            row[0] = .integer(start + Int64(i))
            return row
        }
    }

    func stored(_ database: any SQLDatabase) async throws -> [SQLRow] {
        try await database.read { try $0.fetchAll("SELECT n, ratio, flag, note, data FROM copied ORDER BY n") }
    }

    /// The same rows sent as multi-row INSERTs (below the threshold) and by COPY (above it)
    /// are stored alike, value for value.
    @Test func copiedRowsAreStoredAsInsertedOnesAre() async throws {
        let count = MultiRowStatement.copyThreshold + 7
        let inserted = try TestDatabase(.postgres)
        let copied = try TestDatabase(.postgres)
        let byInsert = try await inserted.open([Self.table])
        let byCopy = try await copied.open([Self.table])
        // Below the threshold, in pieces that each stay under it.
        for piece in stride(from: 0, to: count, by: 500) {
            let rows = Array(Self.rows(count)[piece..<min(piece + 500, count)])
            try await byInsert.write { try MultiRowStatement.send([RowBatch(Self.insert, width: 5, rows: rows, copy: Self.copy)], on: $0) }
        }
        try await byCopy.write { try MultiRowStatement.send([RowBatch(Self.insert, width: 5, rows: Self.rows(count), copy: Self.copy)], on: $0) }
        let expected = try await stored(byInsert)
        #expect(expected.count == count)
        #expect(expected[1][3] == .text("back\\slash \\N not null \\."))
        #expect(expected[1][4] == .blob(Array(0...255)))
        #expect(try await stored(byCopy) == expected)
        byInsert.close()
        byCopy.close()
        await inserted.remove()
        await copied.remove()
    }

    /// Statements after a copy see its rows (a foreign key to them holds), and a second copy
    /// follows the first.
    @Test func statementsAfterACopyRunAfterIt() async throws {
        let store = try TestDatabase(.postgres)
        let database = try await store.open([Self.table])
        let total = try await database.write { connection -> Int64? in
            let first = MultiRowStatement.copyThreshold
            try MultiRowStatement.send([RowBatch(Self.insert, width: 5, rows: Self.rows(first), copy: Self.copy)], on: connection)
            try MultiRowStatement.send([RowBatch(Self.insert, width: 5, rows: Self.rows(first, from: 100_000), copy: Self.copy)],
                                       on: connection)
            try connection.execute("INSERT INTO after (n) VALUES (?), (?)", [.integer(100), .integer(100_000 + Int64(first) - 1)])
            return try connection.fetchOne("SELECT count(*) FROM copied")?[0].int64
        }
        #expect(total == Int64(2 * MultiRowStatement.copyThreshold))
        database.close()
        await store.remove()
    }

    /// A copy the server refuses (a duplicate key) fails the transaction at its next statement
    /// or its commit, with the server's reason, and nothing of the transaction stays; the
    /// connection goes on serving.
    @Test func aRefusedCopyFailsItsTransactionAndLeavesNothing() async throws {
        let store = try TestDatabase(.postgres)
        let database = try await store.open([Self.table])
        var rows = Self.rows(MultiRowStatement.copyThreshold)
        rows.append(rows[0])
        let batch = RowBatch(Self.insert, width: 5, rows: rows, copy: Self.copy)
        do {
            try await database.write { connection in
                try connection.execute("INSERT INTO copied (n) VALUES (1)")
                try MultiRowStatement.send([batch], on: connection)
                try connection.execute("INSERT INTO copied (n) VALUES (2)")
            }
            Issue.record("the duplicate was accepted")
        } catch let error as StorageError {
            #expect(error.code == .uniqueViolation)
            #expect(error.detail.contains("COPY copied"))
        }
        // And when the copy is the transaction's last statement, the commit waits for it.
        await #expect(throws: StorageError.self) {
            try await database.write { try MultiRowStatement.send([batch], on: $0) }
        }
        #expect(try await stored(database).isEmpty)
        try await database.write { try $0.execute("INSERT INTO copied (n) VALUES (5)") }
        #expect(try await stored(database).map { $0[0] } == [5])
        database.close()
        await store.remove()
    }
}
