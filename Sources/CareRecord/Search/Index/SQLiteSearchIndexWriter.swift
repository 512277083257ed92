import FHIR
import GRDB
import Storage

/// Writes a resource's index rows inside the write transaction that stores the resource, so a
/// search (and a conditional interaction) never sees a resource without its rows or rows of a
/// version that is no longer current.
struct SQLiteSearchIndexWriter {
    let db: Database
    let ids: SearchParameterIDs

    /// Removes every row of `rid` (an update or a deletion replaces them all).
    func clear(_ rid: Int64) throws {
        for table in SearchIndexSchema.valueTables {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE rid = ?").execute(arguments: [rid])
        }
    }

    func insert(_ rid: Int64, type: String, entries: [SearchIndexEntry]) throws {
        for entry in entries {
            guard let pid = ids.pid(type, entry.parameter) else { continue }
            try insert(rid, pid, entry.value)
        }
    }

    /// Adds the full text of the version `seq` (see `SearchIndexSchema.fullText`).
    func insertText(_ seq: Int64, _ text: FullText?) throws {
        guard let text else { return }
        try IndexRowInsert(db, sql: "INSERT INTO search_fulltext (rowid, narrative, content) VALUES (?, ?, ?)")
            .execute([.integer(seq), .text(text.narrative), .text(text.content)])
    }

    /// Adds a Location's position (`near`).
    func insertPosition(_ rid: Int64, _ position: GeoPosition?) throws {
        guard let position else { return }
        try IndexRowInsert(db, sql: "INSERT OR REPLACE INTO search_position (rid, latitude, longitude) VALUES (?, ?, ?)")
            .execute([.integer(rid), .real(position.latitude), .real(position.longitude)])
    }

    private func insert(_ rid: Int64, _ pid: Int64, _ value: SearchIndexValue) throws {
        guard let row = SearchIndexTable.row(rid: rid, pid: pid, value) else { return }
        try IndexRowInsert(db, sql: Self.inserts[row.table.rawValue]).execute(row.values)
    }

    /// Each value table's INSERT, by `SearchIndexTable.rawValue`.
    private static let inserts = SearchIndexTable.allCases.map { table in
        "INSERT OR IGNORE INTO \(table.name) (\(table.columns)) VALUES \(table.placeholders)"
    }
}
