import FHIR
import Storage

/// The statements of a search, and how their rows are read, apart from any connection: a
/// search runs them on a read transaction's connection (`SearchExecutor`) or, on PostgreSQL
/// when it needs no common snapshot, one at a time on pooled connections
/// (`SearchExecutor.runWithoutTransaction`).
struct SearchStatements {
    struct Statement {
        let sql: String
        let arguments: [SQLValue]
        /// A page's statement that also counts the matches, as its rows' last column
        /// (`pageCounting`).
        var countsMatches = false
    }

    /// The sets whose size chooses the driving set (`SearchExecutor.planned`): each probed
    /// up to `probeLimit` rows. Empty when nothing is to be chosen.
    static func probes(_ query: SearchQuery) -> [(clause: Int, statement: Statement?)] {
        let sets = query.clauses.enumerated().compactMap { index, clause -> (Int, RidSet)? in
            if case .within(let set) = clause { return (index, set) }
            return nil
        }
        let byID = drivenByID(query)
        guard sets.count > 1 || (byID && !sets.isEmpty) else { return [] }
        return sets.map { index, set in
            // An `_id` condition drives on its own, and a reverse chain's set (every resource
            // its sources refer to) is never probed: it drives only when nothing else can.
            if byID { return (index, nil) }
            if case .referencedBy = set { return (index, nil) }
            var arguments: [SQLValue] = []
            let sql = "SELECT count(*) FROM (\(set.sql(&arguments)) LIMIT \(probeLimit)) AS probe"
            return (index, Statement(sql: sql, arguments: arguments))
        }
    }

    static let probeLimit = 1_000

    /// The probes as one statement of one row, a count per probe that has a statement in
    /// turn: one round trip to the server however many sets a search has (a search by subject
    /// and code made three, two of them probes, where SQLite makes function calls).
    static func probing(_ probes: [(clause: Int, statement: Statement?)]) -> Statement? {
        let statements = probes.compactMap(\.statement)
        guard !statements.isEmpty else { return nil }
        return Statement(sql: "SELECT " + statements.map { "(\($0.sql))" }.joined(separator: ", "),
                         arguments: Array(statements.map(\.arguments).joined()))
    }

    /// Each probe's count from `probing`'s row (nil for a probe without a statement).
    static func counts(_ row: SQLRow?, _ probes: [(clause: Int, statement: Statement?)]) -> [Int64?] {
        var column = 0
        return probes.map { probe in
            guard probe.statement != nil else { return nil }
            defer { column += 1 }
            return row?[column].int64 ?? 0
        }
    }

    /// Whether an `_id` condition drives the search (no set does).
    private static func drivenByID(_ query: SearchQuery) -> Bool {
        query.clauses.contains { if case .ids = $0 { true } else { false } }
    }

    /// `query` with every set but the driver tested per candidate: the smallest probed set
    /// drives (`counts` by clause, nil for one not probed), a reverse chain only when no set
    /// was probed, and with an `_id` condition none.
    static func planned(_ query: SearchQuery, probes: [(clause: Int, statement: Statement?)], counts: [Int64?]) -> SearchQuery {
        guard !probes.isEmpty else { return query }
        var driver: Int?
        if !drivenByID(query) {
            var smallest = Int64.max
            for (probe, count) in zip(probes, counts) {
                guard let count else {
                    if driver == nil { driver = probe.clause }
                    continue
                }
                if count < smallest { (smallest, driver) = (count, probe.clause) }
            }
        }
        var clauses = query.clauses
        for probe in probes where probe.clause != driver {
            if case .within(let set) = clauses[probe.clause] { clauses[probe.clause] = .member(set) }
        }
        return query.with(clauses: clauses)
    }

