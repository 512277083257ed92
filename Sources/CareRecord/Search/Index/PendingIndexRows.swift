import FHIR
import Storage

/// The index rows a PostgreSQL write transaction has made but not yet sent: each statement
/// is a round trip there, so rows are sent a table at a time, in multi-row INSERTs, when the
/// transaction commits or before it searches (a conditional interaction must see them).
///
/// A resource updated again in the same transaction drops its pending rows with the rows
/// already sent (`clear`); a savepoint that rolls back drops those made inside it
/// (`mark`/`rollBack(to:)`).
final class PendingIndexRows {
    private struct Row {
        let table: String
        let rid: Int64
        let values: [SQLValue]
    }

    private var rows: [Row] = []
    let ids: SearchParameterIDs

    init(ids: SearchParameterIDs) {
        self.ids = ids
    }

    /// Deletes every index row of `rid`, sent or pending (an update or deletion replaces them).
    /// Full text is kept by version (`seq`), so an old version's words need no delete.
    func clear(_ rid: Int64, on connection: any SQLConnection) throws {
        rows.removeAll { $0.rid == rid && $0.table != "search_fulltext" }
        try connection.execute(Self.clearAll, Array(repeating: SQLValue.integer(rid), count: SearchIndexSchema.valueTables.count))
    }

    /// One statement deleting a rid's rows from every value table (data-modifying CTEs).
    private static let clearAll: String = {
        let tables = SearchIndexSchema.valueTables
        var deletes: [String] = []
        for (offset, table) in tables.dropLast().enumerated() {
            deletes.append("d\(offset) AS (DELETE FROM \(table) WHERE rid = ?)")
        }
        return "WITH " + deletes.joined(separator: ", ") + " DELETE FROM \(tables[tables.count - 1]) WHERE rid = ?"
    }()

    func add(_ rid: Int64, type: String, index: ResourceIndex, sequence: Int64) {
        for entry in index.entries {
            guard let pid = ids.pid(type, entry.parameter), let row = SearchIndexTable.row(rid: rid, pid: pid, entry.value) else {
                continue
            }
            rows.append(Row(table: row.table.name, rid: rid, values: row.values))
        }
        if let text = index.text {
            rows.append(Row(table: "search_fulltext", rid: rid, values: [
                .integer(sequence), .text(PostgresFullText.vector(text.narrative)), .text(PostgresFullText.vector(text.content)),
            ]))
        }
        if let position = index.position {
            rows.append(Row(table: "search_position", rid: rid,
                            values: [.integer(rid), .real(position.latitude), .real(position.longitude)]))
        }
    }

    var mark: Int { rows.count }

    func rollBack(to mark: Int) {
        if mark < rows.count { rows.removeSubrange(mark...) }
    }

    /// Sends every pending row, a table at a time, at most `maximumArguments` values a statement.
    func flush(on connection: any SQLConnection) throws {
        guard !rows.isEmpty else { return }
        let byTable = Dictionary(grouping: rows, by: \.table)
        rows = []
        for insert in Self.inserts {
            guard let tableRows = byTable[insert.table], let width = tableRows.first?.values.count else { continue }
            let perStatement = max(1, Self.maximumArguments / width)
            let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            for start in stride(from: 0, to: tableRows.count, by: perStatement) {
                let chunk = tableRows[start..<min(start + perStatement, tableRows.count)]
                let tuples = Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
                var arguments: [SQLValue] = []
                arguments.reserveCapacity(chunk.count * width)
                for row in chunk { arguments += row.values }
                try connection.execute(insert.sql.replacingOccurrences(of: "$VALUES", with: tuples), arguments)
            }
        }
    }

    /// PostgreSQL takes at most 65,535 bound values in one statement.
    static let maximumArguments = 60_000

    /// Each table's INSERT, with `$VALUES` where the row tuples go, in the order tables are sent.
    private static let inserts: [(table: String, sql: String)] = valueInserts() + [
        (table: "search_fulltext", sql: fullTextInsert),
        (table: "search_position", sql: positionInsert),
    ]

    private static func valueInserts() -> [(table: String, sql: String)] {
        SearchIndexTable.allCases.map { table in
            (table: table.name, sql: "INSERT INTO \(table.name) (\(table.columns)) VALUES $VALUES ON CONFLICT DO NOTHING")
        }
    }

    private static let fullTextInsert = """
        INSERT INTO search_fulltext (seq, narrative, content) \
        SELECT v.seq, CAST(v.narrative AS tsvector), CAST(v.content AS tsvector) \
        FROM (VALUES $VALUES) AS v (seq, narrative, content)
        """

    private static let positionInsert = """
        INSERT INTO search_position (rid, latitude, longitude) VALUES $VALUES \
        ON CONFLICT (rid) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude
        """
}
