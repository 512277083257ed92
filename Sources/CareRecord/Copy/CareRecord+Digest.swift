import Storage

extension CareRecord {
    /// The record's digest (see `RecordDigest`), read a page at a time.
    public func digest(pageSize: Int = 2_000) async throws -> RecordDigest {
        var digest = RecordDigest()
        for table in [RecordCopy.versionTable, RecordCopy.resourceTable] {
            let key = table.columns[0]
            let select = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE \(key) > ? ORDER BY \(key) LIMIT ?"
            var after: Int64 = 0
            while true {
                let rows = try await read { [after] connection in try connection.fetchAll(select, [.integer(after), pageSize.sqlValue]) }
                guard let last = rows.last?[0].int64 else { break }
                for row in rows {
                    for (column, value) in row.values.enumerated() {
                        // Bodies compare as bytes whichever way the engine keeps them.
                        let field = table.blobColumns.contains(column) ? (value.bytes.map(SQLValue.blob) ?? .null) : value
                        if table.name == RecordCopy.versionTable.name {
                            digest.versionChecksum.add(field)
                        } else {
                            digest.resourceChecksum.add(field)
                        }
                    }
                    if table.name == RecordCopy.versionTable.name {
                        digest.versions += 1
                        digest.bodyBytes += row[7].bytes?.count ?? 0
                    } else {
                        digest.resources += 1
                    }
                }
                after = last
            }
        }
        digest.liveByType = try await counts()
        return digest
    }
}
