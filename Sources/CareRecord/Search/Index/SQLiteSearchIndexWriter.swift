import FHIR
import GRDB

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
            .execute(.integer(seq), .text(text.narrative), .text(text.content))
    }

    /// Adds a Location's position (`near`).
    func insertPosition(_ rid: Int64, _ position: GeoPosition?) throws {
        guard let position else { return }
        try IndexRowInsert(db, sql: "INSERT OR REPLACE INTO search_position (rid, latitude, longitude) VALUES (?, ?, ?)")
            .execute(.integer(rid), .real(position.latitude), .real(position.longitude))
    }

    private func insert(_ rid: Int64, _ pid: Int64, _ value: SearchIndexValue) throws {
        switch value {
        case .token(let system, let code):
            try IndexRowInsert(db, sql: "INSERT OR IGNORE INTO search_token (rid, pid, system, code) VALUES (?, ?, ?, ?)")
                .execute(.integer(rid), .integer(pid), .text(system), .text(code))
        case .string(let normalized, let exact):
            try IndexRowInsert(db, sql: "INSERT OR IGNORE INTO search_string (rid, pid, norm, exact) VALUES (?, ?, ?, ?)")
                .execute(.integer(rid), .integer(pid), .text(normalized), .text(exact))
        case .date(let low, let high):
            try IndexRowInsert(db, sql: "INSERT OR IGNORE INTO search_date (rid, pid, low, high) VALUES (?, ?, ?, ?)")
                .execute(.integer(rid), .integer(pid), .integer(low), .integer(high))
        case .reference(let type, let id):
            try IndexRowInsert(db, sql: """
                INSERT OR IGNORE INTO search_reference (rid, pid, target_type, target_id) VALUES (?, ?, ?, ?)
                """).execute(.integer(rid), .integer(pid), .text(type), .text(id))
        case .number(let number):
            guard number.isFinite else { return }
            try IndexRowInsert(db, sql: "INSERT OR IGNORE INTO search_number (rid, pid, value) VALUES (?, ?, ?)")
                .execute(.integer(rid), .integer(pid), .real(number))
        case .quantity(let number, let system, let code):
            guard number.isFinite else { return }
            try IndexRowInsert(db, sql: """
                INSERT OR IGNORE INTO search_quantity (rid, pid, value, system, code) VALUES (?, ?, ?, ?, ?)
                """).execute(.integer(rid), .integer(pid), .real(number), .text(system), .text(code))
        case .composite(let first, let second):
            guard let a = CompositeColumns.first(first), let b = CompositeColumns.second(second) else { return }
            try IndexRowInsert(db, sql: """
                INSERT OR IGNORE INTO search_composite (rid, pid, a_system, a_code, b_system, b_code, b_low, b_high)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(.integer(rid), .integer(pid), .text(a.system), .text(a.code), .text(b.system), .text(b.code),
                             .real(b.low), .real(b.high))
        }
    }
}

/// How a composite's two component values fit the columns of `search_composite`: the first
/// is a token or a reference (`a_system`, `a_code`); the second a token, reference or string
/// (`b_system`, `b_code`) or a number, quantity or date (`b_low`..`b_high`, with the unit in
/// `b_system`/`b_code`). The query side (`SearchCompositeSQL`) reads them the same way.
enum CompositeColumns {
    struct Second {
        var system = ""
        var code = ""
        var low = 0.0
        var high = 0.0
    }

    static func first(_ value: SearchIndexValue) -> (system: String, code: String)? {
        switch value {
        case .token(let system, let code): (system, code)
        case .reference(let type, let id): (type, id)
        default: nil
        }
    }

    static func second(_ value: SearchIndexValue) -> Second? {
        switch value {
        case .token(let system, let code): Second(system: system, code: code)
        case .reference(let type, let id): Second(system: type, code: id)
        case .string(let normalized, _): Second(code: normalized)
        case .number(let number): number.isFinite ? Second(low: number, high: number) : nil
        case .quantity(let number, let system, let code):
            number.isFinite ? Second(system: system, code: code, low: number, high: number) : nil
        case .date(let low, let high): Second(low: Double(low), high: Double(high))
        case .composite: nil
        }
    }
}
