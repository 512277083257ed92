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
///
/// The reading is a sequence of statements, each chosen from the rows of the one before
/// (`next`, `take`), so that it runs on a connection in a read transaction (`run(on:)`,
/// SQLite) or from async code in a snapshot on a pooled connection (`run(fetch:)`,
/// PostgreSQL, with no worker thread between the request and the connection), as a search's
/// statements do (`SearchExecutor`).
struct EverythingReader {
    let context: SearchContext
    let query: EverythingQuery
    private let restriction: PersonRestriction
    /// The types with a place in a patient compartment, as a list of SQL constants: what the
    /// page refers to of these is a member or the patient, never an include.
    private let compartmentTypes: String
    private var stage = Stage.members
    private var rows: [SQLRow] = []
    private var matches: [StoredVersion] = []
    private var cursor: SearchCursor?
    private var chunks: [[Int64]] = []
    private var referring = PersonRestriction.none
    private var included: [StoredVersion] = []
    private var seen = Set<Int64>()

    /// The members are read first: a page that holds the patient shows it exists, and only
    /// a page without it (a later page, or one `_type` or `_since` leaves it out of) is
    /// followed by a probe for it, a round trip fewer on a first page.
    private enum Stage {
        case members, probe, linked, referenced(Int), done
    }

    init(_ query: EverythingQuery, context: SearchContext) {
        self.query = query
        self.context = context
        restriction = PersonRestriction.patients([query.patient], on: context.engine)
        compartmentTypes = Set(context.patientCompartment.keys).union(["Patient"]).sorted()
            .map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
    }

    /// The page, its statements run on `connection`, in the caller's read transaction.
    static func run(_ query: EverythingQuery, context: SearchContext, on connection: any SQLConnection) throws -> SearchPage {
        var reader = EverythingReader(query, context: context)
        while let statement = reader.next() { try reader.take(try connection.fetchAll(statement.sql, statement.arguments)) }
        return reader.page
    }

    /// The page, each statement answered by `fetch`, in one snapshot.
    static func run(_ query: EverythingQuery, context: SearchContext,
                    fetch: (SearchStatements.Statement) async throws -> [SQLRow]) async throws -> SearchPage {
        var reader = EverythingReader(query, context: context)
        while let statement = reader.next() { try reader.take(try await fetch(statement)) }
        return reader.page
    }

    /// The next statement to run, nil when the page is read.
    func next() -> SearchStatements.Statement? {
        switch stage {
        case .probe:
            var arguments: [SQLValue] = [query.patient.sqlValue]
            let sql = "SELECT rid FROM resource p WHERE type = 'Patient' AND id = ? AND deleted = 0"
                + restriction.test("p", arguments: &arguments)
            return SearchStatements.Statement(sql: sql, arguments: arguments)
        case .members: return members()
        case .linked: return linked()
        case .referenced(let chunk): return referenced(chunks[chunk])
        case .done: return nil
        }
    }

    /// Takes the rows of the statement `next` gave.
    mutating func take(_ taken: [SQLRow]) throws {
        switch stage {
        case .members:
            rows = taken
            let holdsPatient = taken.contains { row in
                let (_, key) = SearchIncludes.ridAndKey(row)
                return key.type == "Patient" && key.id == query.patient
            }
            if holdsPatient { afterProbe() } else { stage = .probe }
        case .probe:
            guard !taken.isEmpty else { throw RecordError(.notFound, .notFound, "no Patient with this id") }
            afterProbe()
        case .linked:
            rows = Self.merged(rows, taken, count: query.count + 1)
            readPage()
        case .referenced(let chunk):
            for row in taken {
                let (rid, version) = SearchIncludes.included(row)
                guard query.types?.contains(version.key.type) ?? true else { continue }
                if seen.insert(rid).inserted { included.append(version) }
            }
            stage = chunk + 1 < chunks.count ? .referenced(chunk + 1) : .done
        case .done:
            break
        }
    }

    /// With the patient known to exist: the linked records' statement, or the page.
    private mutating func afterProbe() {
        if context.patientCompartment["Patient"] != nil, query.types?.contains("Patient") ?? true {
            stage = .linked
        } else {
            readPage()
        }
    }

    var page: SearchPage {
        SearchPage(matches: matches, included: included,
                   total: cursor == nil && query.after == 0 ? matches.count : nil, next: cursor?.text)
    }

    /// The page's matches from the members' rows, and the statements of what they refer to.
    private mutating func readPage() {
        var rids: [Int64] = []
        for (index, row) in rows.enumerated() {
            if index == query.count {
                cursor = SearchCursor(values: [], rid: rids.last ?? 0)
                break
            }
            let (rid, key) = SearchIncludes.ridAndKey(row)
            rids.append(rid)
            matches.append(RecordReads.storedVersion(key: key, row: row, offset: 3))
        }
        // What the page's linked Patient records refer to is in their persons' rows.
        let linkedPatients = matches.compactMap { $0.key.type == "Patient" && $0.key.id != query.patient ? $0.key.id : nil }
        referring = PersonRestriction.patients([query.patient] + linkedPatients, on: context.engine)
        chunks = stride(from: 0, to: rids.count, by: 500).map { Array(rids[$0..<min($0 + 500, rids.count)]) }
        stage = chunks.isEmpty ? .done : .referenced(0)
    }

