import Crypto
import FHIR
import Storage

/// The audit log's tamper evidence: each entry's hash is SHA-256 of the hash before it and of
/// the entry's own fields in a fixed encoding, so changing, removing or reordering any entry
/// breaks every hash after it. Anyone who can write the database could rebuild the chain from
/// the change onwards, so the head (`AuditVerification.head`) is what an operator writes down
/// elsewhere; `verify(expecting:)` then shows the log still reaches it.
///
/// The log is also append-only in the database itself: triggers refuse UPDATE and DELETE on
/// both tables (`AuditSchema`). The chain is for what triggers cannot stop: someone with the
/// file, or a superuser, editing it behind the server's back.
enum AuditChain {
    /// The hash before the first entry.
    static let origin = [UInt8](repeating: 0, count: 32)

    /// The hash of `entry` (its sequence set) following `previous`: of their bytes together
    /// (`AuditEntryCodec`).
    static func hash(_ entry: AuditEntry, after previous: [UInt8]) -> [UInt8] {
        var bytes = previous
        bytes.reserveCapacity(previous.count + 256)
        AuditEntryCodec.encode(entry, into: &bytes)
        return Array(SHA256.hash(data: bytes))
    }

    /// Appends `entries` to the log in `connection`'s write transaction, numbering and chaining
    /// them after the last entry; the caller holds the writer's lock, so the chain is serial.
    static func append(_ entries: [AuditEntry], on connection: any SQLConnection) throws {
        guard !entries.isEmpty else { return }
        let tail = try connection.fetchOne("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
        var sequence = tail?[0].int64 ?? 0
        var previous = tail?[1].bytes ?? origin
        var eventRows: [[SQLValue]] = []
        var entityRows: [[SQLValue]] = []
        for var entry in entries {
            sequence += 1
            entry.sequence = sequence
            previous = hash(entry, after: previous)
            eventRows.append(AuditRows.event(entry, hash: previous))
            for (position, entity) in entry.entities.enumerated() {
                entityRows.append(AuditRows.entity(entity, sequence: sequence, position: position))
            }
        }
        try insert(eventRows, into: "audit_event", columns: AuditRows.eventColumns, on: connection)
        try insert(entityRows, into: "audit_entity", columns: AuditRows.entityColumns, on: connection)
    }

    /// On SQLite one cached single-row INSERT stepped per row through the C API
    /// (`IndexRowInsert`: GRDB's argument boxing was most of a load's time); on PostgreSQL,
    /// where every statement is a round trip, multi-row INSERTs of at most 500 rows.
    private static func insert(_ rows: [[SQLValue]], into table: String, columns: [String], on connection: any SQLConnection) throws {
        guard !rows.isEmpty else { return }
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        if let sqlite = connection as? SQLiteConnection {
            let insert = try IndexRowInsert(sqlite.db, sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(row)")
            for values in rows { try insert.execute(values) }
            return
        }
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 500, rows.count)]
            let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: row, count: chunk.count).joined(separator: ", ")
            _ = try connection.execute(sql, chunk.flatMap { $0 })
            start += chunk.count
        }
    }
}
