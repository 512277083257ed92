import FHIR
import Foundation
import GRDB

/// `RecordReads`' queries on GRDB's cached statements, decoded from GRDB's rows: SQLite's
/// read by id, from the read-only pool and inside write transactions.
enum SQLiteReads {
    static func version(_ db: Database, _ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        let row: Row?
        if let version {
            row = try Row.fetchOne(db.cachedStatement(sql: RecordReads.versionSQL), arguments: [key.type, key.id, version])
        } else {
            row = try Row.fetchOne(db.cachedStatement(sql: RecordReads.currentVersionSQL), arguments: [key.type, key.id])
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
