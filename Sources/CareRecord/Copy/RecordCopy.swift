import Storage

/// Copies a whole record from one store to another, either engine to either engine: every
/// version in change-log order, with its `seq`, and every current pointer, with its `rid`,
/// so that a reader's change-log position and a paging cursor mean the same in the copy. The
/// search index is not copied: it is derived, and the target's own engine builds it (the copy
/// marks it stale, and the next open of the target rebuilds it). `joinedup migrate` runs it.
///
/// The target must be empty. The source must not be written meanwhile (stop its server): rows
/// are read a page at a time, in separate snapshots, and the digests compared afterwards would
/// then differ.
public struct RecordCopy: Sendable {
    public let source: CareRecord
    public let target: CareRecord
    /// Rows per read and per write transaction.
    public var batchSize = 2_000

    public init(from source: CareRecord, to target: CareRecord) {
        self.source = source
        self.target = target
    }

    public struct Progress: Sendable {
        public var versions = 0
        public var resources = 0
    }

    /// Copies, and returns how many rows of each table went.
    /// - Throws: `RecordCopyError.targetNotEmpty` before anything is written.
    @discardableResult
    public func run(progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Progress {
        guard try await target.isEmpty() else { throw RecordCopyError.targetNotEmpty }
        var done = Progress()
        try await copy(.versions) { count in
            done.versions += count
            progress(done)
        }
        try await copy(.resources) { count in
            done.resources += count
            progress(done)
        }
        try await target.database.write { connection in
            if connection.engine == .postgres {
                // The identity sequences go on from the copied numbers, as SQLite's rowids do.
                try connection.execute("""
                    SELECT setval(pg_get_serial_sequence('resource_version', 'seq'), max(seq)) FROM resource_version HAVING count(*) > 0
                    """)
                try connection.execute("""
                    SELECT setval(pg_get_serial_sequence('resource', 'rid'), max(rid)) FROM resource HAVING count(*) > 0
                    """)
            }
            // The index the target holds is of an empty record: mark it stale, so that opening
            // the target builds it from the copied resources.
            try connection.execute("DELETE FROM search_state WHERE name = 'index'")
        }
        return done
    }

    private func copy(_ table: RecordTable, copied: (Int) -> Void) async throws {
        try await table.forEachPage(of: source, size: batchSize) { rows in
            try await target.database.write { connection in try Self.insert(rows, into: table, on: connection) }
            copied(rows.count)
        }
    }

    private static func insert(_ rows: [[SQLValue]], into table: RecordTable, on connection: any SQLConnection) throws {
        let columns = table.columns.joined(separator: ", ")
        switch connection.engine {
        case .sqlite:
            // One prepared statement, run per row: SQLite has no round trips to save.
            let sql = "INSERT INTO \(table.name) (\(columns)) VALUES (\(Array(repeating: "?", count: table.columns.count).joined(separator: ", ")))"
            for row in rows { try connection.execute(sql, row) }
        case .postgres:
            try MultiRowStatement.send([RowBatch("INSERT INTO \(table.name) (\(columns)) OVERRIDING SYSTEM VALUE VALUES $VALUES",
                                                 width: table.columns.count, rows: rows)], on: connection)
        }
    }
}

public enum RecordCopyError: Error, CustomStringConvertible {
    case targetNotEmpty

    public var description: String {
        switch self {
        case .targetNotEmpty: "the target already holds resources: a record is copied into an empty store only"
        }
    }
}
