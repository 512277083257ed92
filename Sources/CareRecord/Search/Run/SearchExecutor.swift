import FHIR
import Foundation
import GRDB

/// Runs a `SearchQuery` on one SQLite connection: the matches of one page in order (keyset
/// paging on the sort values and `rid`), the total, and the included resources.
struct SearchExecutor {
    let db: Database
    let context: SearchContext

    /// The largest count `_total=estimate` (the default) makes; past it the total is left out
    /// rather than paid for.
    static let estimateLimit = 1_000
    /// Included resources per page, at most.
    static let includeLimit = 5_000

    /// Ids of up to `limit` live matches, in `rid` order (conditional interactions).
    func ids(_ query: SearchQuery, limit: Int) throws -> [String] {
        let query = try planned(query)
        var arguments: [DatabaseValue] = []
        let filter = where_(query, &arguments)
        arguments.append(limit.databaseValue)
        return try String.fetchAll(db, sql: "SELECT r.id FROM resource r WHERE \(filter) ORDER BY r.rid LIMIT ?",
                                   arguments: StatementArguments(arguments))
    }

    func run(_ query: SearchQuery) throws -> SearchPage {
        let query = try planned(query)
        var rids: [Int64] = []
        var next: SearchCursor?
        if query.count > 0 {
            // The page's rids first, without the bodies: a search matching thousands reads
            // only the index, and then the page's bodies.
            var arguments: [DatabaseValue] = []
            let keys = query.sort.enumerated().map { index, key -> String in
                arguments += key.arguments
                return "\(key.expression) AS k\(index)"
            }
            var filter = where_(query, &arguments)
            if let cursor = query.cursor { filter += " AND " + SearchSorting.after(cursor, keys: query.sort, arguments: &arguments) }
            arguments.append((query.count + 1).databaseValue)
            let sql = """
                SELECT r.rid\(keys.isEmpty ? "" : ", " + keys.joined(separator: ", ")) FROM resource r WHERE \(filter) \
                ORDER BY \(SearchSorting.orderBy(query.sort)) LIMIT ?
                """
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            for (index, row) in rows.enumerated() {
                if index == query.count {
                    let last = rows[index - 1]
                    next = SearchCursor(values: (0..<query.sort.count).map { last[1 + $0] as DatabaseValue }, rid: last[0])
                    break
                }
                rids.append(row[0])
            }
        }
        let includes = SearchIncludes(db: db)
        let matches = try includes.load(rids)
        let total = try total(query, firstPageCount: query.count > 0 && query.cursor == nil && next == nil ? matches.count : nil)
        let included = try includes.resources(for: query, matches: zip(rids, matches).map { ($0, $1.key) })
        return SearchPage(matches: matches, included: included, total: total, next: next?.text)
    }

    /// Chooses which set drives the search. SQLite reads an `IN` set whole before testing
    /// candidates against it, so with several, the smallest (probed up to 1,000 rows each) is
    /// read and the others are tested per candidate; an `_id` condition drives on its own.
    func planned(_ query: SearchQuery) throws -> SearchQuery {
        let sets = query.clauses.enumerated().compactMap { index, clause -> (Int, RidSet)? in
            if case .within(let set) = clause { return (index, set) }
            return nil
        }
        let byID = query.clauses.contains { if case .row(let condition, _) = $0 { condition.hasPrefix("r.id ") } else { false } }
        guard sets.count > 1 || (byID && !sets.isEmpty) else { return query }
        var driver: Int?
        if !byID {
            var smallest = Int.max
            for (index, set) in sets {
                // A reverse chain's set is every resource its sources refer to: never probed,
                // and it drives only when nothing else can.
                if case .referencedBy = set {
                    if driver == nil { driver = index }
                    continue
                }
                var arguments: [DatabaseValue] = []
                let sql = "SELECT count(*) FROM (\(set.sql(&arguments)) LIMIT \(Self.probeLimit))"
                let count = try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
                if count < smallest { (smallest, driver) = (count, index) }
            }
        }
        var clauses = query.clauses
        for (index, set) in sets where index != driver { clauses[index] = .member(set) }
        return query.with(clauses: clauses)
    }

    static let probeLimit = 1_000

    /// The total: free when the first page holds every match; otherwise counted, exactly for
    /// `accurate`, and up to `estimateLimit` for `estimate`.
    private func total(_ query: SearchQuery, firstPageCount: Int?) throws -> Int? {
        if query.total == .none && query.count > 0 { return nil }
        if let firstPageCount { return firstPageCount }
        var arguments: [DatabaseValue] = []
        let filter = where_(query, &arguments)
        // `_summary=count` (a count of 0) asks for nothing but the total.
        if query.total == .accurate || query.count == 0 {
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM resource r WHERE \(filter)", arguments: StatementArguments(arguments))
        }
        arguments.append((Self.estimateLimit + 1).databaseValue)
        let counted = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM resource r WHERE \(filter) LIMIT ?)",
                                       arguments: StatementArguments(arguments)) ?? 0
        return counted > Self.estimateLimit ? nil : counted
    }

    /// The WHERE text over `resource r` for the query's types and clauses.
    private func where_(_ query: SearchQuery, _ arguments: inout [DatabaseValue]) -> String {
        var terms: [String] = []
        if !query.types.isEmpty {
            terms.append("r.type \(RidSet.inList(query.types.count))")
            arguments += query.types.map(\.databaseValue)
        }
        terms.append("r.deleted = 0")
        for clause in query.clauses { terms.append(clause.sql(&arguments)) }
        return terms.joined(separator: " AND ")
    }
}
