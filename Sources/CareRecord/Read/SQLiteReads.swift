import FHIR
import Foundation
import GRDB

/// The read queries, shared by the read-only pool and by write transactions.
enum SQLiteReads {
    static func version(_ db: Database, _ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        let row: Row?
        if let version {
            let statement = try db.cachedStatement(sql: """
                SELECT seq, version, last_updated, method, body, created FROM resource_version WHERE type = ? AND id = ? AND version = ?
                """)
            row = try Row.fetchOne(statement, arguments: [key.type, key.id, version])
        } else {
            let statement = try db.cachedStatement(sql: """
                SELECT v.seq, v.version, v.last_updated, v.method, v.body, v.created FROM resource r
                JOIN resource_version v ON v.seq = r.seq WHERE r.type = ? AND r.id = ?
                """)
            row = try Row.fetchOne(statement, arguments: [key.type, key.id])
        }
        return row.map { storedVersion(key: key, row: $0, offset: 0) }
    }

    /// Decodes `seq, version, last_updated, method, body, created` starting at column `offset`.
    static func storedVersion(key: ResourceKey, row: Row, offset: Int) -> StoredVersion {
        let body: Data? = row[offset + 4]
        return StoredVersion(
            key: key,
            version: row[offset + 1],
            lastUpdated: FHIRInstant(millisecondsSince1970: row[offset + 2]),
            method: WriteMethod(rawValue: row[offset + 3]) ?? .update,
            sequence: row[offset],
            created: row[offset + 5],
            body: body.map { [UInt8]($0) }
        )
    }
}
