import FHIR
import Foundation
import GRDB
import Storage

/// Keeps a store's search index true to the code that reads it. `search_state` records the
/// indexer's rules version and a fingerprint of the parameter definitions that built the
/// rows; when either differs (a store from before the index existed, or from an older
/// release) every live resource is re-indexed, in one transaction, before the record is used.
struct SearchIndexRebuild {
    let db: Database
    let context: SearchContext

    /// What built the rows: changes whenever the rules or the definitions do.
    static let signature = "rules \(SearchIndexer.rulesVersion); definitions \(FHIRSearchDefinitions.r4.fingerprint)"

    /// Re-indexes every live resource unless the rows were built by the current signature.
    /// Returns how many resources were re-indexed.
    @discardableResult
    func bringUpToDate() throws -> Int {
        let built = try String.fetchOne(db, sql: "SELECT value FROM search_state WHERE name = 'index'")
        guard built != Self.signature else { return 0 }
        guard let indexer = context.indexer else { return 0 }
        // Rows go in with the value indexes down, and the indexes are built after (sorted,
        // not row by row), as for a bulk load.
        try ValueIndexes.drop(db)
        for table in SearchIndexSchema.valueTables { try db.execute(sql: "DELETE FROM \(table)") }
        try db.execute(sql: "INSERT INTO search_fulltext (search_fulltext) VALUES ('delete-all')")
        let writer = SQLiteSearchIndexWriter(db: db, ids: context.ids)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.rid, r.type, v.body, r.seq FROM resource r JOIN resource_version v ON v.seq = r.seq
            WHERE r.deleted = 0 ORDER BY r.rid
            """)
        var count = 0
        while let row = try rows.next() {
            let rid: Int64 = row[0]
            let type: String = row[1]
            guard let body: [UInt8] = (row[2] as Data?).map({ [UInt8]($0) }) else { continue }
            guard let resource = try JSONParser().parse(body).objectValue else {
                throw StorageError(.corrupt, detail: "the stored body of \(type) rid \(rid) is not a JSON object")
            }
            let indexed = indexer.index(resource, type: type)
            try writer.insert(rid, type: type, entries: indexed.entries)
            try writer.insertText(row[3], indexed.text)
            try writer.insertPosition(rid, indexed.position)
            count += 1
        }
        try ValueIndexes.build(db)
        try db.execute(sql: "INSERT OR REPLACE INTO search_state (name, value) VALUES ('index', ?)",
                       arguments: [Self.signature])
        return count
    }
}
