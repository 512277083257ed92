import FHIR
import Storage

/// `StoreTransaction` on any engine's `SQLConnection`, inside a write transaction the engine
/// opened: PostgreSQL's. (SQLite has its own, `SQLiteTransaction`, on GRDB's statements and
/// SQLite's C API, which a bulk load needs.)
///
/// Each statement is a round trip to the server, so a version and its current pointer go in
/// one statement, and index rows wait in `pending` until the transaction commits (`finish`)
/// or searches (`matches`).
struct SQLRecordTransaction: StoreTransaction {
    let connection: any SQLConnection
    let search: SearchContext
    /// For `ap` date conditions in conditional interactions.
    let clock: @Sendable () -> FHIRInstant
    /// Index rows not yet sent.
    let pending: PendingIndexRows

    init(connection: any SQLConnection, search: SearchContext, clock: @escaping @Sendable () -> FHIRInstant) {
        self.connection = connection
        self.search = search
        self.clock = clock
        self.pending = PendingIndexRows(ids: search.ids)
    }

    /// Sends what is pending: call before the transaction commits.
    func finish() throws {
        try pending.flush(on: connection)
    }

    func current(_ key: ResourceKey) throws -> CurrentVersion? {
        try RecordReads.current(connection, key)
    }

    func version(_ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        try RecordReads.version(connection, key, version)
    }

    func append(_ key: ResourceKey, version: Int, lastUpdated: FHIRInstant, method: WriteMethod, created: Bool,
                resource: JSONObject?, body: [UInt8]?, indexed: ResourceIndex?) throws -> Int64 {
        let deleted = (method == .delete).sqlValue
        let versionRow: [SQLValue] = [.text(key.type), .text(key.id), version.sqlValue, .integer(lastUpdated.millisecondsSince1970),
                                      .text(method.rawValue), created.sqlValue, body.map(SQLValue.blob) ?? .null]
        // Version 1 has no row yet; a later version keeps the row's rid (index rows and paging
        // cursors hold it).
        let row = if version == 1 {
            try connection.fetchOne(Self.insertVersion + """
                INSERT INTO resource (type, id, version, seq, deleted) SELECT ?, ?, ?, v.seq, ? FROM v RETURNING rid, seq
                """, versionRow + [.text(key.type), .text(key.id), version.sqlValue, deleted])
        } else {
            try connection.fetchOne(Self.insertVersion + """
                UPDATE resource SET version = ?, seq = (SELECT seq FROM v), deleted = ? WHERE type = ? AND id = ? RETURNING rid, seq
                """, versionRow + [version.sqlValue, deleted, .text(key.type), .text(key.id)])
        }
        guard let rid = row?[0].int64, let sequence = row?[1].int64 else {
            throw StorageError(.corrupt, detail: "version \(version) of \(key.type)/\(key.id) found no resource row")
        }
        if let indexer = search.indexer {
            if version > 1 { try pending.clear(rid, on: connection) }
            if let resource {
                pending.add(rid, type: key.type, index: indexed ?? indexer.index(resource, type: key.type), sequence: sequence)
            }
        }
        return sequence
    }

    /// The version row, as a CTE `v` whose `seq` the statement that follows it reads.
    private static let insertVersion = """
        WITH v AS (INSERT INTO resource_version (type, id, version, last_updated, method, created, body)
        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq)
        """

    func matches(_ query: ConditionalQuery, limit: Int) throws -> [String] {
        try pending.flush(on: connection)
        let parsed = try SearchQueryParser(context: search, clock: clock).conditional(query)
        return try SearchExecutor(connection: connection, context: search).ids(parsed, limit: limit)
    }

    func isolated<T>(_ body: () throws -> T) throws -> T {
        // Rows pending from before the savepoint are sent first: a clear inside it drops
        // pending rows, which a rollback could not bring back.
        try pending.flush(on: connection)
        try connection.execute("SAVEPOINT entry")
        let mark = pending.mark
        do {
            let result = try body()
            try connection.execute("RELEASE SAVEPOINT entry")
            return result
        } catch {
            // The rollback undoes what the savepoint sent; rows made inside it and not yet
            // sent are dropped here.
            pending.rollBack(to: mark)
            try connection.execute("ROLLBACK TO SAVEPOINT entry")
            try connection.execute("RELEASE SAVEPOINT entry")
            throw error
        }
    }
}
