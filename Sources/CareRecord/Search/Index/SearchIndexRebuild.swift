import FHIR
import Foundation
import GRDB
import Storage

/// Keeps a store's search index true to the code that reads it. `search_state` records the
/// indexer's rules version and a fingerprint of the parameter definitions that built the
/// rows; when either differs (a store from before the index existed, or from an older
/// release) every live resource is re-indexed, in one transaction, before the record is used.
/// This is SQLite's; PostgreSQL's is `SQLSearchIndexRebuild`, over the same state and loop.
struct SearchIndexRebuild {
    let db: Database
    let context: SearchContext

    /// What built the rows: changes whenever the rules or the definitions do.
    static let signature = "rules \(SearchIndexer.rulesVersion); definitions \(FHIRSearchDefinitions.r4.fingerprint)"

    /// Re-indexes every live resource unless the rows were built by the current signature.
    /// Returns how many resources were re-indexed.
    @discardableResult
    func bringUpToDate() throws -> Int {
        let connection = SQLiteConnection(db)
        guard try !Self.isUpToDate(connection), let indexer = context.indexer else { return 0 }
        // Rows go in with the value indexes down, and the indexes are built after (sorted,
        // not row by row), as for a bulk load.
        try ValueIndexes.drop(db)
        for table in SearchIndexSchema.valueTables { try db.execute(sql: "DELETE FROM \(table)") }
        try db.execute(sql: "INSERT INTO search_fulltext (search_fulltext) VALUES ('delete-all')")
        let writer = SQLiteSearchIndexWriter(db: db, ids: context.ids)
        let count = try Self.forEachLiveResource(on: connection) { rid, type, _, resource, seq in
            let indexed = indexer.index(resource, type: type)
            try writer.insert(rid, type: type, entries: indexed.entries)
            try writer.insertText(seq, indexed.text)
            try writer.insertPosition(rid, indexed.position)
        }
        try ValueIndexes.build(db)
        try Self.recordSignature(connection)
        return count
    }

    /// Whether `search_state` says the rows were built by this `signature`.
    static func isUpToDate(_ connection: any SQLConnection) throws -> Bool {
        try connection.fetchOne("SELECT value FROM search_state WHERE name = 'index'")?[0].string == signature
    }

    static func recordSignature(_ connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO search_state (name, value) VALUES ('index', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, [.text(signature)])
    }

    /// Calls `body` with every live resource's rid, type, id, current body and `seq`, in rid order,
    /// a thousand read at a time; `afterPage` after each thousand. Returns how many there were.
    static func forEachLiveResource(on connection: any SQLConnection,
                                    _ body: (_ rid: Int64, _ type: String, _ id: String, _ resource: JSONObject, _ seq: Int64) throws -> Void,
                                    afterPage: () throws -> Void = {}) throws -> Int {
        var count = 0
        var after: Int64 = 0
        while true {
            let rows = try connection.fetchAll("""
                SELECT r.rid, r.type, v.body, r.seq, r.id FROM resource r JOIN resource_version v ON v.seq = r.seq
                WHERE r.deleted = 0 AND r.rid > ? ORDER BY r.rid LIMIT 1000
                """, [.integer(after)])
            guard let last = rows.last?[0].int64 else { return count }
            after = last
            for row in rows {
                guard let rid = row[0].int64, let type = row[1].string, let bytes = row[2].bytes, let seq = row[3].int64,
                      let id = row[4].string else {
                    continue
                }
                guard let resource = try JSONParser().parse(bytes).objectValue else {
                    throw StorageError(.corrupt, detail: "the stored body of \(type) rid \(rid) is not a JSON object")
                }
                try body(rid, type, id, resource, seq)
                count += 1
            }
            try afterPage()
        }
    }
}