    /// The compartment's parameter numbers of `types`, as SQL constants.
    private func compartmentPIDs(_ types: [String: [String]]) -> String {
        let numbers = context.compartmentPIDs(types)
        return numbers.isEmpty ? "NULL" : numbers.map(String.init).joined(separator: ", ")
    }

    /// The page's rows of the patient and the members in its person's rows (and shared
    /// ones), through the compartment's parameters (as SQL constants).
    private func members() -> SearchStatements.Statement {
        let numbers = compartmentPIDs(context.patientCompartment.filter { $0.key != "Patient" })
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
            AND ref.pid IN (\(numbers))
            """ + restriction.test("ref", arguments: &arguments)
        arguments.append(query.after.sqlValue)
        // The compartment's rids are read and sorted first (MATERIALIZED), and with no filter
        // on the resources themselves only the page's rids are kept before any resource row is
        // read: every member is live (a deleted resource's index rows go with it; a deleted
        // patient's row is dropped by the join, and its page then ends in a 404, as the probe
        // that follows a page without the patient finds no live patient). As one `IN` over the resource table, PostgreSQL walked the
        // table in rid order to meet them, and then joined all 2,000 members of a large
        // compartment to keep 101: 13 ms, against about 4 for the rids alone.
        let filtered = query.since != nil || query.types != nil
        if !filtered { arguments.append((query.count + 1).sqlValue) }
        var sql = """
            WITH m(rid) AS MATERIALIZED (SELECT rid FROM (\(members)) AS u WHERE rid > ?\(filtered ? "" : " ORDER BY rid LIMIT ?"))
            SELECT r.rid, r.type, r.id, \(RecordReads.joinedVersionColumns)
            FROM m JOIN resource r ON r.rid = m.rid JOIN resource_version v ON v.seq = r.seq WHERE r.deleted = 0
            """ + restriction.test("r", "v", arguments: &arguments)
        sql += filters(&arguments)
        sql += " ORDER BY m.rid LIMIT ?"
        arguments.append((query.count + 1).sqlValue)
        return SearchStatements.Statement(sql: sql, arguments: arguments)
    }

    /// The page's Patient records linked to the patient (through the compartment parameters
    /// of Patient), each in its own person's rows.
    private func linked() -> SearchStatements.Statement {
        let numbers = compartmentPIDs(["Patient": context.patientCompartment["Patient"] ?? []])
        var arguments: [SQLValue] = [query.patient.sqlValue, query.after.sqlValue]
        // Each row joined within its own person's rows (the distribution key), on PostgreSQL.
        let (resourceKey, versionKey) = context.engine == .postgres ? (" AND r.person = ref.person", " AND v.person = r.person") : ("", "")
        var sql = """
            SELECT r.rid, r.type, r.id, \(RecordReads.joinedVersionColumns) FROM search_reference ref \
            JOIN resource r ON r.rid = ref.rid\(resourceKey) JOIN resource_version v ON v.seq = r.seq\(versionKey) \
            WHERE ref.target_type = 'Patient' AND ref.target_id = ? AND ref.pid IN (\(numbers)) AND ref.rid > ? AND r.deleted = 0
            """
        sql += filters(&arguments)
        sql += " ORDER BY r.rid LIMIT ?"
        arguments.append((query.count + 1).sqlValue)
        return SearchStatements.Statement(sql: sql, arguments: arguments)
    }

    /// `_since` and `_type` over the resource `r` and its version `v`.
    private func filters(_ arguments: inout [SQLValue]) -> String {
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

    /// Resources a chunk of the page refers to whose type has no place in a patient
    /// compartment, each with its current version (`take` keeps those `_type` asks for). The
    /// references are in the rows of the page's persons (`referring`); what they refer to, of
    /// a type in no patient's compartment, is shared.
    private func referenced(_ chunk: [Int64]) -> SearchStatements.Statement {
        let shared = PersonRestriction.shared(on: context.engine)
        // References to a compartment type are left out before their targets are looked up:
        // most of a page's references are to the patient and its encounters, and each lookup
        // of a target (by type and id) descends the resource index (145 references for a
        // page of 49, most of the statement's time at 100,000 people). As constants, the
        // server's own type names, like `members`' parameter numbers.
        // Each target is looked up once, however many of the page refer to it (a page's 56
        // references to shared resources named 10).
        var arguments = chunk.map(\.sqlValue)
        let targets = """
            SELECT DISTINCT ref.target_type, ref.target_id FROM search_reference ref
            WHERE ref.rid \(RidSet.inList(chunk.count)) AND ref.target_type NOT IN (\(compartmentTypes))
            """ + referring.test("ref", arguments: &arguments)
        let part = """
            SELECT DISTINCT t.rid FROM (\(targets)) AS g JOIN resource t
            ON t.type = g.target_type AND t.id = g.target_id WHERE t.deleted = 0
            """ + shared.test("t", arguments: &arguments)
        let sql = SearchIncludes.withVersions([part], restriction: shared, arguments: &arguments)
        return SearchStatements.Statement(sql: sql, arguments: arguments)
    }
}
