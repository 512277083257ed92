import Foundation
import Storage
import Testing
import TestSupport

/// A query seen twice runs as a prepared statement (`PreparedStatements`): its answers must
/// be the same as an unnamed statement's, for every type a value can have, and a statement
/// the server can no longer run as prepared must recover rather than fail for good.
@Suite("PostgreSQL: prepared statements", .enabled(if: TestEngines.postgresAddress != nil))
struct PostgresPreparedStatementTests {
    static let table = Migration("typed", sql: "", postgres: """
        CREATE TABLE typed (small integer, big bigint, ratio double precision, flag boolean,
                            note text, data bytea, amount numeric);
        INSERT INTO typed VALUES (1, 9000000000, 0.25, true, 'eins "quoted" ?', '\\x00ff10', 12.5),
                                 (2, -1, -2.5e10, false, '', '\\x', 0),
                                 (NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """)

    /// The same query, run five times on both paths (the first run unnamed, then prepared,
    /// then on the server's generic plan), gives one answer, with values of every type bound
    /// and read back, nulls included.
    @Test func aPreparedQueryAnswersAsTheUnnamedOneDid() async throws {
        let store = try TestDatabase(.postgres)
        let database = try await store.open([Self.table])
        let query = """
            SELECT small, big, ratio, flag, note, data, amount, ? FROM typed
            WHERE small = COALESCE(?, small) AND big > ? AND note <> ? AND data <> ? AND ratio < ?
            ORDER BY small
            """
        let arguments: [SQLValue] = [.text("echo ?"), .integer(1), .integer(-5), .text("x"), .blob([9]), .real(1)]
        var answers: [[SQLRow]] = []
        for _ in 0..<6 {
            answers.append(try await database.read { try $0.fetchAll(query, arguments) })
        }
        #expect(answers[0] == [
            SQLRow([1, 9_000_000_000, .real(0.25), 1, "eins \"quoted\" ?", .blob([0, 255, 16]), .real(12.5), "echo ?"]),
        ])
        for answer in answers.dropFirst() { #expect(answer == answers[0]) }
        // A null where a number stood before is another statement, and answers for itself.
        let widened: [SQLValue] = [.null, .null, .integer(-5), .text("x"), .blob([9]), .real(1e11)]
        for _ in 0..<3 {
            let rows = try await database.read { try $0.fetchAll(query, widened) }
            #expect(rows.map { $0[0] } == [1, 2])
            #expect(rows.allSatisfy { $0[7] == .null })
        }
        database.close()
        await store.remove()
    }

    /// A table changed under a prepared `SELECT *` makes the server refuse the statement
    /// ("cached plan must not change result type"): that run fails, and the next is prepared
    /// afresh and answers with the new columns.
    @Test func aStatementTheServerRefusesIsPreparedAgain() async throws {
        let store = try TestDatabase(.postgres)
        guard let database = try await store.open([Self.table]) as? PostgresDatabase else {
            Issue.record("a PostgreSQL store")
            return
        }
        let query = "SELECT * FROM typed WHERE small = ?"
        for _ in 0..<3 {
            let row = try await database.fetchAll(query, [1]).first
            #expect(row?.values.count == 7)
        }
        try await database.write { try $0.execute("ALTER TABLE typed ADD COLUMN extra text DEFAULT 'new'") }
        var answers: [Result<Int, any Error>] = []
        for _ in 0..<3 {
            answers.append(await outcome { try await database.fetchAll(query, [1]).first?.values.count ?? 0 })
        }
        // At most the first run is refused; the last ones see the eighth column.
        #expect(answers.dropFirst().allSatisfy { (try? $0.get()) == 8 })
        database.close()
        await store.remove()
    }

    /// More distinct statements than a connection keeps prepared: the oldest are closed on the
    /// server and every statement still answers correctly, again and again.
    @Test func manyDistinctStatementsStillAnswer() async throws {
        let store = try TestDatabase(.postgres)
        let database = try await store.open([Self.table])
        try await database.read { connection in
            for round in 0..<3 {
                for n in 0..<400 {
                    let row = try connection.fetchOne("SELECT big + \(n) FROM typed WHERE small = ?", [1])
                    #expect(row == SQLRow([.integer(9_000_000_000 + Int64(n))]), "round \(round), statement \(n)")
                }
            }
            // The server holds them (so they ran prepared), but no more than the connection's limit.
            let held = try connection.fetchOne("SELECT count(*) FROM pg_prepared_statements")?[0].int64 ?? 0
            #expect(held > 100 && held <= 256)
        }
        database.close()
        await store.remove()
    }
}

private func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
