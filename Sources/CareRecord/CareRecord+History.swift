import FHIR
import Storage

extension CareRecord {
    /// One page of history for a resource, a type, or the whole system, newest first. A
    /// viewer held to their relationships (`RecordViewer`) reads the history of a resource
    /// they may see, never of a whole type or the system, which would reach every person's
    /// record.
    public func history(_ query: HistoryQuery) async throws -> HistoryPage {
        if case .instance(let key) = query.scope {
            let exists = try await read { connection in
                try connection.fetchOne("SELECT 1 FROM resource WHERE type = ? AND id = ?", [.text(key.type), .text(key.id)]) != nil
            }
            if !exists { throw RecordError(.notFound, .notFound, "no \(key.type) with this id") }
            try await requireVisible(key)
        } else if RecordViewer.current != nil {
            throw RecordError(.forbidden, .forbidden, "the history of a whole type or of the record reaches every person's record; "
                              + "read the history of a resource you may see instead")
        }
        return try await read { connection in
            var sql = "SELECT \(RecordReads.versionColumns), type, id FROM resource_version WHERE 1 = 1"
            var arguments: [SQLValue] = []
            switch query.scope {
            case .system: break
            case .type(let type):
                sql += " AND type = ?"
                arguments += [.text(type)]
            case .instance(let key):
                sql += " AND type = ? AND id = ?"
                arguments += [.text(key.type), .text(key.id)]
            }
            if let since = query.since {
                sql += " AND last_updated >= ?"
                arguments += [.integer(since.millisecondsSince1970)]
            }
            if let before = query.before {
                sql += " AND seq < ?"
                arguments += [.integer(before)]
            }
            sql += " ORDER BY seq DESC LIMIT ?"
            arguments += [(query.count + 1).sqlValue]
            var versions = try connection.fetchAll(sql, arguments).map { row in
                RecordReads.storedVersion(key: ResourceKey(row[6].string ?? "", row[7].string ?? ""), row: row, offset: 0)
            }
            var next: Int64?
            if versions.count > query.count {
                versions.removeLast()
                next = versions.last?.sequence
            }
            return HistoryPage(versions: versions, next: next)
        }
    }
}
