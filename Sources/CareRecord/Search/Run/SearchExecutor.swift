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
        var arguments: [DatabaseValue] = []
        let filter = where_(query, &arguments)
        arguments.append(limit.databaseValue)
        return try String.fetchAll(db, sql: "SELECT r.id FROM resource r WHERE \(filter) ORDER BY r.rid LIMIT ?",
                                   arguments: StatementArguments(arguments))
    }

    func run(_ query: SearchQuery) throws -> SearchPage {
        var matches: [StoredVersion] = []
        var rids: [Int64] = []
        var next: SearchCursor?
        if query.count > 0 {
            var arguments: [DatabaseValue] = []
            let keys = query.sort.enumerated().map { index, key -> String in
                arguments += key.arguments
                return "\(key.expression) AS k\(index)"
            }
            var filter = where_(query, &arguments)
            if let cursor = query.cursor { filter += " AND " + SearchSorting.after(cursor, keys: query.sort, arguments: &arguments) }
            arguments.append((query.count + 1).databaseValue)
            let sql = """
                SELECT r.rid, r.type, r.id, v.seq, v.version, v.last_updated, v.method, v.body, v.created\
                \(keys.isEmpty ? "" : ", " + keys.joined(separator: ", ")) \
                FROM resource r JOIN resource_version v ON v.seq = r.seq WHERE \(filter) \
                ORDER BY \(SearchSorting.orderBy(query.sort)) LIMIT ?
                """
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            for (index, row) in rows.enumerated() {
                if index == query.count {
                    let last = rows[index - 1]
                    next = SearchCursor(values: (0..<query.sort.count).map { last[9 + $0] as DatabaseValue }, rid: last[0])
                    break
                }
                rids.append(row[0])
                matches.append(SQLiteReads.storedVersion(key: ResourceKey(row[1], row[2]), row: row, offset: 3))
            }
        }
        let total = try total(query, firstPageCount: query.count > 0 && query.cursor == nil && next == nil ? matches.count : nil)
        let included = try SearchIncludes(db: db).resources(for: query, matches: zip(rids, matches).map { ($0, $1.key) })
        return SearchPage(matches: matches, included: included, total: total, next: next?.text)
    }

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
