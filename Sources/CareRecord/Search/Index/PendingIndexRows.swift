import FHIR
import Storage

/// The index rows a PostgreSQL write transaction has made but not yet sent: each statement
/// is a round trip there, so rows are sent a table at a time, in multi-row INSERTs, when the
/// transaction commits or before it searches (a conditional interaction must see them).
///
/// A resource updated again in the same transaction drops its pending rows, and its rows
/// already sent are deleted at the next flush (`clear`); a savepoint that rolls back drops
/// what is pending (`discard`). Every row carries its resource's person (`PersonKey`), the
/// tables' distribution key.
final class PendingIndexRows {
    private struct Row {
        let table: String
        let rid: Int64
        let values: [SQLValue]
    }

    private var rows: [Row] = []
    /// Rids whose sent rows are to be deleted at the next flush, and the persons those rows
    /// may be under (a resource moved to another person's record keeps its rid).
    private var cleared: Set<Int64> = []
    private var clearedPersons: Set<Int64> = []
    let ids: SearchParameterIDs

    init(ids: SearchParameterIDs) {
        self.ids = ids
    }

    /// Deletes every index row of `rid`, sent or pending (an update or deletion replaces them):
    /// pending ones now, sent ones at the next `flush`, before the rows made since.
    /// Full text is kept by version (`seq`), so an old version's words need no delete.
    /// `person` is the key the rows were written under.
    func clear(_ rid: Int64, person: Int64) {
        rows.removeAll { $0.rid == rid && $0.table != "search_fulltext" }
        cleared.insert(rid)
        clearedPersons.insert(person)
    }

    /// One statement deleting the rows of a set of persons and rids (`bigint[]` literals, in
    /// turn) from every value table (data-modifying CTEs).
    private static let clearAll: String = {
        let tables = SearchIndexSchema.valueTables
        let test = "person = ANY(CAST(? AS bigint[])) AND rid = ANY(CAST(? AS bigint[]))"
        var deletes: [String] = []
        for (offset, table) in tables.dropLast().enumerated() {
            deletes.append("d\(offset) AS (DELETE FROM \(table) WHERE \(test))")
        }
        return "WITH " + deletes.joined(separator: ", ") + " DELETE FROM \(tables[tables.count - 1]) WHERE \(test)"
    }()

    func add(_ rid: Int64, person: Int64, type: String, index: ResourceIndex, sequence: Int64) {
        // The indexer's entries are distinct, and each makes a distinct row but for composites,
        // whose two kinds of second value share columns: those rows are made distinct here, as
        // a COPY has no ON CONFLICT to drop a repeat.
        var composites: Set<[SQLValue]> = []
        for entry in index.entries {
            guard let pid = ids.pid(type, entry.parameter), let row = SearchIndexTable.row(rid: rid, pid: pid, entry.value) else {
                continue
            }
            if row.table == .composite, !composites.insert(row.values).inserted { continue }
            rows.append(Row(table: row.table.name, rid: rid, values: row.values + [.integer(person)]))
        }
        if let text = index.text {
            rows.append(Row(table: "search_fulltext", rid: rid, values: [
                .integer(sequence), .text(PostgresFullText.vector(text.narrative)), .text(PostgresFullText.vector(text.content)),
                .integer(person),
            ]))
        }
        if let position = index.position {
            rows.append(Row(table: "search_position", rid: rid,
                            values: [.integer(rid), .real(position.latitude), .real(position.longitude), .integer(person)]))
        }
    }

    /// Drops everything not yet sent (a savepoint rolled back, after a flush at its start).
    func discard() {
        rows = []
        cleared = []
        clearedPersons = []
    }

    /// Sends the deletes `clear` deferred: before the rows made since are sent.
    func sendClears(on connection: any SQLConnection) throws {
        guard !cleared.isEmpty else { return }
        let test: [SQLValue] = [.text(PostgresArray.literal(clearedPersons)), .text(PostgresArray.literal(cleared))]
        try connection.execute(Self.clearAll, Array(Array(repeating: test, count: SearchIndexSchema.valueTables.count).joined()))
        cleared = []
        clearedPersons = []
    }

    /// Takes the pending rows as one batch per table, for `MultiRowStatement` (after
    /// `sendClears`).
    func takeBatches() -> [RowBatch] {
        guard !rows.isEmpty else { return [] }
        let byTable = Dictionary(grouping: rows, by: \.table)
        rows = []
        return Self.inserts.compactMap { table, batch in
            byTable[table].map { RowBatch(batch.sql, width: batch.width, rows: $0.map(\.values), copy: batch.copy) }
        }
    }

    /// Each table's INSERT, in the order tables are sent.
    private static let inserts: [(table: String, batch: RowBatch)] = valueInserts() + [
        (table: "search_fulltext", batch: RowBatch(fullTextInsert, width: 4, copy: fullTextCopy)),
        (table: "search_position", batch: RowBatch(positionInsert, width: 4)),
    ]

    private static func valueInserts() -> [(table: String, batch: RowBatch)] {
        SearchIndexTable.allCases.map { table in
            let sql = "INSERT INTO \(table.name) (\(table.columns), person) VALUES $VALUES ON CONFLICT DO NOTHING"
            let copy = RowBatch.CopyTarget(table: table.name, columns: table.columns.components(separatedBy: ", ") + ["person"])
            return (table: table.name, batch: RowBatch(sql, width: table.columnCount + 1, copy: copy))
        }
    }

    /// A `tsvector`'s text input is what COPY reads into the column, as the INSERT's cast does.
    private static let fullTextCopy = RowBatch.CopyTarget(table: "search_fulltext", columns: ["seq", "narrative", "content", "person"])

    private static let fullTextInsert = """
        INSERT INTO search_fulltext (seq, narrative, content, person) \
        SELECT v.seq, CAST(v.narrative AS tsvector), CAST(v.content AS tsvector), v.person \
        FROM (VALUES $VALUES) AS v (seq, narrative, content, person)
        """

    private static let positionInsert = """
        INSERT INTO search_position (rid, latitude, longitude, person) VALUES $VALUES \
        ON CONFLICT (rid, person) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude
        """
}
