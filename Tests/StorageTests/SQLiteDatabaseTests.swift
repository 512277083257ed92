import Foundation
import GRDB
import Storage
import Testing

@Suite("SQLite database: WAL and migrations")
struct SQLiteDatabaseTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-storage-\(UUID().uuidString)")

    func path() throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("db.sqlite").path
    }

    let first = Migration("one", sql: "CREATE TABLE t (x INTEGER)")
    let second = Migration("two", sql: "ALTER TABLE t ADD COLUMN y TEXT")

    @Test func opensInWALModeAndAppliesMigrationsInOrder() throws {
        let database = try SQLiteDatabase(path: try path(), migrations: [first, second])
        defer { try? FileManager.default.removeItem(at: folder) }
        let mode = try database.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let columns = try database.pool.read { try $0.columns(in: "t").map(\.name) }
        #expect(columns == ["x", "y"])
    }

    @Test func reopeningAppliesOnlyNewMigrations() throws {
        let file = try path()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let database = try SQLiteDatabase(path: file, migrations: [first])
            try database.pool.write { try $0.execute(sql: "INSERT INTO t (x) VALUES (1)") }
        }
        let database = try SQLiteDatabase(path: file, migrations: [first, second])
        let rows = try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") }
        #expect(rows == 1, "reopening kept the data and did not re-run the first migration")
    }

    @Test func aDatabaseFromANewerBuildIsRefused() throws {
        let file = try path()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try SQLiteDatabase(path: file, migrations: [first, second])
        let error = #expect(throws: StorageError.self) { try SQLiteDatabase(path: file, migrations: [first]) }
        #expect(error?.code == .newerSchema)
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let file = try path()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: file))
        #expect(throws: StorageError.self) { try SQLiteDatabase(path: file, migrations: [first]) }
    }

    @Test func storageErrorsDoNotRevealTheirDetail() {
        let error = StorageError(.migrationFailed, detail: "INSERT ... 'Jane Smith'")
        #expect(!error.description.contains("Jane"))
    }
}
