import Foundation
import GRDB
import Storage
import Testing

@Suite("SQLite database: WAL and files")
struct SQLiteDatabaseTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joinedup-storage-\(UUID().uuidString)")

    func path() throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("db.sqlite").path
    }

    let first = Migration("one", sql: "CREATE TABLE t (x INTEGER)")
    let second = Migration("two", sql: "ALTER TABLE t ADD COLUMN y TEXT")

    @Test func opensInWALMode() throws {
        let database = try SQLiteDatabase(path: try path(), migrations: [first, second])
        defer { try? FileManager.default.removeItem(at: folder) }
        let mode = try database.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
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
