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

/// Writes a resource's index rows on either engine: one multi-row INSERT per table. Duplicate
/// rows (one value reached by two paths) are dropped by the primary key.
struct SQLSearchIndexWriter {
    let connection: any SQLConnection
    let ids: SearchParameterIDs

    func clear(_ rid: Int64) throws {
        for table in SearchIndexSchema.valueTables {
            try connection.execute("DELETE FROM \(table) WHERE rid = ?", [.integer(rid)])
        }
    }

    func insert(_ rid: Int64, type: String, index: ResourceIndex, sequence: Int64) throws {
        for (table, columns, rows) in SearchIndexRows(rid: rid, type: type, entries: index.entries, ids: ids).tables {
            let width = rows[0].count
            let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            try connection.execute("""
                INSERT INTO \(table) (\(columns)) VALUES \(Array(repeating: tuple, count: rows.count).joined(separator: ", "))
                ON CONFLICT DO NOTHING
                """, rows.flatMap { $0 })
        }
        if let text = index.text {
            try connection.execute("""
                INSERT INTO search_fulltext (seq, narrative, content) VALUES (?, to_tsvector('simple', ?), to_tsvector('simple', ?))
                """, [.integer(sequence), .text(text.narrative), .text(text.content)])
        }
        if let position = index.position {
            try connection.execute("""
                INSERT INTO search_position (rid, latitude, longitude) VALUES (?, ?, ?)
                ON CONFLICT (rid) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude
                """, [.integer(rid), .real(position.latitude), .real(position.longitude)])
        }
    }
}
