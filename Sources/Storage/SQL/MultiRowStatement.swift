/// Sends batches of rows for several tables in few statements, on PostgreSQL: every statement
/// there is a round trip, so rows sent one by one cost one each, while this sends a
/// transaction's versions, current pointers and index rows in one statement when they fit.
///
/// Batches go in order, each one's rows as multi-row VALUES lists; several batches share a
/// statement as data-modifying CTEs (`WITH p0 AS (INSERT ...) INSERT ...`). Constraints such as
/// foreign keys are checked at the end of each statement, so a batch may refer to rows of an
/// earlier batch in the same statement. A statement holds at most `maximumArguments` values and
/// about `maximumBytes` of text and blobs; a batch too big for one is split across several.
/// (SQLite takes no INSERT inside WITH; its writer sends rows through prepared statements.)
///
/// When the batches hold at least `copyThreshold` rows and the connection can copy
/// (`SQLBulkCopying`), the batches that name a copy target are copied instead, in the same
/// order among the statements: a bulk load then costs the server less, and the caller goes on
/// making the next rows while these go in.
public enum MultiRowStatement {
    /// PostgreSQL takes at most 65,535 bound values in one statement.
    public static let maximumArguments = 60_000
    /// Keeps one statement's message to the server moderate even when rows carry large bodies.
    public static let maximumBytes = 8 << 20

    /// Below this, one statement (one round trip) beats a COPY per table.
    public static let copyThreshold = 1_000

    public static func send(_ batches: [RowBatch], on connection: any SQLConnection) throws {
        let copier = batches.reduce(0) { $0 + $1.rows.count } >= copyThreshold ? connection as? any SQLBulkCopying : nil
        var parts: [String] = []
        var arguments: [SQLValue] = []
        var bytes = 0
        func sendStatement() throws {
            guard let last = parts.last else { return }
            let ctes = parts.dropLast().enumerated().map { "p\($0.offset) AS (\($0.element))" }
            let sql = ctes.isEmpty ? last : "WITH " + ctes.joined(separator: ", ") + " " + last
            try connection.execute(sql, arguments)
            parts.removeAll()
            arguments.removeAll(keepingCapacity: true)
            bytes = 0
        }
        for batch in batches where !batch.rows.isEmpty {
            if let copier, let target = batch.copy {
                try sendStatement()
                try copier.copy(into: target.table, columns: target.columns, rows: batch.rows)
                continue
            }
            let tuple = "(" + Array(repeating: "?", count: batch.width).joined(separator: ", ") + ")"
            var count = 0
            func closePart() {
                guard count > 0 else { return }
                parts.append(batch.sql.replacingOccurrences(
                    of: "$VALUES", with: Array(repeating: tuple, count: count).joined(separator: ", ")))
                count = 0
            }
            for row in batch.rows {
                precondition(row.count == batch.width, "a row of \(row.count) values for a batch of \(batch.width)")
                let size = row.reduce(0) { $0 + $1.byteCount }
                let full = arguments.count + batch.width > maximumArguments || bytes + size > maximumBytes
                if full, !arguments.isEmpty {
                    closePart()
                    try sendStatement()
                }
                arguments += row
                bytes += size
                count += 1
            }
            closePart()
        }
        try sendStatement()
    }
}

extension SQLValue {
    /// About what the value takes on the wire.
    var byteCount: Int {
        switch self {
        case .null: 0
        case .integer, .real: 8
        case .text(let value): value.utf8.count
        case .blob(let value): value.count
        }
    }
}
