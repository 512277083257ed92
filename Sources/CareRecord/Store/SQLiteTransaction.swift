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
        let statement = try db.cachedStatement(sql: """
            SELECT r.version, v.last_updated, r.deleted FROM resource r
            JOIN resource_version v ON v.seq = r.seq WHERE r.type = ? AND r.id = ?
            """)
        guard let row = try Row.fetchOne(statement, arguments: [key.type, key.id]) else { return nil }
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
        // The upsert keeps `rid` when the resource exists, so index rows and paging cursors
        // that hold it stay valid across versions.
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO resource (type, id, version, seq, deleted) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (type, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, deleted = excluded.deleted
            RETURNING rid
            """)
        guard let rid = try Int64.fetchOne(upsert, arguments: [key.type, key.id, version, sequence, method == .delete]) else {
            throw StorageError(.corrupt, detail: "the upsert of a resource row returned no rid")
        }
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

    func matches(_ query: ConditionalQuery, limit: Int) throws -> [String] {
        // A bulk load into an empty store runs with the value indexes down. A search inside it
        // (a conditional reference or create) would then read whole tables, once for each
        // resource that asks, so the first such search builds them and the load goes on with
        // them up.
        if try ValueIndexes.areDown(db) { try ValueIndexes.build(db) }
        let parsed = try SearchQueryParser(context: search, clock: clock).conditional(query)
        return try SearchExecutor(db: db, context: search).ids(parsed, limit: limit)
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