    /// The page in one statement: the matches' rids and sort keys in order, one more than
    /// the page holds (to know whether another follows), each with its current version.
    ///
    /// When a driving set is the source and a total is asked for (`countsWithPage`), the
    /// statement also counts the matches, as the last column of every row, but only when the
    /// page is full (a CASE the server evaluates lazily): a page that holds every match is
    /// its own count. The set is read once for both, where a second statement read it again,
    /// and on PostgreSQL there is one round trip instead of two: a surname's page and total at
    /// 100,000 people read its 1,473 index rows twice.
    static func page(_ query: SearchQuery) -> Statement {
        let source = MatchSource(query)
        if countsWithPage(query, source) { return pageCounting(query, source) }
        var arguments = source.withArguments
        let keys = query.sort.enumerated().map { index, key -> String in
            arguments += key.arguments
            return "\(key.expression) AS k\(index)"
        }
        arguments += source.filterArguments
        var filter = source.filter
        if let cursor = query.cursor { filter += " AND " + SearchSorting.after(cursor, keys: query.sort, arguments: &arguments) }
        arguments.append((query.count + 1).sqlValue)
        let persons = query.persons.test("x", "v", arguments: &arguments)
        let matches = """
            \(source.with)SELECT \(source.select)\(keys.isEmpty ? "" : ", " + keys.joined(separator: ", ")) \
            FROM \(source.from) WHERE \(filter) ORDER BY \(SearchSorting.orderBy(query.sort)) LIMIT ?
            """
        // The outer rows are named `r` with the keys' names, so the page's order is written
        // as the matches' is.
        let sql = """
            SELECT r.*, x.type, x.id, \(RecordReads.joinedVersionColumns) \
            FROM (\(matches)) AS r JOIN resource x ON x.rid = r.rid JOIN resource_version v ON v.seq = x.seq\(persons) \
            ORDER BY \(SearchSorting.orderBy(query.sort))
            """
        return Statement(sql: sql, arguments: arguments)
    }

    /// Whether `page` counts the matches too: when a set drives (its rids are materialised
    /// as `d`, so the count reads them again for nothing) and a total is asked for. Without a
    /// driver the count would be a second scan even when the page turns out to hold every
    /// match, so it stays a statement of its own, run only when needed.
    private static func countsWithPage(_ query: SearchQuery, _ source: MatchSource) -> Bool {
        source.drives && query.total != .none && query.count > 0
    }

    /// `page` with the count: the page's rids (`p`, one more than the page) and, when `p` is
    /// full, the count of the driving set's matches (at most `estimateLimit` + 1 for an
    /// estimate), from the same materialised set. A driven source has no sort keys.
    private static func pageCounting(_ query: SearchQuery, _ source: MatchSource) -> Statement {
        var arguments = source.withArguments + source.filterArguments
        var filter = source.filter
        if let cursor = query.cursor { filter += " AND " + SearchSorting.after(cursor, keys: query.sort, arguments: &arguments) }
        arguments.append((query.count + 1).sqlValue)
        arguments.append(query.count.sqlValue)
        arguments += source.filterArguments
        var limit = ""
        if query.total != .accurate {
            limit = " LIMIT ?"
            arguments.append((SearchExecutor.estimateLimit + 1).sqlValue)
        }
        let persons = query.persons.test("x", "v", arguments: &arguments)
        let sql = """
            \(source.with), p AS MATERIALIZED (SELECT \(source.select) FROM \(source.from) WHERE \(filter) \
            ORDER BY r.rid LIMIT ?) \
            SELECT r.*, x.type, x.id, \(RecordReads.joinedVersionColumns), \
            CASE WHEN (SELECT count(*) FROM p) > ? THEN (SELECT count(*) FROM (SELECT \(source.select) \
            FROM \(source.from) WHERE \(source.filter)\(limit)) AS m) END \
            FROM p AS r JOIN resource x ON x.rid = r.rid JOIN resource_version v ON v.seq = x.seq\(persons) \
            ORDER BY r.rid
            """
        return Statement(sql: sql, arguments: arguments, countsMatches: true)
    }

    /// The page's matches from the rows of `page`'s statement, the cursor of the next page
    /// when there is one, and the count of every match when the statement made it
    /// (`countsMatches`, and the page was full).
    static func readPage(_ rows: [SQLRow], of page: Statement, _ query: SearchQuery)
        -> (matches: [(rid: Int64, version: StoredVersion)], next: SearchCursor?, counted: Int64?) {
        let keys = query.sort.count
        let counted = page.countsMatches ? rows.first?.values.last?.int64 : nil
        var matches: [(rid: Int64, version: StoredVersion)] = []
        for (index, row) in rows.enumerated() {
            if index == query.count {
                let last = rows[index - 1]
                return (matches, SearchCursor(values: (0..<keys).map { last[1 + $0] }, rid: last[0].int64 ?? 0), counted)
            }
            let key = ResourceKey(row[1 + keys].string ?? "", row[2 + keys].string ?? "")
            matches.append((row[0].int64 ?? 0, RecordReads.storedVersion(key: key, row: row, offset: 3 + keys)))
        }
        return (matches, nil, counted)
    }

