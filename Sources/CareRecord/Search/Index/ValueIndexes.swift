import Foundation
import GRDB
import Storage

/// The search index's secondary indexes (`SearchIndexSchema.valueIndexes`; on PostgreSQL
/// `CareRecordPostgresSchema.valueIndexes`, ending with the person and the rid, and the value
/// tables' primary keys, the full-text GIN indexes, the record tables' secondary indexes and
/// the foreign key from a resource's pointer to its version too), taken down for a bulk load
/// and built again after it.
///
/// Why: an index row lands on a random page of each value-ordered B-tree, and as the store
/// grows each insert costs more (cache misses, then page reads). Building an index once at the
/// end sorts its rows instead. Importing 20,000 patients (a million resources) into an empty
/// store took 194 s with the indexes kept up row by row, and 122 s with them built at the end
/// (the build is about 28 s of that). On PostgreSQL, keeping them up was about two thirds of
/// the server's work in a load of 53,005 resources (its `ExecInsertIndexTuples`, by perf).
///
/// While the indexes are down, searches still answer correctly but read whole tables. So they
/// are taken down only for a load into an empty store (`CareRecord.bulkLoad`) and for a full
/// re-index, and the first search the writer itself makes during a load (a conditional
/// reference or create: Bundles have many), and on PostgreSQL its first update, builds them
/// for the rest of it. The row
/// `value_indexes = deferred` in `search_state` marks a store whose indexes are down: a load
/// that is killed part-way leaves it, and the next open of the record builds them.
enum ValueIndexes {
    static let stateName = "value_indexes"

    /// The indexes taken down on `engine`: on PostgreSQL the value tables' primary keys first,
    /// so that they are built first.
    static func indexes(_ engine: SQLEngine) -> [(name: String, sql: String)] {
        switch engine {
        case .sqlite: SearchIndexSchema.valueIndexes
        case .postgres:
            primaryKeys.map { ($0.name, $0.sql) } + CareRecordPostgresSchema.valueIndexes
                + CareRecordPostgresSchema.fullTextIndexes + CareRecordPostgresSchema.recordIndexes
        }
    }

    /// On PostgreSQL, the value tables' primary keys, which no statement of a load into an
    /// empty store reads: the rows are distinct as made (`PendingIndexRows.add`), and only an
    /// update or deletion deletes a resource's rows by rid, before which a load's writer builds
    /// every index that is down (`SQLRecordTransaction.indexesUp`). Kept up row by row, they
    /// were the largest part of the server's index upkeep in a load (SQLite's value tables are
    /// `WITHOUT ROWID`: their primary key is the table, and stays). Each is built by a DO block
    /// that adds it only if it is missing, so that two processes opening the record at once
    /// both succeed.
    static let primaryKeys: [(table: String, name: String, sql: String)] = SearchIndexTable.allCases.map { table in
        let name = "\(table.name)_pkey"
        return (table.name, name, """
            DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '\(name)' \
            AND connamespace = current_schema()::regnamespace) THEN \
            ALTER TABLE \(table.name) ADD CONSTRAINT \(name) PRIMARY KEY (\(table.primaryKey), person); END IF; END $$
            """)
    }

    /// On PostgreSQL, the foreign key from a resource's pointer to its version is checked by
    /// a trigger per row, which doubled the cost of copying `resource` rows (169 ms against
    /// 380 for 53,005); added back after a load, it checks every row in one join (27 ms).
    static let pointerKey = (name: "resource_seq_fkey", table: "resource",
                             definition: "FOREIGN KEY (seq, person) REFERENCES resource_version (seq, person)")

    /// Drops every value index and marks the store, in the caller's transaction.
    static func drop(_ connection: any SQLConnection) throws {
        let keys = connection.engine == .postgres ? primaryKeys : []
        for key in keys { try connection.execute("ALTER TABLE \(key.table) DROP CONSTRAINT IF EXISTS \(key.name)") }
        // `indexes` lists the primary keys first: they are gone now.
        for index in indexes(connection.engine).dropFirst(keys.count) {
            try connection.execute("DROP INDEX IF EXISTS \(index.name)")
        }
        if connection.engine == .postgres {
            try connection.execute("ALTER TABLE \(pointerKey.table) DROP CONSTRAINT IF EXISTS \(pointerKey.name)")
        }
        try connection.execute("DELETE FROM search_state WHERE name = ?", [.text(stateName)])
        try connection.execute("INSERT INTO search_state (name, value) VALUES (?, 'deferred')", [.text(stateName)])
    }

    /// Whether the indexes are down (a bulk load is running, or one was interrupted).
    static func areDown(_ connection: any SQLConnection) throws -> Bool {
        try connection.fetchOne("SELECT count(*) FROM search_state WHERE name = ?", [.text(stateName)])?[0].int64 ?? 0 > 0
    }

    /// The value indexes the store lacks.
    static func missing(_ connection: any SQLConnection) throws -> [(name: String, sql: String)] {
        let listing = switch connection.engine {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'index'"
        case .postgres: "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        }
        let present = Set(try connection.fetchAll(listing).compactMap { $0[0].string })
        return indexes(connection.engine).filter { !present.contains($0.name) }
    }

    /// Builds whichever value indexes are missing and clears the mark, in the caller's
    /// transaction. Returns how many it built. SQLite sorts each index's rows on a helper
    /// thread per spare core (`PRAGMA threads`); PostgreSQL starts its own parallel workers.
    @discardableResult
    static func build(_ connection: any SQLConnection) throws -> Int {
        let engine = connection.engine
        let missing = try missing(connection)
        if !missing.isEmpty {
            switch engine {
            case .sqlite:
                let helpers = max(0, min(ProcessInfo.processInfo.activeProcessorCount - 1, 7))
                try connection.execute("PRAGMA threads = \(helpers)")
                for index in missing { try connection.execute(index.sql) }
                try connection.execute("PRAGMA threads = 0")
            case .postgres:
                // Each build sorts its rows in memory rather than in temporary files. (After a
                // bulk load they are built side by side instead, `CareRecord.bulkLoad`, with the
                // server's setting.)
                try connection.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for index in missing { try connection.execute(index.sql) }
            }
        }
        if connection.engine == .postgres {
            let present = try connection.fetchOne("""
                SELECT count(*) FROM pg_constraint WHERE conname = ? AND connamespace = current_schema()::regnamespace
                """, [.text(pointerKey.name)])?[0].int64 ?? 0
            if present == 0 {
                try connection.execute("ALTER TABLE \(pointerKey.table) ADD CONSTRAINT \(pointerKey.name) \(pointerKey.definition)")
            }
        }
        try connection.execute("DELETE FROM search_state WHERE name = ?", [.text(stateName)])
        return missing.count
    }

    // SQLite's callers hold GRDB's `Database`.

    static func drop(_ db: Database) throws { try drop(SQLiteConnection(db)) }
    static func areDown(_ db: Database) throws -> Bool { try areDown(SQLiteConnection(db)) }
    @discardableResult
    static func build(_ db: Database) throws -> Int { try build(SQLiteConnection(db)) }
}
