import GRDB
import Logging

/// The embedded store: one SQLite file in WAL mode, so readers run beside the single writer
/// and a crash never leaves a half-committed transaction. Opening it applies every pending
/// migration, in order, before anything reads or writes.
public final class SQLiteDatabase: Sendable {
    /// The connection pool; modules that own tables run their SQL through it.
    public let pool: DatabasePool
    public let path: String

    /// The writer's page cache unless told otherwise.
    public static let defaultWriterCacheMegabytes = 64

    /// Opens (creating if needed) the database at `path` and migrates it.
    /// `writerCacheMegabytes` sizes the one writer's page cache: a bulk load wants it large
    /// (see `joinedup import --cache-mb`), since a write transaction whose changed pages do not
    /// fit spills them to the WAL and writes them again at commit.
    /// - Throws: `StorageError` when the file cannot be opened, or was written by a newer
    ///   JoinedUp whose migrations this build does not know.
    public init(path: String, migrations: [Migration], logger: Logger = Logger(label: "joinedup.storage"),
                writerCacheMegabytes: Int = defaultWriterCacheMegabytes) throws {
        self.path = path
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { db in
            // NORMAL in WAL mode keeps every committed transaction across a process crash
            // (SIGKILL); only a power cut can lose the last few, and never half of one.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Page cache per connection: 64 MB (or as told) for the one writer, 16 MB for each
            // reader, so a busy server's memory stays bounded (at most 8 readers).
            let kilobytes = db.configuration.readonly ? 16384 : max(writerCacheMegabytes, 1) * 1024
            try db.execute(sql: "PRAGMA cache_size = -\(kilobytes)")
            if !db.configuration.readonly {
                // Checkpoint every 10,000 pages (40 MB) rather than 1,000: a bulk load spent
                // 8% of its time in the fsyncs of checkpoints. The WAL is trimmed afterwards.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
                // Statement and savepoint journals in memory, not temporary files: a bulk load
                // runs each resource in a savepoint, and each page it first touches there was
                // copied to a file with its own write call. With the search index a resource
                // touches some twenty pages; the load spent a third of its time in those writes.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StorageError(.cannotOpen, detail: "\(error)")
        }
        try SQLiteMigrator(migrations).apply(to: pool, logger: logger)
    }

    /// Resizes the writer's page cache (see `init`), e.g. for a bulk load.
    public func setWriterCacheMegabytes(_ megabytes: Int) async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -\(max(megabytes, 1) * 1024)")
        }
    }

    /// Folds the WAL back into the main file; call before a clean shutdown.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }
}
