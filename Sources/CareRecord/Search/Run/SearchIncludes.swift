import FHIR
import Storage

/// `_include` and `_revinclude` for one page: the resources the matches refer to (or that
/// refer to them) through the named reference parameters, and with `:iterate` the same again
/// from what was included, until nothing new turns up. Each resource is returned once and
/// never when it is a match of the page.
struct SearchIncludes {
    let connection: any SQLConnection
    /// Rounds of `:iterate`, at most: enough for any real chain (Observation -> Encounter ->
    /// Patient -> Organization) without letting a cycle run on.
    static let maximumRounds = 4

    func resources(for query: SearchQuery, matches: [(rid: Int64, key: ResourceKey)]) throws -> [StoredVersion] {
        guard !(query.includes.isEmpty && query.revIncludes.isEmpty), !matches.isEmpty else { return [] }
        var seen = Set(matches.map(\.rid))
        var found: [StoredVersion] = []
        var sources = matches
        for round in 0..<Self.maximumRounds {
            let includes = query.includes.filter { round == 0 || $0.iterate }
            let revIncludes = query.revIncludes.filter { round == 0 || $0.iterate }
            var parts = includes.compactMap { include in
                forward(include, from: sources.filter { $0.key.type == include.sourceType }.map(\.rid))
            }
            parts += revIncludes.flatMap { reverse($0, to: sources.map(\.key)) }
            guard !parts.isEmpty else { break }
            var added: [(rid: Int64, key: ResourceKey)] = []
            for row in try connection.fetchAll(Self.withVersions(parts.map(\.sql)), parts.flatMap(\.arguments)) {
                // Each part's rows in `rid` order, the parts in the order they were asked.
                let rid = row[1].int64 ?? 0
                guard seen.insert(rid).inserted else { continue }
                let key = ResourceKey(row[2].string ?? "", row[3].string ?? "")
                added.append((rid, key))
                found.append(RecordReads.storedVersion(key: key, row: row, offset: 4))
            }
            if added.isEmpty { break }
            sources = added
            if found.count >= SearchExecutor.includeLimit { break }
        }
        return Array(found.prefix(SearchExecutor.includeLimit))
    }

    /// One round's includes in one statement: each part selects the rids it includes (one
    /// column), and the rows come back part by part, each part's in `rid` order, with the
    /// part's number, the resource's rid and key and its current version.
    static func withVersions(_ parts: [String]) -> String {
        let numbered = parts.enumerated().map { "SELECT \($0.offset) AS n, rid FROM (\($0.element)) AS p\($0.offset)" }
        return """
            SELECT i.n, t.rid, t.type, t.id, \(versionColumns) FROM (\(numbered.joined(separator: " UNION ALL "))) AS i \
            JOIN resource t ON t.rid = i.rid JOIN resource_version v ON v.seq = t.seq ORDER BY i.n, t.rid
            """
    }

    /// `RecordReads.versionColumns` of `v`.
    static let versionColumns = RecordReads.versionColumns.split(separator: ", ").map { "v.\($0)" }.joined(separator: ", ")

    /// The rids of live resources that resources `rids` refer to through the include's
    /// parameters; nil when there can be none.
    private func forward(_ include: SearchInclude, from rids: [Int64]) -> (sql: String, arguments: [SQLValue])? {
        guard !rids.isEmpty, !include.pids.isEmpty else { return nil }
        var arguments: [SQLValue] = rids.map(\.sqlValue) + include.pids.map(\.sqlValue)
        var sql = """
            SELECT DISTINCT t.rid FROM search_reference ref JOIN resource t
            ON t.type = ref.target_type AND t.id = ref.target_id
            WHERE ref.rid \(RidSet.inList(rids.count)) AND ref.pid \(RidSet.inList(include.pids.count)) AND t.deleted = 0
            """
        if let target = include.targetType {
            sql += " AND ref.target_type = ?"
            arguments.append(target.sqlValue)
        }
        return (sql, arguments)
    }

    /// The rids of live resources of the include's source type that refer to any of `keys`:
    /// one part per type of target.
    private func reverse(_ include: SearchInclude, to keys: [ResourceKey]) -> [(sql: String, arguments: [SQLValue])] {
        guard !include.pids.isEmpty else { return [] }
        let byType = Dictionary(grouping: keys, by: \.type)
        return byType.sorted(by: { $0.key < $1.key }).compactMap { type, targets in
            if let wanted = include.targetType, wanted != type { return nil }
            var arguments: [SQLValue] = [type.sqlValue]
            arguments += targets.map(\.id.sqlValue)
            arguments += include.pids.map(\.sqlValue)
            let sql = """
                SELECT DISTINCT s.rid FROM search_reference ref JOIN resource s ON s.rid = ref.rid
                WHERE ref.target_type = ? AND ref.target_id \(RidSet.inList(targets.count))
                AND ref.pid \(RidSet.inList(include.pids.count)) AND s.deleted = 0
                """
            return (sql, arguments)
        }
    }

    /// `rid, type, id` at the start of a row.
    static func ridAndKey(_ row: SQLRow) -> (rid: Int64, key: ResourceKey) {
        (row[0].int64 ?? 0, ResourceKey(row[1].string ?? "", row[2].string ?? ""))
    }
}
