import FHIR
import Foundation
import Storage

/// Runs a `SearchQuery` on one connection of either engine: the matches of one page in order (keyset
/// paging on the sort values and `rid`), the total, and the included resources.
struct SearchExecutor {
    let connection: any SQLConnection
    let context: SearchContext

    /// The largest count `_total=estimate` (the default) makes; past it the total is left out
    /// rather than paid for.
    static let estimateLimit = 1_000
    /// Included resources per page, at most.
    static let includeLimit = 5_000

    /// Ids of up to `limit` live matches, in `rid` order (conditional interactions).
    func ids(_ query: SearchQuery, limit: Int) throws -> [String] {
        let query = try planned(query)
        var arguments: [SQLValue] = []
        let filter = where_(query, &arguments)
        arguments.append(limit.sqlValue)
        return try connection.fetchAll("SELECT r.id FROM resource r WHERE \(filter) ORDER BY r.rid LIMIT ?", arguments)
            .compactMap { $0[0].string }
    }

    func run(_ query: SearchQuery) throws -> SearchPage {
        let query = try planned(query)
        var rids: [Int64] = []
        var next: SearchCursor?
        if query.count > 0 {
            // The page's rids first, without the bodies: a search matching thousands reads
            // only the index, and then the page's bodies.
            let source = self.source(query)
            var arguments = source.withArguments
            let keys = query.sort.enumerated().map { index, key -> String in
                arguments += key.arguments
                return "\(key.expression) AS k\(index)"
            }
            arguments += source.filterArguments
            var filter = source.filter
            if let cursor = query.cursor { filter += " AND " + SearchSorting.after(cursor, keys: query.sort, arguments: &arguments) }
            arguments.append((query.count + 1).sqlValue)
            let sql = """
                \(source.with)SELECT \(source.select)\(keys.isEmpty ? "" : ", " + keys.joined(separator: ", ")) \
                FROM \(source.from) WHERE \(filter) ORDER BY \(SearchSorting.orderBy(query.sort)) LIMIT ?
                """
            let rows = try connection.fetchAll(sql, arguments)
            for (index, row) in rows.enumerated() {
                if index == query.count {
                    let last = rows[index - 1]
                    next = SearchCursor(values: (0..<query.sort.count).map { last[1 + $0] }, rid: last[0].int64 ?? 0)
                    break
                }
                rids.append(row[0].int64 ?? 0)
            }
        }
        let includes = SearchIncludes(connection: connection)
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
        let byID = query.clauses.contains { if case .ids = $0 { true } else { false } }
        guard sets.count > 1 || (byID && !sets.isEmpty) else { return query }
        var driver: Int?
        if !byID {
            var smallest = Int64.max
            for (index, set) in sets {
                // A reverse chain's set is every resource its sources refer to: never probed,
                // and it drives only when nothing else can.
                if case .referencedBy = set {
                    if driver == nil { driver = index }
                    continue
                }
                var arguments: [SQLValue] = []
                let sql = "SELECT count(*) FROM (\(set.sql(&arguments)) LIMIT \(Self.probeLimit)) AS probe"
                let count = try connection.fetchOne(sql, arguments)?[0].int64 ?? 0
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
        let source = self.source(query)
        var arguments = source.withArguments + source.filterArguments
        let matches = "\(source.with)SELECT \(source.select) FROM \(source.from) WHERE \(source.filter)"
        // `_summary=count` (a count of 0) asks for nothing but the total.
        if query.total == .accurate || query.count == 0 {
            return try connection.fetchOne("SELECT count(*) FROM (\(matches)) AS m", arguments)?[0].int64.map(Int.init)
        }
        arguments.append((Self.estimateLimit + 1).sqlValue)
        let counted = try connection.fetchOne("SELECT count(*) FROM (\(matches) LIMIT ?) AS m", arguments)?[0].int64 ?? 0
        return counted > Self.estimateLimit ? nil : Int(counted)
    }

    /// Where a search's matches come from: `[with]SELECT select FROM from WHERE filter`, the
    /// matches named `r` with their `rid` as `r.rid`.
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
    private func source(_ query: SearchQuery) -> MatchSource {
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
        var source = MatchSource()
        guard let driver, !readsRow else {
            source.filter = where_(query, &source.filterArguments)
            return source
        }
        source.with = "WITH d(rid) AS MATERIALIZED (\(driver.sql(&source.withArguments))) "
        source.select = "DISTINCT r.rid"
        source.from = "d r"
        source.filter = others.isEmpty ? "TRUE" : others.map { $0.sql(&source.filterArguments) }.joined(separator: " AND ")
        return source
    }

    /// The WHERE text over `resource r` for the query's types and clauses.
    private func where_(_ query: SearchQuery, _ arguments: inout [SQLValue]) -> String {
        var terms: [String] = []
        if !query.types.isEmpty {
            terms.append("r.type \(RidSet.inList(query.types.count))")
            arguments += query.types.map(\.sqlValue)
        }
        terms.append("r.deleted = 0")
        for clause in query.clauses { terms.append(clause.sql(&arguments)) }
        return terms.joined(separator: " AND ")
    }
}

/// The parts of a search's match query (`SearchExecutor.source`); arguments in text order:
/// the `with` part's first, then (after any sort keys in the select list) the filter's.
private struct MatchSource {
    var with = ""
    var withArguments: [SQLValue] = []
    var select = "r.rid"
    var from = "resource r"
    var filter = "TRUE"
    var filterArguments: [SQLValue] = []
}
