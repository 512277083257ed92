import FHIR
import Storage

/// `SearchIndexRebuild` for PostgreSQL: when `search_state` says the rows were built by other
/// rules or definitions (or by none, in a store that holds resources), every live resource is
/// re-indexed, a thousand at a time by `rid`, inside the caller's transaction.
struct SQLSearchIndexRebuild {
    let connection: any SQLConnection
    let context: SearchContext

    @discardableResult
    func bringUpToDate() throws -> Int {
        let built = try connection.fetchOne("SELECT value FROM search_state WHERE name = 'index'")?[0].string
        guard built != SearchIndexRebuild.signature, let indexer = context.indexer else { return 0 }
        for table in SearchIndexSchema.valueTables + ["search_fulltext"] { try connection.execute("DELETE FROM \(table)") }
        let pending = PendingIndexRows(ids: context.ids)
        var count = 0
        var after: Int64 = 0
        while true {
            let rows = try connection.fetchAll("""
                SELECT r.rid, r.type, v.body, r.seq FROM resource r JOIN resource_version v ON v.seq = r.seq
                WHERE r.deleted = 0 AND r.rid > ? ORDER BY r.rid LIMIT 1000
                """, [.integer(after)])
            guard let last = rows.last?[0].int64 else { break }
            after = last
            for row in rows {
                guard let rid = row[0].int64, let type = row[1].string, let body = row[2].bytes, let seq = row[3].int64 else { continue }
                guard let resource = try JSONParser().parse(body).objectValue else {
                    throw StorageError(.corrupt, detail: "the stored body of \(type) rid \(rid) is not a JSON object")
                }
                pending.add(rid, type: type, index: indexer.index(resource, type: type), sequence: seq)
                count += 1
            }
            try pending.flush(on: connection)
        }
        try connection.execute("""
            INSERT INTO search_state (name, value) VALUES ('index', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, [.text(SearchIndexRebuild.signature)])
        return count
    }
}
