import FHIR
import Storage

/// `SearchIndexRebuild` for PostgreSQL: when `search_state` says the rows were built by other
/// rules or definitions (or by none, in a store that holds resources), every live resource is
/// re-indexed inside the caller's transaction, its rows sent a thousand resources at a time.
///
/// The rebuild also sets each resource's person (`PersonKey`) from its fresh index, and every
/// version's to its resource's: how a store from before the key, or copied in by `joinedup
/// migrate` (which marks the index stale), gets its keys. It runs before the tables are
/// distributed: Citus cannot change a distribution key in place.
struct SQLSearchIndexRebuild {
    let connection: any SQLConnection
    let context: SearchContext

    @discardableResult
    func bringUpToDate() throws -> Int {
        guard try !SearchIndexRebuild.isUpToDate(connection), let indexer = context.indexer else { return 0 }
        // As for a bulk load: the rows go in with the secondary indexes and the pointer's
        // foreign key (which a changing key would break mid-way) down, and these are built after.
        try ValueIndexes.drop(connection)
        for table in SearchIndexSchema.valueTables + ["search_fulltext"] { try connection.execute("DELETE FROM \(table)") }
        let pending = PendingIndexRows(ids: context.ids)
        let compartment = context.patientCompartment
        var persons = RowBatch(Self.setPersons, width: 2)
        let count = try SearchIndexRebuild.forEachLiveResource(on: connection, { rid, type, id, resource, seq in
            let index = indexer.index(resource, type: type)
            let person = PersonKey.of(type: type, id: id, entries: index.entries, compartment: compartment)
            persons.rows.append([.integer(rid), .integer(person)])
            pending.add(rid, person: person, type: type, index: index, sequence: seq)
        }, afterPage: {
            try MultiRowStatement.send([persons] + pending.takeBatches(), on: connection)
            persons.rows = []
        })
        try connection.execute("""
            UPDATE resource_version v SET person = r.person FROM resource r
            WHERE v.type = r.type AND v.id = r.id AND v.person <> r.person
            """)
        try ValueIndexes.build(connection)
        try SearchIndexRebuild.recordSignature(connection)
        return count
    }

    private static let setPersons = """
        UPDATE resource AS r SET person = m.person FROM (VALUES $VALUES) AS m (rid, person) \
        WHERE r.rid = m.rid AND r.person <> m.person
        """
}
