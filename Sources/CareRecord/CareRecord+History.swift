import FHIR
import GRDB

extension CareRecord {
    /// One page of history for a resource, a type, or the whole system, newest first.
    public func history(_ query: HistoryQuery) async throws -> HistoryPage {
        if case .instance(let key) = query.scope {
            let exists = try await database.pool.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM resource WHERE type = ? AND id = ?", arguments: [key.type, key.id]) ?? false
            }
            if !exists { throw RecordError(.notFound, .notFound, "no \(key.type) with this id") }
        }
        return try await database.pool.read { db in
            var sql = "SELECT seq, version, last_updated, method, body, created, type, id FROM resource_version WHERE 1 = 1"
            var arguments = StatementArguments()
            switch query.scope {
            case .system: break
            case .type(let type):
                sql += " AND type = ?"
                arguments += [type]
            case .instance(let key):
                sql += " AND type = ? AND id = ?"
                arguments += [key.type, key.id]
            }
            if let since = query.since {
                sql += " AND last_updated >= ?"
                arguments += [since.millisecondsSince1970]
            }
            if let before = query.before {
                sql += " AND seq < ?"
                arguments += [before]
            }
            sql += " ORDER BY seq DESC LIMIT ?"
            arguments += [query.count + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            var versions = rows.map { SQLiteReads.storedVersion(key: ResourceKey($0[6], $0[7]), row: $0, offset: 0) }
            var next: Int64?
            if versions.count > query.count {
                versions.removeLast()
                next = versions.last?.sequence
            }
            return HistoryPage(versions: versions, next: next)
        }
    }
}
