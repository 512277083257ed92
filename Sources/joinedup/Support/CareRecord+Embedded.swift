import CareRecord
import Storage

extension CareRecord {
    /// The SQLite file of a record that commands opened with a path (the demo, the import's
    /// cache tuning, the benchmark's checkpoint): what those do is the embedded store's alone.
    var embedded: SQLiteDatabase {
        get throws {
            guard let database = sqliteDatabase else {
                throw StorageError(.cannotOpen, detail: "this command works on a SQLite file, not on PostgreSQL")
            }
            return database
        }
    }
}
