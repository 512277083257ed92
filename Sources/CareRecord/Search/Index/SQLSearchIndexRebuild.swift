import FHIR
import Storage

/// `SearchIndexRebuild` for PostgreSQL: when `search_state` says the rows were built by other
/// rules or definitions (or by none, in a store that holds resources), every live resource is
/// re-indexed inside the caller's transaction, its rows sent a thousand resources at a time.
struct SQLSearchIndexRebuild {
    let connection: any SQLConnection
    let context: SearchContext

    @discardableResult
    func bringUpToDate() throws -> Int {
        guard try !SearchIndexRebuild.isUpToDate(connection), let indexer = context.indexer else { return 0 }
        for table in SearchIndexSchema.valueTables + ["search_fulltext"] { try connection.execute("DELETE FROM \(table)") }
        let pending = PendingIndexRows(ids: context.ids)
        let count = try SearchIndexRebuild.forEachLiveResource(on: connection, { rid, type, resource, seq in
            pending.add(rid, type: type, index: indexer.index(resource, type: type), sequence: seq)
        }, afterPage: { try MultiRowStatement.send(pending.takeBatches(), on: connection) })
        try SearchIndexRebuild.recordSignature(connection)
        return count
    }
}
