import Storage

extension CareRecord {
    /// The record's digest (see `RecordDigest`), read a page at a time.
    public func digest(pageSize: Int = 2_000) async throws -> RecordDigest {
        var digest = RecordDigest()
        try await RecordTable.versions.forEachPage(of: self, size: pageSize) { rows in
            for row in rows {
                for field in row { digest.versionChecksum.add(field) }
                digest.versions += 1
                digest.bodyBytes += row[7].bytes?.count ?? 0
            }
        }
        try await RecordTable.resources.forEachPage(of: self, size: pageSize) { rows in
            for row in rows {
                for field in row { digest.resourceChecksum.add(field) }
                digest.resources += 1
            }
        }
        digest.liveByType = try await counts()
        return digest
    }
}
