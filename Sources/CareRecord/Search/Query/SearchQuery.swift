import FHIR
import Storage

/// A search, parsed and checked against the definitions: what to match (clauses, ANDed),
/// how to order and page, and what else to return. Made by `SearchQueryParser`; run by
/// `SearchExecutor`. Conditional interactions use the same type with only clauses.
public struct SearchQuery: Sendable {
    /// The resource types searched; empty for a system search over every type.
    public let types: [String]
    let clauses: [SearchClause]
    let sort: [SearchSortKey]
    /// Page size (`_count`); 0 asks for the total only.
    public let count: Int
    public let total: SearchTotal
    public let summary: SearchSummary?
    /// `_elements`: the top-level members to keep (plus the mandatory ones).
    public let elements: [String]?
    let includes: [SearchInclude]
    let revIncludes: [SearchInclude]
    let cursor: SearchCursor?
    /// Parameters ignored under `Prefer: handling=lenient`, as sent.
    public let ignored: [String]
    /// The parameters as understood, for the self link (without the paging cursor).
    public let applied: [(name: String, value: String)]
    /// The persons whose rows alone can match (`PersonRestriction`), on PostgreSQL when a
    /// parameter names the patients (`patient=`, a patient compartment).
    var persons: PersonRestriction = .none
    /// What the viewer may see (`VisibilityFilter`), when a `RecordViewer` asked: its test is
    /// one of the clauses, and included resources are held to it too.
    var visibility: VisibilityFilter? = nil
}

extension SearchQuery {
    /// The same query with other clauses (as the executor plans them).
    func with(clauses: [SearchClause]) -> SearchQuery {
        SearchQuery(types: types, clauses: clauses, sort: sort, count: count, total: total, summary: summary,
                    elements: elements, includes: includes, revIncludes: revIncludes, cursor: cursor, ignored: ignored,
                    applied: applied, persons: persons, visibility: visibility)
    }
}

public enum SearchTotal: String, Sendable {
    case none, estimate, accurate
}

public enum SearchSummary: String, Sendable {
    case `true`, text, data, count, `false`
}

/// One `_sort` key: the SQL expression of its value for resource `r` (a correlated
/// subquery over the index, with the pid bound), and its direction.
struct SearchSortKey: Sendable {
    let name: String
    let expression: String
    let arguments: [SQLValue]
    let descending: Bool
    /// For a key read by a subquery from a table `k`: the test its WHERE starts with, which
    /// binds nothing (`k.rid = r.rid`), so that `restricted(to:)` can add the person's test.
    var anchor: String? = nil

    /// The key reading only the rows of `persons` (`PersonRestriction`): the test goes right
    /// after the anchor, so its arguments come before the key's own.
    func restricted(to persons: PersonRestriction) -> SearchSortKey {
        guard let anchor, !persons.keys.isEmpty else { return self }
        let test = "\(anchor) AND k.person \(RidSet.inList(persons.keys.count))"
        return SearchSortKey(name: name, expression: expression.replacingOccurrences(of: anchor, with: test),
                             arguments: persons.arguments + arguments, descending: descending)
    }
}

/// One `_include` or `_revinclude`: resources of `sourceType` point at resources of
/// `targetType` (nil: any) through the reference parameter `pids`.
struct SearchInclude: Sendable, Hashable {
    let sourceType: String
    /// As written (`subject` or `*`).
    let parameter: String
    /// The reference parameters it stands for.
    let codes: [String]
    let pids: [Int64]
    let targetType: String?
    let iterate: Bool
}
