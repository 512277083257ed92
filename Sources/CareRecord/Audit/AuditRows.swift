import FHIR
import Storage

/// How an `AuditEntry` is kept in `audit_event` and `audit_entity` rows, both ways.
enum AuditRows {
    static let eventColumns = ["seq", "recorded", "action", "interaction", "status", "user_id", "organisation",
                               "role", "agent_patient", "address", "path", "query", "detail", "hash"]
    static let entityColumns = ["seq", "position", "bucket", "type", "id", "version"]

    /// The index bucket of entry `sequence` (see `AuditSchema`).
    static func bucket(_ sequence: Int64) -> Int64 { sequence >> 16 }

    static func event(_ entry: AuditEntry, hash: [UInt8]) -> [SQLValue] {
        [.integer(entry.sequence), .integer(entry.recorded.millisecondsSince1970), .text(entry.action),
         .text(entry.interaction), .integer(Int64(entry.status)), text(entry.agent.user), text(entry.agent.organisation),
         text(entry.agent.role), text(entry.agent.patient), text(entry.address), .text(entry.path), text(entry.query),
         text(entry.detail), .blob(hash)]
    }

    static func entity(_ entity: AuditEntity, sequence: Int64, position: Int) -> [SQLValue] {
        [.integer(sequence), .integer(Int64(position)), .integer(bucket(sequence)), .text(entity.type), .text(entity.id),
         entity.version.map { .integer(Int64($0)) } ?? .null]
    }

    private static func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }

    /// The SELECT list that `entry(_:entities:)` reads, in `eventColumns`' order.
    static var selectEvent: String { eventColumns.joined(separator: ", ") }

    /// The entry of an `audit_event` row (its entities given), and the hash stored with it.
    static func entry(_ row: SQLRow, entities: [AuditEntity]) -> (entry: AuditEntry, hash: [UInt8]) {
        let entry = AuditEntry(
            sequence: row[0].int64 ?? 0,
            recorded: FHIRInstant(millisecondsSince1970: row[1].int64 ?? 0),
            action: row[2].string ?? "",
            interaction: row[3].string ?? "",
            status: Int(row[4].int64 ?? 0),
            agent: AuditAgent(user: row[5].string, organisation: row[6].string, role: row[7].string, patient: row[8].string),
            address: row[9].string, path: row[10].string ?? "", query: row[11].string, detail: row[12].string,
            entities: entities)
        return (entry, row[13].bytes ?? [])
    }

    /// Entities of `audit_entity` rows (`seq, type, id, version, bucket`, in order), by
    /// sequence. A row whose bucket is not its entry's (which would hide it from reports)
    /// reads as an entity of no type, so the entry's hash no longer follows.
    static func entities(_ rows: [SQLRow]) -> [Int64: [AuditEntity]] {
        var found: [Int64: [AuditEntity]] = [:]
        for row in rows {
            guard let sequence = row[0].int64 else { continue }
            let misfiled = row[4].int64 != bucket(sequence)
            found[sequence, default: []].append(
                AuditEntity(misfiled ? "" : row[1].string ?? "", row[2].string ?? "", version: row[3].int64.map { Int($0) }))
        }
        return found
    }

    /// Up to `limit` entries after number `after`, oldest first, with their entities and their
    /// stored hashes.
    static func read(after: Int64, limit: Int, on connection: any SQLConnection) throws -> [(entry: AuditEntry, hash: [UInt8])] {
        let events = try connection.fetchAll(
            "SELECT \(selectEvent) FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ?", [.integer(after), limit.sqlValue])
        guard let last = events.last?[0].int64 else { return [] }
        let entities = Self.entities(try connection.fetchAll(
            "SELECT seq, type, id, version, bucket FROM audit_entity WHERE seq > ? AND seq <= ? ORDER BY seq, position",
            [.integer(after), .integer(last)]))
        return events.map { entry($0, entities: entities[$0[0].int64 ?? 0] ?? []) }
    }

    /// The entries numbered `sequences`, in that order, with their entities.
    static func read(sequences: [Int64], on connection: any SQLConnection) throws -> [AuditEntry] {
        guard !sequences.isEmpty else { return [] }
        let arguments = sequences.map(SQLValue.integer)
        let events = try connection.fetchAll(
            "SELECT \(selectEvent) FROM audit_event WHERE seq \(RidSet.inList(sequences.count))", arguments)
        let entities = Self.entities(try connection.fetchAll(
            "SELECT seq, type, id, version, bucket FROM audit_entity WHERE seq \(RidSet.inList(sequences.count)) ORDER BY seq, position",
            arguments))
        let found = Dictionary(events.map { ($0[0].int64 ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        return sequences.compactMap { sequence in
            found[sequence].map { entry($0, entities: entities[sequence] ?? []).entry }
        }
    }
}
