import FHIR
import GRDB
import Storage

/// `StoreTransaction` on a GRDB connection that is inside a write transaction. Statements are
/// cached by SQL text, so a bulk load prepares each once.
struct SQLiteTransaction: StoreTransaction {
    let db: Database
    let search: SearchContext
    /// For `ap` date conditions in conditional interactions.
    let clock: @Sendable () -> FHIRInstant
    let index: SQLiteSearchIndexWriter

    init(db: Database, search: SearchContext, clock: @escaping @Sendable () -> FHIRInstant) {
        self.db = db
        self.search = search
        self.clock = clock
        self.index = SQLiteSearchIndexWriter(db: db, ids: search.ids)
    }

    func current(_ key: ResourceKey) throws -> CurrentVersion? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: RecordReads.currentSQL), arguments: [key.type, key.id]) else {
            return nil
        }
        return CurrentVersion(version: row[0], lastUpdated: FHIRInstant(millisecondsSince1970: row[1]), deleted: row[2])
    }

    func version(_ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        try SQLiteReads.version(db, key, version)
    }

    func append(_ key: ResourceKey, version: Int, lastUpdated: FHIRInstant, method: WriteMethod, created: Bool,
                resource: JSONObject?, body: [UInt8]?, indexed: ResourceIndex?) throws -> Int64 {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO resource_version (type, id, version, last_updated, method, created, body) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [key.type, key.id, version, lastUpdated.millisecondsSince1970,
                                       method.rawValue, created, body.map { Data($0) }])
        let sequence = db.lastInsertedRowID
        let rid = version == 1
            ? try insertResource(key, version: version, sequence: sequence, deleted: method == .delete)
            : try updateResource(key, version: version, sequence: sequence, deleted: method == .delete)
        if let indexer = search.indexer {
            if version > 1 { try index.clear(rid) }
            if let resource {
                let indexed = indexed ?? indexer.index(resource, type: key.type)
                try index.insert(rid, type: key.type, entries: indexed.entries)
                try index.insertText(sequence, indexed.text)
                try index.insertPosition(rid, indexed.position)
            }
        }
        return sequence
    }

    // The resource row is written by a plain INSERT or UPDATE, never by one upsert with
    // `RETURNING`: SQLite runs a `RETURNING` statement inside a statement savepoint, and a
    // savepoint makes the full-text table (FTS5) write out the terms it holds in memory as a
    // segment of their own. Once per resource, that made a million-resource import spend an
    // eighth of its writer's time flushing and merging full-text segments.

    /// Version 1 has no row yet. `rid` is the new rowid; an existing row is a constraint error.
    private func insertResource(_ key: ResourceKey, version: Int, sequence: Int64, deleted: Bool) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO resource (type, id, version, seq, deleted) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [key.type, key.id, version, sequence, deleted])
        return db.lastInsertedRowID
    }

    /// A later version keeps the row's `rid`, so index rows and paging cursors that hold it
    /// stay valid across versions.
    private func updateResource(_ key: ResourceKey, version: Int, sequence: Int64, deleted: Bool) throws -> Int64 {
        try db.cachedStatement(sql: "UPDATE resource SET version = ?, seq = ?, deleted = ? WHERE type = ? AND id = ?")
            .execute(arguments: [version, sequence, deleted, key.type, key.id])
        guard db.changesCount == 1,
              let rid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rid FROM resource WHERE type = ? AND id = ?"),
                                           arguments: [key.type, key.id]) else {
            throw StorageError(.corrupt, detail: "version \(version) of \(key.type)/\(key.id) has no earlier version's row")
        }
        return rid
    }

    func visible(_ keys: [ResourceKey], _ filter: VisibilityFilter) throws -> Set<ResourceKey> {
        try CareRecord.visible(keys, filter, on: SQLiteConnection(db))
    }

    func matches(_ query: ConditionalQuery, limit: Int) throws -> [String] {
        // A bulk load into an empty store runs with the value indexes down. A search inside it
        // (a conditional reference or create) would then read whole tables, once for each
        // resource that asks, so the first such search builds them and the load goes on with
        // them up.
        if try ValueIndexes.areDown(db) { try ValueIndexes.build(db) }
        let parsed = try SearchQueryParser(context: search, clock: clock).conditional(query)
        return try SearchExecutor(connection: SQLiteConnection(db), context: search).ids(parsed, limit: limit)
    }

    func isolated<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }
}

import Foundation
