import FHIR
import Storage

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
    let connection: any SQLConnection
    let context: SearchContext

    func run(_ query: EverythingQuery) throws -> SearchPage {
        guard try connection.fetchOne("SELECT rid FROM resource WHERE type = 'Patient' AND id = ? AND deleted = 0",
                                      [.text(query.patient)]) != nil else {
            throw RecordError(.notFound, .notFound, "no Patient with this id")
        }
        let compartment = context.definitions.compartment("Patient")
        let pids = compartment.sorted(by: { $0.key < $1.key }).flatMap { type, codes in
            codes.flatMap { context.ids.pids(type, $0) }
        }
        var arguments: [SQLValue] = [query.patient.sqlValue, query.patient.sqlValue]
        arguments.append(query.after.sqlValue)
        // The compartment's parameter numbers are written into the statement, not bound: they
        // are the server's own numbers, the same for every request, and as constants
        // PostgreSQL tests a reference's against them by hash; bound, a prepared statement's
        // generic plan compared each reference with all hundred in turn (2.5 ms of a large
        // compartment's 7).
        let members = """
            SELECT p.rid FROM resource p WHERE p.type = 'Patient' AND p.id = ?
            UNION SELECT ref.rid FROM search_reference ref WHERE ref.target_type = 'Patient' AND ref.target_id = ?
            AND ref.pid IN (\(pids.isEmpty ? "NULL" : pids.map(String.init).joined(separator: ", ")))
            """
        // The compartment's rids are read and sorted first (MATERIALIZED), and with no filter
        // on the resources themselves only the page's rids are kept before any resource row is
        // read: every member is live (a deleted resource's index rows go with it, and the
        // patient was just read). As one `IN` over the resource table, PostgreSQL walked the
        // table in rid order to meet them, and then joined all 2,000 members of a large
        // compartment to keep 101: 13 ms, against about 4 for the rids alone.
        let filtered = query.since != nil || query.types != nil
        if !filtered { arguments.append((query.count + 1).sqlValue) }
        var sql = """
            WITH m(rid) AS MATERIALIZED (SELECT rid FROM (\(members)) AS u WHERE rid > ?\(filtered ? "" : " ORDER BY rid LIMIT ?"))
            SELECT r.rid, r.type, r.id, \(RecordReads.joinedVersionColumns)
            FROM m JOIN resource r ON r.rid = m.rid JOIN resource_version v ON v.seq = r.seq WHERE r.deleted = 0
            """
        if let since = query.since {
            sql += " AND v.last_updated >= ?"
            arguments.append(since.millisecondsSince1970.sqlValue)
        }
        if let types = query.types {
            sql += " AND r.type \(RidSet.inList(types.count))"
            arguments += types.map(\.sqlValue)
        }
        sql += " ORDER BY m.rid LIMIT ?"
        arguments.append((query.count + 1).sqlValue)
        let rows = try connection.fetchAll(sql, arguments)
        var matches: [StoredVersion] = []
        var rids: [Int64] = []
        var next: SearchCursor?
        for (index, row) in rows.enumerated() {
            if index == query.count {
                next = SearchCursor(values: [], rid: rids.last ?? 0)
                break
            }
            let (rid, key) = SearchIncludes.ridAndKey(row)
            rids.append(rid)
            matches.append(RecordReads.storedVersion(key: key, row: row, offset: 3))
        }
        let included = try referenced(from: rids, outside: Set(compartment.keys).union(["Patient"]), types: query.types)
        return SearchPage(matches: matches, included: included,
                          total: next == nil && query.after == 0 ? matches.count : nil, next: next?.text)
    }

    /// Resources the page refers to whose type has no place in a patient compartment, each
    /// read with its current version.
    private func referenced(from rids: [Int64], outside compartmentTypes: Set<String>, types: [String]?) throws -> [StoredVersion] {
        guard !rids.isEmpty else { return [] }
        var found: [StoredVersion] = []
        var seen = Set<Int64>()
        for chunk in stride(from: 0, to: rids.count, by: 500).map({ Array(rids[$0..<min($0 + 500, rids.count)]) }) {
            let sql = SearchIncludes.withVersions(["""
                SELECT DISTINCT t.rid FROM search_reference ref JOIN resource t
                ON t.type = ref.target_type AND t.id = ref.target_id
                WHERE ref.rid \(RidSet.inList(chunk.count)) AND t.deleted = 0
                """])
            for row in try connection.fetchAll(sql, chunk.map(\.sqlValue)) {
                let (rid, version) = SearchIncludes.included(row)
                guard !compartmentTypes.contains(version.key.type), types?.contains(version.key.type) ?? true else { continue }
                if seen.insert(rid).inserted { found.append(version) }
            }
        }
        return found
    }
}
