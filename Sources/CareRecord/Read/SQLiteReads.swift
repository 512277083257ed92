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

    static func matches(_ db: Database, _ query: ConditionalQuery, limit: Int = 2) throws -> [String] {
        var (sql, arguments) = filter(query, selecting: "r.id")
        sql += " ORDER BY r.id LIMIT ?"
        arguments += [limit]
        return try String.fetchAll(db, sql: sql, arguments: arguments)
    }

    static func count(_ db: Database, _ query: ConditionalQuery) throws -> Int {
        let (sql, arguments) = filter(query, selecting: "count(*)")
        return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
    }

    /// The SELECT for live resources matching every clause of `query`. Only placeholders go
    /// into the SQL text; every value is bound.
    private static func filter(_ query: ConditionalQuery, selecting columns: String) -> (String, StatementArguments) {
        var sql = "SELECT \(columns) FROM resource r WHERE r.type = ? AND r.deleted = 0"
        var arguments: StatementArguments = [query.type]
        for clause in query.clauses {
            switch clause {
            case .ids(let ids):
                sql += " AND r.id IN (" + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")"
                arguments += StatementArguments(ids)
            case .identifiers(let tokens):
                // Driven from the identifier index (IN, not a correlated EXISTS), so a lookup
                // costs the same with ten patients or a million.
                var alternatives: [String] = []
                var values = StatementArguments([query.type])
                for token in tokens {
                    var conditions: [String] = []
                    if let value = token.value {
                        conditions.append("i.value = ?")
                        values += [value]
                    }
                    if let system = token.system {
                        conditions.append("i.system = ?")
                        values += [system]
                    }
                    alternatives.append("(" + conditions.joined(separator: " AND ") + ")")
                }
                sql += " AND r.id IN (SELECT i.id FROM resource_identifier i WHERE i.type = ? AND ("
                    + alternatives.joined(separator: " OR ") + "))"
                arguments += values
            }
        }
        return (sql, arguments)
    }
}
