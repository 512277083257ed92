import FHIR
import GRDB

struct EverythingQuery {
    let patient: String
    let since: FHIRInstant?
    let types: [String]?
    let count: Int
    /// The page starts after this `rid`.
    let after: Int64
}

/// Reads one page of a patient's `$everything` from the index: compartment membership is
/// "some compartment parameter of the resource's type refers to this patient", which the
/// reference index answers by (target type, target id) alone.
struct EverythingReader {
    let db: Database
    let context: SearchContext

    func run(_ query: EverythingQuery) throws -> SearchPage {
        guard try Int64.fetchOne(db, sql: "SELECT rid FROM resource WHERE type = 'Patient' AND id = ? AND deleted = 0",
                                 arguments: [query.patient]) != nil else {
            throw RecordError(.notFound, .notFound, "no Patient with this id")
        }
        let compartment = context.definitions.compartment("Patient")
        let pids = compartment.sorted(by: { $0.key < $1.key }).flatMap { type, codes in
            codes.flatMap { context.ids.pids(type, $0) }
        }
        var arguments: [DatabaseValue] = [query.patient.databaseValue, query.patient.databaseValue]
        arguments += pids.map(\.databaseValue)
        var sql = """
            SELECT r.rid, r.type, r.id, v.seq, v.version, v.last_updated, v.method, v.body, v.created
            FROM resource r JOIN resource_version v ON v.seq = r.seq
            WHERE r.rid IN (SELECT p.rid FROM resource p WHERE p.type = 'Patient' AND p.id = ?
                UNION SELECT ref.rid FROM search_reference ref WHERE ref.target_type = 'Patient' AND ref.target_id = ?
                AND ref.pid \(RidSet.inList(pids.count)))
            AND r.deleted = 0 AND r.rid > ?
            """
        arguments.append(query.after.databaseValue)
        if let since = query.since {
            sql += " AND v.last_updated >= ?"
            arguments.append(since.millisecondsSince1970.databaseValue)
        }
        if let types = query.types {
            sql += " AND r.type \(RidSet.inList(types.count))"
            arguments += types.map(\.databaseValue)
        }
        sql += " ORDER BY r.rid LIMIT ?"
        arguments.append((query.count + 1).databaseValue)
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        var matches: [StoredVersion] = []
        var rids: [Int64] = []
        var next: SearchCursor?
        for (index, row) in rows.enumerated() {
            if index == query.count {
                next = SearchCursor(values: [], rid: rids.last ?? 0)
                break
            }
            rids.append(row[0])
            matches.append(SQLiteReads.storedVersion(key: ResourceKey(row[1], row[2]), row: row, offset: 3))
        }
        let included = try referenced(from: rids, outside: Set(compartment.keys).union(["Patient"]), types: query.types)
        return SearchPage(matches: matches, included: included,
                          total: next == nil && query.after == 0 ? matches.count : nil, next: next?.text)
    }

    /// Resources the page refers to whose type has no place in a patient compartment.
    private func referenced(from rids: [Int64], outside compartmentTypes: Set<String>, types: [String]?) throws -> [StoredVersion] {
        guard !rids.isEmpty else { return [] }
        var found: [Int64] = []
        var seen = Set<Int64>()
        for chunk in stride(from: 0, to: rids.count, by: 500).map({ Array(rids[$0..<min($0 + 500, rids.count)]) }) {
            let sql = """
                SELECT DISTINCT t.rid, t.type FROM search_reference ref JOIN resource t
                ON t.type = ref.target_type AND t.id = ref.target_id
                WHERE ref.rid \(RidSet.inList(chunk.count)) AND t.deleted = 0 ORDER BY t.rid
                """
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(chunk)) {
                let type: String = row[1]
                guard !compartmentTypes.contains(type), types?.contains(type) ?? true else { continue }
                if seen.insert(row[0]).inserted { found.append(row[0]) }
            }
        }
        return try SearchIncludes(db: db).load(found)
    }
}
