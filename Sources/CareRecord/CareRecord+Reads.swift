import FHIR
import GRDB
import Storage

extension CareRecord {
    /// The current version of `key`.
    /// - Throws: `RecordError` `.notFound` (also when the request's viewer may not see it), or
    ///   `.gone` when its current version is a deletion.
    public func read(_ key: ResourceKey) async throws -> StoredVersion {
        let stored = try await readVisibleVersion(key, nil)
        guard let stored else { throw RecordError(.notFound, .notFound, "no \(key.type) with this id") }
        if stored.isDeletion { throw RecordError(.gone, .deleted, "this \(key.type) has been deleted") }
        return stored
    }

    /// One version of `key`; a deletion version answers `.gone`. Whether the request's viewer
    /// may see it is judged by the resource as it is now.
    public func read(_ key: ResourceKey, version: Int) async throws -> StoredVersion {
        let stored = try await readVisibleVersion(key, version)
        guard let stored else { throw RecordError(.notFound, .notFound, "no such version of this \(key.type)") }
        if stored.isDeletion { throw RecordError(.gone, .deleted, "this version records a deletion") }
        return stored
    }

    /// `readVersion`, nil also when the request's viewer (`RecordViewer`) may not see `key`.
    /// On SQLite that is one call on the calling thread: who the viewer is (once a request),
    /// then the version with the visibility test in its WHERE, where SQLite stops at the
    /// first relationship that holds (in the select list it worked out every one: 54 µs a
    /// read where the read alone takes 5).
    private func readVisibleVersion(_ key: ResourceKey, _ version: Int?) async throws -> StoredVersion? {
        guard let viewer = RecordViewer.current else { return try await readVersion(key, version) }
        guard case .sqlite(let database) = engine else {
            guard let stored = try await readVersion(key, version) else { return nil }
            try await requireVisible(key)
            return stored
        }
        return try Self.readNow(database.pool) { db in
            let connection = SQLiteConnection(db)
            try identify(viewer, on: connection)
            let filter = visibility(of: viewer)
            var arguments: [SQLValue] = []
            let versionJoin = version == nil ? "v.seq = t.seq" : "v.type = t.type AND v.id = t.id AND v.version = ?"
            if let version { arguments.append(version.sqlValue) }
            arguments += [key.type.sqlValue, key.id.sqlValue]
            let test = filter.condition("t", &arguments, one: true)
            let sql = "SELECT \(RecordReads.joinedVersionColumns) FROM resource t JOIN resource_version v ON \(versionJoin) "
                + "WHERE t.type = ? AND t.id = ? AND \(test)"
            return try connection.fetchOne(sql, arguments).map { RecordReads.storedVersion(key: key, row: $0, offset: 0) }
        }
    }

    /// A read by id is ONE SQL statement, run on SQLite on the calling thread. GRDB's async read hops
    /// to a dispatch queue and back; for a read that takes microseconds those two thread
    /// switches cost more than the read (measured: a third of the server's time went to task
    /// switching under a read-by-id load). It also skips GRDB's explicit transaction (BEGIN,
    /// SAVEPOINT, RELEASE, COMMIT: a further tenth): SQLite runs every statement against one
    /// consistent snapshot, so a single SELECT needs none. Reads of several statements
    /// (history, search) use the async, transactional API.
    ///
    /// On PostgreSQL the statement runs without BEGIN and COMMIT for the same reason, and
    /// from this task rather than a worker thread (`PostgresDatabase.fetchAll`).
    private func readVersion(_ key: ResourceKey, _ version: Int?) async throws -> StoredVersion? {
        switch engine {
        case .sqlite(let database):
            try Self.readNow(database.pool) { db in try SQLiteReads.version(db, key, version) }
        case .postgres(let database):
            if version == nil, let currentReads {
                try await currentReads.value(for: key)
            } else {
                try await Self.readNow(database, key, version)
            }
        }
    }

    /// GRDB's synchronous `unsafeRead`, on the calling thread (from an async function, the
    /// async overload, which hops threads, would be chosen).
    private static func readNow<T>(_ pool: DatabasePool, _ singleStatement: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(singleStatement)
    }

    private static func readNow(_ database: PostgresDatabase, _ key: ResourceKey, _ version: Int?) async throws -> StoredVersion? {
        let query = RecordReads.versionQuery(key, version)
        return try await database.fetchAll(query.sql, query.arguments).first
            .map { RecordReads.storedVersion(key: key, row: $0, offset: 0) }
    }

    /// The current versions of `keys`, in their order, in one statement (`ReadCoalescer`
    /// gathers them from concurrent reads by id).
    static func currentVersions(_ database: PostgresDatabase, _ keys: [ResourceKey]) async throws -> [StoredVersion?] {
        if keys.count == 1 { return [try await readNow(database, keys[0], nil)] }
        let rows = try await database.fetchAll(RecordReads.currentVersionsSQL, [
            .text(PostgresArray.literal(keys.map(\.type))), .text(PostgresArray.literal(keys.map(\.id))),
        ])
        var found = [StoredVersion?](repeating: nil, count: keys.count)
        for row in rows {
            guard let position = row[0].int64, position >= 1, position <= keys.count else { continue }
            let index = Int(position) - 1
            found[index] = RecordReads.storedVersion(key: keys[index], row: row, offset: 1)
        }
        return found
    }

    /// Runs `body`, a few quick statements, on SQLite on the calling thread without a
    /// transaction (as a read by id is, `readVersion`), on PostgreSQL in a read snapshot:
    /// for the reads a request makes beside its own (who a viewer is, the visibility test),
    /// which the two thread hops of `read` would cost more than.
    func readBeside<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let database): try Self.readNow(database.pool) { db in try body(SQLiteConnection(db)) }
        case .postgres(let database): try await database.read(body)
        }
    }

    /// Runs `body` in a read-only snapshot on either engine.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let database): try await database.read(body)
        case .postgres(let database): try await database.read(body)
        }
    }

    /// The change log after `sequence`, oldest first: what downstream projections read.
    public func changes(after sequence: Int64, limit: Int = 1000) async throws -> [StoredVersion] {
        try await read { connection in
            try connection.fetchAll("""
                SELECT \(RecordReads.versionColumns), type, id FROM resource_version
                WHERE seq > ? ORDER BY seq LIMIT ?
                """, [.integer(sequence), limit.sqlValue]).map { row in
                RecordReads.storedVersion(key: ResourceKey(row[6].string ?? "", row[7].string ?? ""), row: row, offset: 0)
            }
        }
    }

    /// How many live resources of each type the store holds.
    public func counts() async throws -> [String: Int] {
        try await read { connection in
            let rows = try connection.fetchAll("SELECT type, count(*) FROM resource WHERE deleted = 0 GROUP BY type")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0].string ?? "", Int($0[1].int64 ?? 0)) })
        }
    }
}
