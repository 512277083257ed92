import FHIR
import Storage

/// `_sort` keys as SQL: each is the resource's lowest value of the parameter (highest when
/// descending), from the index, with a stand-in for "no value" so that paging positions
/// never hold NULL: resources without a value come first ascending and last descending.
enum SearchSorting {
    static func key(_ text: String, parser: SearchQueryParser, types: [String]) throws -> SearchSortKey {
        let descending = text.hasPrefix("-")
        let code = descending ? String(text.dropFirst()) : text
        guard !code.isEmpty else { throw SearchQueryParser.error("_sort", "a sort key is empty") }
        switch code {
        case "_id":
            return SearchSortKey(name: text, expression: "r.id", arguments: [], descending: descending)
        case "_lastUpdated":
            return SearchSortKey(name: text, expression: "(SELECT k.last_updated FROM resource_version k WHERE k.seq = r.seq)",
                                 arguments: [], descending: descending, anchor: "k.seq = r.seq")
        default:
            break
        }
        let parameter: ResolvedParameter
        do {
            parameter = try parser.resolve(code, on: types)
        } catch is UnknownSearchParameter {
            throw SearchQueryParser.error("_sort", "'\(code.prefix(64))' is not a search parameter of \(SearchQueryParser.typeList(types))")
        }
        let pick = descending ? "max" : "min"
        let column: String
        let none: SQLValue
        switch parameter.type {
        case .string: (column, none) = ("norm", "".sqlValue)
        case .token, .uri: (column, none) = ("code", "".sqlValue)
        case .reference: (column, none) = ("target_id", "".sqlValue)
        case .date: (column, none) = (descending ? "high" : "low", (descending ? Int64.min : Int64.min).sqlValue)
        case .number, .quantity: (column, none) = ("value", (-Double.greatestFiniteMagnitude).sqlValue)
        case .composite, .special:
            throw SearchQueryParser.error("_sort", "cannot sort by the \(parameter.type) parameter '\(code)'")
        }
        guard let table = SearchContext.table(for: parameter.type) else {
            throw SearchQueryParser.error("_sort", "cannot sort by '\(code)'")
        }
        let pids = parser.pids(parameter)
        let expression = "coalesce((SELECT \(pick)(k.\(column)) FROM \(table) k WHERE k.rid = r.rid AND k.pid "
            + "\(RidSet.inList(pids.count))), ?)"
        return SearchSortKey(name: text, expression: expression, arguments: pids.map(\.sqlValue) + [none],
                             descending: descending, anchor: "k.rid = r.rid")
    }

    /// ORDER BY for `keys`, then `rid` (which makes the order total, so paging is stable).
    static func orderBy(_ keys: [SearchSortKey]) -> String {
        (keys.enumerated().map { "k\($0.offset)" + ($0.element.descending ? " DESC" : "") } + ["r.rid"])
            .joined(separator: ", ")
    }

    /// Rows after `cursor` in the order of `keys`: (k0 > v0) OR (k0 = v0 AND k1 > v1) ... OR
    /// (all equal AND rid > last rid), with < for descending keys.
    static func after(_ cursor: SearchCursor, keys: [SearchSortKey], arguments: inout [SQLValue]) -> String {
        var alternatives: [String] = []
        for index in 0...keys.count {
            var terms: [String] = []
            for (position, key) in keys.prefix(index).enumerated() {
                terms.append("\(key.expression) = ?")
                arguments += key.arguments + [cursor.values[position]]
            }
            if index < keys.count {
                let key = keys[index]
                terms.append("\(key.expression) \(key.descending ? "<" : ">") ?")
                arguments += key.arguments + [cursor.values[index]]
            } else {
                terms.append("r.rid > ?")
                arguments.append(cursor.rid.sqlValue)
            }
            alternatives.append("(" + terms.joined(separator: " AND ") + ")")
        }
        return "(" + alternatives.joined(separator: " OR ") + ")"
    }
}
