import Foundation
import Storage
import Testing
import TestSupport

/// What the record relies on from either engine: migrations, atomic and serialised write
/// transactions, and values that come back as they went in.
@Suite("SQL databases: the same guarantees on SQLite and PostgreSQL")
struct SQLDatabaseTests {
    static let first = Migration("one", sql: "CREATE TABLE t (x INTEGER NOT NULL)",
                                 postgres: "CREATE TABLE t (x bigint NOT NULL)")
    static let second = Migration("two", sql: "ALTER TABLE t ADD COLUMN y TEXT", postgres: """
        -- a comment; with a semicolon
        ALTER TABLE t ADD COLUMN y text;
        COMMENT ON COLUMN t.y IS 'a ; inside quotes'
        """)

    @Test(arguments: TestEngines.available)
    func migrationsApplyInOrderOnceEach(engine: SQLEngine) async throws {
        let store = try TestDatabase(engine)
        do {
            let database = try await store.open([Self.first])
            try await database.write { try $0.execute("INSERT INTO t (x) VALUES (?)", [1]) }
            database.close()
        }
        let database = try await store.open([Self.first, Self.second])
        try await database.write { try $0.execute("INSERT INTO t (x, y) VALUES (?, ?)", [2, "two"]) }
        let rows = try await database.read { try $0.fetchAll("SELECT x, y FROM t ORDER BY x") }
        #expect(rows == [SQLRow([1, .null]), SQLRow([2, "two"])], "reopening kept the row and ran only the new step")
        database.close()
        await store.remove()
    }

    @Test(arguments: TestEngines.available)
    func aStoreMigratedByANewerBuildIsRefused(engine: SQLEngine) async throws {
        let store = try TestDatabase(engine)
        try await store.open([Self.first, Self.second]).close()
        await #expect(throws: StorageError.self) {
            do {
                _ = try await store.open([Self.first])
            } catch let error as StorageError {
                #expect(error.code == .newerSchema)
                throw error
            }
        }
        await store.remove()
    }

    @Test(arguments: TestEngines.available)
    func aFailedMigrationLeavesTheStoreAsItWas(engine: SQLEngine) async throws {
        let store = try TestDatabase(engine)
        let broken = Migration("broken", sql: "CREATE TABLE u (a INTEGER); CREATE TABLE u (a INTEGER)",
                               postgres: "CREATE TABLE u (a bigint); CREATE TABLE u (a bigint)")
        await #expect(throws: StorageError.self) { _ = try await store.open([Self.first, broken]) }
        let database = try await store.open([Self.first])
        let tables = try await database.read { connection in
            try connection.fetchAll(connection.engine == .sqlite
                ? "SELECT name FROM sqlite_master WHERE name = 'u'"
                : "SELECT tablename FROM pg_tables WHERE tablename = 'u' AND schemaname = current_schema()")
        }
        #expect(tables.isEmpty, "the failed step's first table was rolled back with it")
        database.close()
        await store.remove()
    }

    @Test(arguments: TestEngines.available)
    func aWriteThatThrowsLeavesNothing(engine: SQLEngine) async throws {
        let store = try TestDatabase(engine)
        let database = try await store.open([Self.first])
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await database.write { connection in
                try connection.execute("INSERT INTO t (x) VALUES (?)", [7])
                throw Refused()
            }
        }
        let count = try await database.read { try $0.fetchOne("SELECT count(*) FROM t")?[0] }
        #expect(count == .integer(0))
        database.close()
        await store.remove()
    }

    /// Each write reads the largest number and adds the next: only if writes never overlap do
    /// the numbers come out 1...n with none twice (a conditional create relies on the same).
    /// The writers go through two handles on one store, as two server processes would.
    @Test(arguments: TestEngines.available)
    func concurrentWritesRunOneAtATime(engine: SQLEngine) async throws {
        let store = try TestDatabase(engine)
        let handles = [try await store.open([Self.first]), try await store.open([Self.first])]
        let writers = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                let database = handles[writer % 2]
                group.addTask {
                    try await database.write { connection in
                        let top = try connection.fetchOne("SELECT coalesce(max(x), 0) FROM t")?[0].int64 ?? -1
                        try connection.execute("INSERT INTO t (x) VALUES (?)", [.integer(top + 1)])
                    }
                }
            }
            try await group.waitForAll()
        }
        let numbers = try await handles[0].read { try $0.fetchAll("SELECT x FROM t ORDER BY x").compactMap { $0[0].int64 } }
        #expect(numbers == Array(1...Int64(writers)))
        for handle in handles { handle.close() }
        await store.remove()
    }

    @Test(arguments: TestEngines.available)
    func valuesComeBackAsTheyWentIn(engine: SQLEngine) async throws {
        let store = try TestDatabase(engine)
        let table = Migration("v", sql: "CREATE TABLE v (i INTEGER, r REAL, s TEXT, b BLOB)",
                              postgres: "CREATE TABLE v (i bigint, r double precision, s text, b bytea)")
        let database = try await store.open([table])
        let rows: [[SQLValue]] = [
            [.integer(Int64.max), .real(-0.125), "Zoë O'Brien? \"quoted\" -- not a comment", .blob([0, 1, 255, 0])],
            [.integer(Int64.min), .real(1e300), "", .blob([])],
            [.null, .null, .null, .null],
        ]
        try await database.write { connection in
            for row in rows { try connection.execute("INSERT INTO v (i, r, s, b) VALUES (?, ?, ?, ?)", row) }
        }
        let read = try await database.read { try $0.fetchAll("SELECT i, r, s, b FROM v") }
        #expect(Set(read) == Set(rows.map(SQLRow.init)))
        let literal = try await database.read { try $0.fetchOne("SELECT '?', ?", ["bound"]) }
        #expect(literal == SQLRow(["?", "bound"]), "a ? inside quotes is text, not a placeholder")
        database.close()
        await store.remove()
    }
}

@Suite("PostgreSQL addresses and connections")
struct PostgresAddressTests {
    @Test func anAddressIsReadAndItsPasswordNeverShown() throws {
        let address = try PostgresAddress("postgres://care:s%40cret@db.example:6432/area?schema=north&sslmode=disable")
        #expect(address.host == "db.example" && address.port == 6432 && address.username == "care")
        #expect(address.database == "area" && address.schema == "north" && !address.requireTLS)
        #expect(!address.description.contains("cret"))
    }

    @Test(arguments: ["sqlite:x.db", "postgres://", "postgres://h/db?sslmode=verify-full", "postgres://h/db?schema=a;drop",
                      "postgres://h/db?schema="])
    func aBadAddressIsRefused(text: String) {
        #expect(throws: StorageError.self) { try PostgresAddress(text) }
    }

    @Test func aServerThatIsNotThereFailsToOpen() async throws {
        let port = 1 // nothing listens on port 1 of loopback
        await #expect(throws: StorageError.self) {
            _ = try await PostgresDatabase.open(try PostgresAddress("postgres://nobody@127.0.0.1:\(port)/none"), migrations: [])
        }
    }

    @Test func postgresRunsWhereTheTestCommandPromisesIt() {
        let sqliteOnly = ProcessInfo.processInfo.environment["JOINEDUP_SQLITE_ONLY"] == "1"
        #expect(TestEngines.postgresAddress != nil || sqliteOnly,
                "no PostgreSQL server: run scripts/test, which starts one, or set JOINEDUP_SQLITE_ONLY=1 to test SQLite alone")
    }
}
