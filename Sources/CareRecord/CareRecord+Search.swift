import FHIR
import GRDB

extension CareRecord {
    /// The live resources matching `query` (identifier and `_id` until full search arrives),
    /// current versions, in id order.
    public func search(_ query: ConditionalQuery, limit: Int) async throws -> [StoredVersion] {
        try await database.pool.read { db in
            try SQLiteReads.matches(db, query, limit: limit).compactMap { id in
                try SQLiteReads.version(db, ResourceKey(query.type, id), nil)
            }
        }
    }

    /// How many live resources match `query`.
    public func count(matching query: ConditionalQuery) async throws -> Int {
        try await database.pool.read { db in try SQLiteReads.count(db, query) }
    }
}
