import FHIR
import Foundation
import Storage

/// Runs a `SearchQuery` on one connection of either engine: the matches of one page in order (keyset
/// paging on the sort values and `rid`), the total, and the included resources. The statements
/// are `SearchStatements`'.
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
        let filter = SearchStatements.where_(query, &arguments)
        arguments.append(limit.sqlValue)
        return try connection.fetchAll("SELECT r.id FROM resource r WHERE \(filter) ORDER BY r.rid LIMIT ?", arguments)
            .compactMap { $0[0].string }
    }

    func run(_ query: SearchQuery) throws -> SearchPage {
        let query = try planned(query)
        var matches: [(rid: Int64, version: StoredVersion)] = []
        var next: SearchCursor?
        var counted: Int64?
        if query.count > 0 {
            let page = SearchStatements.page(query)
            (matches, next, counted) = SearchStatements.readPage(try connection.fetchAll(page.sql, page.arguments), of: page, query)
        }
        let total: Int?
        switch SearchStatements.total(query, firstPageCount: Self.firstPageCount(query, matches.count, next), counted: counted) {
        case nil: total = nil
        case .known(let count): total = count
        case .statement(let statement, let exact):
            total = SearchStatements.total(from: try connection.fetchOne(statement.sql, statement.arguments)?[0].int64, exact: exact)
        }
        var includes = SearchIncludes(query, matches: matches.map { ($0.rid, $0.version.key) })
        while let round = includes.next() { includes.take(try connection.fetchAll(round.sql, round.arguments)) }
        return SearchPage(matches: matches.map(\.version), included: includes.resources, total: total, next: next?.text)
    }

    /// Chooses which set drives the search. SQLite reads an `IN` set whole before testing
    /// candidates against it, so with several, the smallest (probed up to 1,000 rows each) is
    /// read and the others are tested per candidate; an `_id` condition drives on its own.
    func planned(_ query: SearchQuery) throws -> SearchQuery {
        let probes = SearchStatements.probes(query)
        let row = try SearchStatements.probing(probes).flatMap { try connection.fetchOne($0.sql, $0.arguments) }
        return SearchStatements.planned(query, probes: probes, counts: SearchStatements.counts(row, probes))
    }

    /// How many the first page holds when it holds every match (so the total is known).
    static func firstPageCount(_ query: SearchQuery, _ count: Int, _ next: SearchCursor?) -> Int? {
        query.count > 0 && query.cursor == nil && next == nil ? count : nil
    }
}

extension SearchExecutor {
    /// Whether `query` may run without a transaction (`run(_:fetch:)` with each statement on
    /// its own): it includes nothing (its includes would be read in another snapshot than its
    /// matches) and asks for no exact total. A total it does ask for is an estimate, counted in
    /// a snapshot of its own when the first page does not hold every match.
    static func runsWithoutTransaction(_ query: SearchQuery) -> Bool {
        query.includes.isEmpty && query.revIncludes.isEmpty && query.total != .accurate && query.count > 0
    }

    /// `run` from async code, each statement answered by `fetch`: on PostgreSQL a pooled
    /// connection's, in a snapshot of its own (`PostgresDatabase.readSnapshot`) or, for a
    /// search that `runsWithoutTransaction`, with none. No worker thread stands between the
    /// request and the connection, and a search that needs no transaction has no BEGIN and
    /// COMMIT: at one client these were about half of a search by identifier's time.
    static func run(_ query: SearchQuery,
                    fetch: (SearchStatements.Statement) async throws -> [SQLRow]) async throws -> SearchPage {
        let probes = SearchStatements.probes(query)
        var row: SQLRow?
        if let probing = SearchStatements.probing(probes) { row = try await fetch(probing).first }
        let query = SearchStatements.planned(query, probes: probes, counts: SearchStatements.counts(row, probes))
        var matches: [(rid: Int64, version: StoredVersion)] = []
        var next: SearchCursor?
        var counted: Int64?
        if query.count > 0 {
            let page = SearchStatements.page(query)
            (matches, next, counted) = SearchStatements.readPage(try await fetch(page), of: page, query)
        }
        let total: Int?
        switch SearchStatements.total(query, firstPageCount: firstPageCount(query, matches.count, next), counted: counted) {
        case nil: total = nil
        case .known(let count): total = count
        case .statement(let statement, let exact):
            total = SearchStatements.total(from: try await fetch(statement).first?[0].int64, exact: exact)
        }
        var includes = SearchIncludes(query, matches: matches.map { ($0.rid, $0.version.key) })
        while let round = includes.next() { includes.take(try await fetch(round)) }
        return SearchPage(matches: matches.map(\.version), included: includes.resources, total: total, next: next?.text)
    }
}
