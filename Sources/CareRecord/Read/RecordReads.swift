import FHIR
import Storage

/// The record's read queries on either engine (`SQLConnection`), for PostgreSQL's reads and
/// write transactions. SQLite runs the same SQL through GRDB's statements (`SQLiteReads`,
/// `SQLiteTransaction`), for a read by id that takes microseconds.
enum RecordReads {
    static let versionColumns = "seq, version, last_updated, method, body, created"
    /// `versionColumns` of `resource_version v`, for a query that joins it: what
    /// `storedVersion(key:row:offset:)` decodes.
    static let joinedVersionColumns = versionColumns.split(separator: ", ").map { "v.\($0)" }.joined(separator: ", ")

    /// One version by number: type, id, version.
    static let versionSQL = "SELECT \(versionColumns) FROM resource_version WHERE type = ? AND id = ? AND version = ?"

    /// The current version: type, id.
    static let currentVersionSQL = """
        SELECT \(joinedVersionColumns) FROM resource r
        JOIN resource_version v ON v.seq = r.seq WHERE r.type = ? AND r.id = ?
        """

    /// The current versions of several keys (PostgreSQL): the types and the ids as array
    /// literals (`PostgresArray`). Each row starts with its key's position (from 1), then the
    /// columns `storedVersion(key:row:offset: 1)` decodes; a key with no resource has no row.
    static let currentVersionsSQL = """
        SELECT k.n, \(joinedVersionColumns)
        FROM unnest(CAST(? AS text[]), CAST(? AS text[])) WITH ORDINALITY AS k(type, id, n)
        JOIN resource r ON r.type = k.type AND r.id = k.id
        JOIN resource_version v ON v.seq = r.seq
        """

    /// What a write needs of the current version (version, lastUpdated, deleted, and the
    /// row's rid, which an update of it keeps): type, id.
    static let currentSQL = """
        SELECT r.version, v.last_updated, r.deleted, r.rid FROM resource r
        JOIN resource_version v ON v.seq = r.seq WHERE r.type = ? AND r.id = ?
        """

    /// `currentSQL` with the row's person (`PersonKey`) last, on PostgreSQL.
    static let currentWithPersonSQL = """
        SELECT r.version, v.last_updated, r.deleted, r.rid, r.person FROM resource r
        JOIN resource_version v ON v.seq = r.seq WHERE r.type = ? AND r.id = ?
        """

    static func version(_ connection: any SQLConnection, _ key: ResourceKey, _ version: Int?) throws -> StoredVersion? {
        let query = versionQuery(key, version)
        return try connection.fetchOne(query.sql, query.arguments).map { storedVersion(key: key, row: $0, offset: 0) }
    }

    /// The statement that reads one version of `key` (the current one when `version` is nil);
    /// its row decodes with `storedVersion(key:row:offset: 0)`.
    static func versionQuery(_ key: ResourceKey, _ version: Int?) -> (sql: String, arguments: [SQLValue]) {
        if let version {
            (versionSQL, [.text(key.type), .text(key.id), version.sqlValue])
        } else {
            (currentVersionSQL, [.text(key.type), .text(key.id)])
        }
    }

    /// Decodes `seq, version, last_updated, method, body, created` starting at column `offset`.
    static func storedVersion(key: ResourceKey, row: SQLRow, offset: Int) -> StoredVersion {
        StoredVersion(
            key: key,
            version: Int(row[offset + 1].int64 ?? 0),
            lastUpdated: FHIRInstant(millisecondsSince1970: row[offset + 2].int64 ?? 0),
            method: row[offset + 3].string.flatMap(WriteMethod.init(rawValue:)) ?? .update,
            sequence: row[offset].int64 ?? 0,
            created: row[offset + 5].int64 == 1,
            body: row[offset + 4].bytes
        )
    }
}
