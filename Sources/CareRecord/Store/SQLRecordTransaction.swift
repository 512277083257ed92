import FHIR
import Storage

/// `StoreTransaction` on any engine's `SQLConnection`, inside a write transaction the engine
/// opened: PostgreSQL's. (SQLite has its own, `SQLiteTransaction`, on GRDB's statements and
/// SQLite's C API, which a bulk load needs.)
struct SQLRecordTransaction: StoreTransaction {
    let connection: any SQLConnection
    let search: SearchContext

    func current(_ key: ResourceKey) throws -> CurrentVersion? {
        try RecordReads.current(connection, key)
    }

    func version(_ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        try RecordReads.version(connection, key, version)
    }

    func append(_ key: ResourceKey, version: Int, lastUpdated: FHIRInstant, method: WriteMethod, created: Bool,
                resource: JSONObject?, body: [UInt8]?, indexed: ResourceIndex?) throws -> Int64 {
        let deleted = SQLValue(method == .delete)
        guard let sequence = try connection.fetchOne("""
            INSERT INTO resource_version (type, id, version, last_updated, method, created, body)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq
            """, [.text(key.type), .text(key.id), SQLValue(version), .integer(lastUpdated.millisecondsSince1970),
                  .text(method.rawValue), SQLValue(created), body.map(SQLValue.blob) ?? .null])?[0].int64 else {
            throw StorageError(.corrupt, detail: "the insert of a version returned no seq")
        }
        // Version 1 has no row yet; a later version keeps the row's rid (index rows and paging
        // cursors hold it).
        let rid = if version == 1 {
            try connection.fetchOne("INSERT INTO resource (type, id, version, seq, deleted) VALUES (?, ?, ?, ?, ?) RETURNING rid",
                                    [.text(key.type), .text(key.id), SQLValue(version), .integer(sequence), deleted])?[0].int64
        } else {
            try connection.fetchOne("UPDATE resource SET version = ?, seq = ?, deleted = ? WHERE type = ? AND id = ? RETURNING rid",
                                    [SQLValue(version), .integer(sequence), deleted, .text(key.type), .text(key.id)])?[0].int64
        }
        guard let rid else {
            throw StorageError(.corrupt, detail: "version \(version) of \(key.type)/\(key.id) found no resource row")
        }
        if let indexer = search.indexer {
            let writer = SQLSearchIndexWriter(connection: connection, ids: search.ids)
            if version > 1 { try writer.clear(rid) }
            if let resource {
                try writer.insert(rid, type: key.type, index: indexed ?? indexer.index(resource, type: key.type), sequence: sequence)
            }
        }
        return sequence
    }

    func matches(_ query: ConditionalQuery, limit: Int) throws -> [String] {
        // Search runs on SQLite only so far (issue 5): a conditional interaction on
        // PostgreSQL is refused rather than answered wrongly.
        throw RecordError(.notSupported, .notSupported, "conditional interactions are not yet available on PostgreSQL")
    }

    func isolated<T>(_ body: () throws -> T) throws -> T {
        try connection.execute("SAVEPOINT entry")
        do {
            let result = try body()
            try connection.execute("RELEASE SAVEPOINT entry")
            return result
        } catch {
            try connection.execute("ROLLBACK TO SAVEPOINT entry")
            try connection.execute("RELEASE SAVEPOINT entry")
            throw error
        }
    }
}
