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
///
/// On PostgreSQL the page keeps to the patient's rows and shared ones (`PersonRestriction`),
/// where every member but one kind lives: a Patient record linked to this one (`Patient.link`)
/// is in its own person's rows, so linked records are found by a statement of their own,
/// across persons, and merged in `rid` order.
struct EverythingReader {
    let connection: any SQLConnection
    let context: SearchContext

    func run(_ query: EverythingQuery) throws -> SearchPage {
        let restriction = PersonRestriction.patients([query.patient], on: context.engine)
        var probeArguments: [SQLValue] = [query.patient.sqlValue]
        let probe = "SELECT rid FROM resource p WHERE type = 'Patient' AND id = ? AND deleted = 0"
            + restriction.test("p", arguments: &probeArguments)
        guard try connection.fetchOne(probe, probeArguments) != nil else {
            throw RecordError(.notFound, .notFound, "no Patient with this id")
        }
        let compartment = context.patientCompartment
        func pids(_ types: [String: [String]]) -> String {
            let numbers = types.sorted(by: { $0.key < $1.key }).flatMap { type, codes in codes.flatMap { context.ids.pids(type, $0) } }
            return numbers.isEmpty ? "NULL" : numbers.map(String.init).joined(separator: ", ")
        }
        var rows = try members(query, pids: pids(compartment.filter { $0.key != "Patient" }), restriction: restriction)
        if let links = compartment["Patient"], query.types?.contains("Patient") ?? true {
            rows = try Self.merged(rows, try linked(query, pids: pids(["Patient": links])), count: query.count + 1)
        }
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
        // What the page's linked Patient records refer to is in their persons' rows.
        let linkedPatients = matches.compactMap { $0.key.type == "Patient" && $0.key.id != query.patient ? $0.key.id : nil }
        let referring = PersonRestriction.patients([query.patient] + linkedPatients, on: context.engine)
        let included = try referenced(from: rids, restriction: referring,
                                      outside: Set(compartment.keys).union(["Patient"]), types: query.types)
        return SearchPage(matches: matches, included: included,
                          total: next == nil && query.after == 0 ? matches.count : nil, next: next?.text)
    }

    /// The page's rows of the patient and the members in its person's rows (and shared
    /// ones), through the compartment parameters `pids` (SQL constants).
    private func members(_ query: EverythingQuery, pids: String, restriction: PersonRestriction) throws -> [SQLRow] {
        var arguments: [SQLValue] = [query.patient.sqlValue]
        // The compartment's parameter numbers are written into the statement, not bound: they
        // are the server's own numbers, the same for every request, and as constants
        // PostgreSQL tests a reference's against them by hash; bound, a prepared statement's
        // generic plan compared each reference with all hundred in turn (2.5 ms of a large
        // compartment's 7).
        var members = "SELECT p.rid FROM resource p WHERE p.type = 'Patient' AND p.id = ?" + restriction.test("p", arguments: &arguments)
        arguments.append(query.patient.sqlValue)
        members += """
             UNION SELECT ref.rid FROM search_reference ref WHERE ref.target_type = 'Patient' AND ref.target_id = ? \
            AND ref.pid IN (\(pids))
            """ + restriction.test("ref", arguments: &arguments)
        arguments.append(query.after.sqlValue)
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
            """ + restriction.test("r", "v", arguments: &arguments)
        sql += filters(query, &arguments)
        sql += " ORDER BY m.rid LIMIT ?"
        arguments.append((query.count + 1).sqlValue)
        return try connection.fetchAll(sql, arguments)
    }

    /// The page's Patient records linked to the patient (through the parameters `pids`),
    /// each in its own person's rows.
    private func linked(_ query: EverythingQuery, pids: String) throws -> [SQLRow] {
        var arguments: [SQLValue] = [query.patient.sqlValue, query.after.sqlValue]
        // Each row joined within its own person's rows (the distribution key), on PostgreSQL.
        let (resourceKey, versionKey) = context.engine == .postgres ? (" AND r.person = ref.person", " AND v.person = r.person") : ("", "")
        var sql = """
            SELECT r.rid, r.type, r.id, \(RecordReads.joinedVersionColumns) FROM search_reference ref \
            JOIN resource r ON r.rid = ref.rid\(resourceKey) JOIN resource_version v ON v.seq = r.seq\(versionKey) \
            WHERE ref.target_type = 'Patient' AND ref.target_id = ? AND ref.pid IN (\(pids)) AND ref.rid > ? AND r.deleted = 0
            """
        sql += filters(query, &arguments)
        sql += " ORDER BY r.rid LIMIT ?"
        arguments.append((query.count + 1).sqlValue)
        return try connection.fetchAll(sql, arguments)
    }

    /// `_since` and `_type` over the resource `r` and its version `v`.
    private func filters(_ query: EverythingQuery, _ arguments: inout [SQLValue]) -> String {
        var sql = ""
        if let since = query.since {
            sql += " AND v.last_updated >= ?"
            arguments.append(since.millisecondsSince1970.sqlValue)
        }
        if let types = query.types {
            sql += " AND r.type \(RidSet.inList(types.count))"
            arguments += types.map(\.sqlValue)
        }
        return sql
    }

    /// Two lists of rows in `rid` order (column 0) as one, without repeats, cut at `count`.
    private static func merged(_ first: [SQLRow], _ second: [SQLRow], count: Int) -> [SQLRow] {
        guard !second.isEmpty else { return first }
        var seen = Set<Int64>()
        return (first + second).sorted { ($0[0].int64 ?? 0) < ($1[0].int64 ?? 0) }
            .filter { seen.insert($0[0].int64 ?? 0).inserted }.prefix(count).map { $0 }
    }

    /// Resources the page refers to whose type has no place in a patient compartment, each
    /// read with its current version. The references are in the rows of `restriction`'s
    /// persons; what they refer to, of a type in no patient's compartment, is shared.
    private func referenced(from rids: [Int64], restriction: PersonRestriction, outside compartmentTypes: Set<String>,
                            types: [String]?) throws -> [StoredVersion] {
        guard !rids.isEmpty else { return [] }
        let shared = PersonRestriction.shared(on: context.engine)
        // References to a compartment type are left out before their targets are looked up:
        // most of a page's references are to the patient and its encounters, and each lookup
        // of a target (by type and id) descends the resource index (145 references for a
        // page of 49, most of the statement's time at 100,000 people). As constants, the
        // server's own type names, like `members`' parameter numbers.
        let leftOut = compartmentTypes.sorted().map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
        var found: [StoredVersion] = []
        var seen = Set<Int64>()
        for chunk in stride(from: 0, to: rids.count, by: 500).map({ Array(rids[$0..<min($0 + 500, rids.count)]) }) {
            var arguments = chunk.map(\.sqlValue)
            let part = """
                SELECT DISTINCT t.rid FROM search_reference ref JOIN resource t
                ON t.type = ref.target_type AND t.id = ref.target_id
                WHERE ref.rid \(RidSet.inList(chunk.count)) AND ref.target_type NOT IN (\(leftOut)) AND t.deleted = 0
                """ + restriction.test("ref", arguments: &arguments) + shared.test("t", arguments: &arguments)
            let sql = SearchIncludes.withVersions([part], restriction: shared, arguments: &arguments)
            for row in try connection.fetchAll(sql, arguments) {
                let (rid, version) = SearchIncludes.included(row)
                guard !compartmentTypes.contains(version.key.type), types?.contains(version.key.type) ?? true else { continue }
                if seen.insert(rid).inserted { found.append(version) }
            }
        }
        return found
    }
}
