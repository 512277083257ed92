import FHIR
import Storage

/// A resource's index rows grouped by table, as `SQLValue`s, so an engine that pays a round
/// trip per statement (PostgreSQL) writes each table's rows in one INSERT. SQLite writes row by
/// row through its C API instead (`SQLiteSearchIndexWriter`); both lay out the columns alike.
struct SearchIndexRows {
    /// Table name -> (column list, rows), tables in a fixed order.
    private(set) var tables: [(table: String, columns: String, rows: [[SQLValue]])] = []

    init(rid: Int64, type: String, entries: [SearchIndexEntry], ids: SearchParameterIDs) {
        var byTable: [String: [[SQLValue]]] = [:]
        for entry in entries {
            guard let pid = ids.pid(type, entry.parameter), let (table, values) = Self.row(entry.value) else { continue }
            byTable[table, default: []].append([.integer(rid), .integer(pid)] + values)
        }
        for (table, columns) in Self.columns {
            if let rows = byTable[table] { tables.append((table, columns, rows)) }
        }
    }

    static let columns: [(String, String)] = [
        ("search_token", "rid, pid, system, code"),
        ("search_string", "rid, pid, norm, exact"),
        ("search_date", "rid, pid, low, high"),
        ("search_reference", "rid, pid, target_type, target_id"),
        ("search_number", "rid, pid, value"),
        ("search_quantity", "rid, pid, value, system, code"),
        ("search_composite", "rid, pid, a_system, a_code, b_system, b_code, b_low, b_high"),
    ]

    /// The table and the columns after `rid, pid` for one value; nil for a value that is not
    /// stored (a number that is not finite, a composite that does not fit).
    private static func row(_ value: SearchIndexValue) -> (String, [SQLValue])? {
        switch value {
        case .token(let system, let code): ("search_token", [.text(system), .text(code)])
        case .string(let normalized, let exact): ("search_string", [.text(normalized), .text(exact)])
        case .date(let low, let high): ("search_date", [.integer(low), .integer(high)])
        case .reference(let type, let id): ("search_reference", [.text(type), .text(id)])
        case .number(let number): number.isFinite ? ("search_number", [.real(number)]) : nil
        case .quantity(let number, let system, let code):
            number.isFinite ? ("search_quantity", [.real(number), .text(system), .text(code)]) : nil
        case .composite(let first, let second):
            if let a = CompositeColumns.first(first), let b = CompositeColumns.second(second) {
                ("search_composite", [.text(a.system), .text(a.code), .text(b.system), .text(b.code), .real(b.low), .real(b.high)])
            } else {
                nil
            }
        }
    }
}

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
        for (table, _, tableRows) in SearchIndexRows(rid: rid, type: type, entries: index.entries, ids: ids).tables {
            rows += tableRows.map { Row(table: table, rid: rid, values: $0) }
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
        var inserts: [(table: String, sql: String)] = []
        for (table, columns) in SearchIndexRows.columns {
            inserts.append((table: table, sql: "INSERT INTO \(table) (\(columns)) VALUES $VALUES ON CONFLICT DO NOTHING"))
        }
        return inserts
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
