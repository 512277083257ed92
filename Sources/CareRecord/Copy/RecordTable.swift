import Storage

/// A table a record copy moves and a digest sums: its columns, the first being its key, read a
/// page at a time in key order.
struct RecordTable: Sendable {
    let name: String
    let columns: [String]
    /// Columns written and compared as blobs on both engines (bodies).
    let blobColumns: Set<Int>

    static let versions = RecordTable(name: "resource_version",
                                      columns: ["seq", "type", "id", "version", "last_updated", "method", "created", "body"],
                                      blobColumns: [7])
    static let resources = RecordTable(name: "resource", columns: ["rid", "type", "id", "version", "seq", "deleted"],
                                       blobColumns: [])

    /// Calls `body` with each page of `record`'s rows, `size` at a time, in key order, each read
    /// in a snapshot of its own; blob columns come as blobs whichever way the engine keeps them.
    func forEachPage(of record: CareRecord, size: Int, _ body: ([[SQLValue]]) async throws -> Void) async throws {
        let key = columns[0]
        let select = "SELECT \(columns.joined(separator: ", ")) FROM \(name) WHERE \(key) > ? ORDER BY \(key) LIMIT ?"
        let blobColumns = blobColumns
        var after: Int64 = 0
        while true {
            let rows = try await record.read { [after] connection in
                try connection.fetchAll(select, [.integer(after), size.sqlValue]).map { row in
                    row.values.enumerated().map { column, value in
                        blobColumns.contains(column) ? (value.bytes.map(SQLValue.blob) ?? .null) : value
                    }
                }
            }
            guard let last = rows.last?[0].int64 else { return }
            try await body(rows)
            after = last
        }
    }
}