    /// How the total is known: without a statement (`known`: the first page holds every
    /// match, or the page's statement counted them), or by a statement whose count
    /// `total(from:)` reads; nil when none is asked for.
    enum Total {
        case known(Int?)
        case statement(Statement, exact: Bool)
    }

    static func total(_ query: SearchQuery, firstPageCount: Int?, counted: Int64? = nil) -> Total? {
        if query.total == .none && query.count > 0 { return nil }
        if let firstPageCount { return .known(firstPageCount) }
        if let counted { return .known(total(from: counted, exact: query.total == .accurate)) }
        let source = MatchSource(query)
        var arguments = source.withArguments + source.filterArguments
        let matches = "\(source.with)SELECT \(source.select) FROM \(source.from) WHERE \(source.filter)"
        // `_summary=count` (a count of 0) asks for nothing but the total.
        if query.total == .accurate || query.count == 0 {
            return .statement(Statement(sql: "SELECT count(*) FROM (\(matches)) AS m", arguments: arguments), exact: true)
        }
        arguments.append((SearchExecutor.estimateLimit + 1).sqlValue)
        return .statement(Statement(sql: "SELECT count(*) FROM (\(matches) LIMIT ?) AS m", arguments: arguments), exact: false)
    }

    /// The total from its count: an estimate past `estimateLimit` is left out.
    static func total(from count: Int64?, exact: Bool) -> Int? {
        let count = count ?? 0
        if exact { return Int(count) }
        return count > SearchExecutor.estimateLimit ? nil : Int(count)
    }

    /// The WHERE text over `resource r` for the query's types and clauses.
    static func where_(_ query: SearchQuery, _ arguments: inout [SQLValue]) -> String {
        var terms: [String] = []
        if !query.types.isEmpty {
            terms.append("r.type \(RidSet.inList(query.types.count))")
            arguments += query.types.map(\.sqlValue)
        }
        terms.append("r.deleted = 0")
        if !query.persons.keys.isEmpty { terms.append(query.persons.condition("r", arguments: &arguments)) }
        for clause in query.clauses { terms.append(clause.sql(&arguments)) }
        return terms.joined(separator: " AND ")
    }
}

/// Where a search's matches come from: `[with]SELECT select FROM from WHERE filter`, the
/// matches named `r` with their `rid` as `r.rid`; arguments in text order: the `with` part's
/// first, then (after any sort keys in the select list) the filter's.
///
/// Normally the `resource` rows, each tested for type, deletion and every clause. When one
/// set drives the search, the order is by `rid` and no clause reads the resource row
/// itself, the driving set's rids are the source instead and the `resource` table is never
/// read: every set yields only live resources of the searched types (a resource's index
/// rows are removed when it is deleted, and a parameter number belongs to one type), so
/// the test would only cost a random row lookup per match, a thousand of them for a common
/// surname's page and total. The set is MATERIALIZED: flattened into the outer query,
/// SQLite would rather walk a whole type in `rid` order than sort a few rids (a `_has`
/// over 100,000 patients). A set may name a resource twice (two matching names), hence the
/// DISTINCT.
struct MatchSource {
    var with = ""
    var withArguments: [SQLValue] = []
    var select = "r.rid"
    var from = "resource r"
    var filter = "TRUE"
    var filterArguments: [SQLValue] = []
    /// Whether a set drives (`with` materialises it as `d`).
    private(set) var drives = false

    init(_ query: SearchQuery) {
        var driver: RidSet?
        var others: [SearchClause] = []
        var readsRow = !query.sort.isEmpty
        for clause in query.clauses {
            switch clause {
            case .within(let set) where driver == nil: driver = set
            case .within: readsRow = true
            case .ids, .row: readsRow = true
            case .member, .without, .having: others.append(clause)
            }
        }
        guard let driver, !readsRow else {
            filter = SearchStatements.where_(query, &filterArguments)
            return
        }
        drives = true
        with = "WITH d(rid) AS MATERIALIZED (\(driver.sql(&withArguments))) "
        select = "DISTINCT r.rid"
        from = "d r"
        filter = others.isEmpty ? "TRUE" : others.map { $0.sql(&filterArguments) }.joined(separator: " AND ")
    }
}
