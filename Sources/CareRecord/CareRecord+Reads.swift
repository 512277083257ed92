import FHIR
import GRDB

extension CareRecord {
    /// The current version of `key`.
    /// - Throws: `RecordError` `.notFound`, or `.gone` when its current version is a deletion.
    public func read(_ key: ResourceKey) async throws -> StoredVersion {
        let stored = try readNow { db in try SQLiteReads.version(db, key, nil) }
        guard let stored else { throw RecordError(.notFound, .notFound, "no \(key.type) with this id") }
        if stored.isDeletion { throw RecordError(.gone, .deleted, "this \(key.type) has been deleted") }
        return stored
    }

    /// One version of `key`; a deletion version answers `.gone`.
    public func read(_ key: ResourceKey, version: Int) async throws -> StoredVersion {
        let stored = try readNow { db in try SQLiteReads.version(db, key, version) }
        guard let stored else { throw RecordError(.notFound, .notFound, "no such version of this \(key.type)") }
        if stored.isDeletion { throw RecordError(.gone, .deleted, "this version records a deletion") }
        return stored
    }

    /// Runs a read made of ONE SQL statement on the calling thread. GRDB's async read hops
    /// to a dispatch queue and back; for a read that takes microseconds those two thread
    /// switches cost more than the read (measured: a third of the server's time went to task
    /// switching under a read-by-id load). It also skips GRDB's explicit transaction (BEGIN,
    /// SAVEPOINT, RELEASE, COMMIT: a further tenth): SQLite runs every statement against one
    /// consistent snapshot, so a single SELECT needs none. Reads of several statements
    /// (history, search) use the async, transactional API.
    func readNow<T>(_ singleStatement: (Database) throws -> T) throws -> T {
        try database.pool.unsafeRead(singleStatement)
    }

    /// The change log after `sequence`, oldest first: what downstream projections read.
    public func changes(after sequence: Int64, limit: Int = 1000) async throws -> [StoredVersion] {
        try await database.pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, version, last_updated, method, body, created, type, id FROM resource_version
                WHERE seq > ? ORDER BY seq LIMIT ?
                """, arguments: [sequence, limit])
            return rows.map { SQLiteReads.storedVersion(key: ResourceKey($0[6], $0[7]), row: $0, offset: 0) }
        }
    }

    /// How many live resources of each type the store holds.
    public func counts() async throws -> [String: Int] {
        try await database.pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT type, count(*) FROM resource WHERE deleted = 0 GROUP BY type")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as Int) })
        }
    }
}
