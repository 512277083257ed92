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
        var found: [(rid: Int64, key: ResourceKey)] = []
        var sources = matches
        for round in 0..<Self.maximumRounds {
            var added: [(rid: Int64, key: ResourceKey)] = []
            let includes = query.includes.filter { round == 0 || $0.iterate }
            let revIncludes = query.revIncludes.filter { round == 0 || $0.iterate }
            if includes.isEmpty && revIncludes.isEmpty { break }
            for include in includes {
                let from = sources.filter { $0.key.type == include.sourceType }
                for item in try forward(include, from: from.map(\.rid)) where seen.insert(item.rid).inserted {
                    added.append(item)
                }
            }
            for include in revIncludes {
                for item in try reverse(include, to: sources.map(\.key)) where seen.insert(item.rid).inserted {
                    added.append(item)
                }
            }
            if added.isEmpty { break }
            found += added
            sources = added
            if found.count >= SearchExecutor.includeLimit { break }
        }
        return try load(found.prefix(SearchExecutor.includeLimit).map(\.rid))
    }

    /// Live resources that resources `rids` refer to through the include's parameters.
    private func forward(_ include: SearchInclude, from rids: [Int64]) throws -> [(rid: Int64, key: ResourceKey)] {
        guard !rids.isEmpty, !include.pids.isEmpty else { return [] }
        var arguments: [SQLValue] = rids.map(\.sqlValue) + include.pids.map(\.sqlValue)
        var sql = """
            SELECT DISTINCT t.rid, t.type, t.id FROM search_reference ref JOIN resource t
            ON t.type = ref.target_type AND t.id = ref.target_id
            WHERE ref.rid \(RidSet.inList(rids.count)) AND ref.pid \(RidSet.inList(include.pids.count)) AND t.deleted = 0
            """
        if let target = include.targetType {
            sql += " AND ref.target_type = ?"
            arguments.append(target.sqlValue)
        }
        return try connection.fetchAll(sql + " ORDER BY t.rid", arguments).map(Self.ridAndKey)
    }

    /// Live resources of the include's source type that refer to any of `keys`.
    private func reverse(_ include: SearchInclude, to keys: [ResourceKey]) throws -> [(rid: Int64, key: ResourceKey)] {
        var results: [(rid: Int64, key: ResourceKey)] = []
        let byType = Dictionary(grouping: keys, by: \.type)
        for (type, targets) in byType.sorted(by: { $0.key < $1.key }) {
            if let wanted = include.targetType, wanted != type { continue }
            guard !include.pids.isEmpty else { continue }
            var arguments: [SQLValue] = [type.sqlValue]
            arguments += targets.map(\.id.sqlValue)
            arguments += include.pids.map(\.sqlValue)
            let sql = """
                SELECT DISTINCT s.rid, s.type, s.id FROM search_reference ref JOIN resource s ON s.rid = ref.rid
                WHERE ref.target_type = ? AND ref.target_id \(RidSet.inList(targets.count))
                AND ref.pid \(RidSet.inList(include.pids.count)) AND s.deleted = 0 ORDER BY s.rid
                """
            results += try connection.fetchAll(sql, arguments).map(Self.ridAndKey)
        }
        return results
    }

    /// The current versions of `rids`, in that order.
    func load(_ rids: [Int64]) throws -> [StoredVersion] {
        guard !rids.isEmpty else { return [] }
        var byRid: [Int64: StoredVersion] = [:]
        for chunk in stride(from: 0, to: rids.count, by: 500).map({ Array(rids[$0..<min($0 + 500, rids.count)]) }) {
            let sql = """
                SELECT r.rid, r.type, r.id, v.seq, v.version, v.last_updated, v.method, v.body, v.created
                FROM resource r JOIN resource_version v ON v.seq = r.seq WHERE r.rid \(RidSet.inList(chunk.count))
                """
            for row in try connection.fetchAll(sql, chunk.map(\.sqlValue)) {
                byRid[row[0].int64 ?? 0] = RecordReads.storedVersion(key: Self.ridAndKey(row).key, row: row, offset: 3)
            }
        }
        return rids.compactMap { byRid[$0] }
    }

    /// `rid, type, id` at the start of a row.
    static func ridAndKey(_ row: SQLRow) -> (rid: Int64, key: ResourceKey) {
        (row[0].int64 ?? 0, ResourceKey(row[1].string ?? "", row[2].string ?? ""))
    }
}
