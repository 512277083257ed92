import Foundation
import FHIR
import Storage

/// The parameters that shape the answer rather than select resources: `_count`, `_sort`,
/// `_total`, `_summary`, `_elements`, `_include`, `_revinclude` (each with `:iterate`),
/// `_cursor` (the paging position this server puts in its next links) and `_type`.
struct SearchResultParameters {
    static let names: Set<String> = ["_count", "_sort", "_total", "_summary", "_elements", "_cursor", "_type"]

    private var count: Int?
    private var sort: [SearchSortKey] = []
    private var sortText: String?
    private var total: SearchTotal?
    private var summary: SearchSummary?
    private var elements: [String]?
    private var includes: [SearchInclude] = []
    private var revIncludes: [SearchInclude] = []
    private var cursor: SearchCursor?
    private var cursorText: String?
    private var typesGiven = false
    private var applied: [(name: String, value: String)] = []

    /// `_type=Patient,Observation`: only for a search across types.
    mutating func readTypes(_ parameter: QueryParameter, into builder: inout SearchQueryBuilder) throws {
        guard builder.types.isEmpty || typesGiven else {
            throw SearchQueryParser.error("_type", "_type is for a search across types, not a search of \(builder.types[0])")
        }
        let types = parameter.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for type in types where !FHIRDefinitions.r4.isResourceType(type) {
            throw SearchQueryParser.error("_type", "'\(type.prefix(64))' is not a resource type")
        }
        builder.types = typesGiven ? builder.types.filter(types.contains) : Array(Set(types)).sorted()
        typesGiven = true
        applied.append(("_type", parameter.value))
    }

    /// Reads `parameter` if it is a result parameter; false when it is a filter.
    mutating func read(_ parameter: QueryParameter, parser: SearchQueryParser, builder: SearchQueryBuilder) throws -> Bool {
        let name = parameter.name
        let value = parameter.value
        switch name {
        case "_count":
            guard let number = Int(value), number >= 0 else { throw SearchQueryParser.error(name, "_count takes a whole number, 0 or more") }
            count = min(number, SearchQueryParser.maximumCount)
        case "_sort":
            guard sortText == nil else { throw SearchQueryParser.error(name, "_sort may be given once (list keys with commas)") }
            sortText = value
            sort = try value.split(separator: ",", omittingEmptySubsequences: false).map { key in
                try SearchSorting.key(String(key), parser: parser, types: builder.types)
            }
        case "_total":
            guard let mode = SearchTotal(rawValue: value) else { throw SearchQueryParser.error(name, "_total takes none, estimate or accurate") }
            total = mode
        case "_summary":
            guard let mode = SearchSummary(rawValue: value) else {
                throw SearchQueryParser.error(name, "_summary takes true, false, text, data or count")
            }
            summary = mode
        case "_elements":
            let names = value.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            for element in names where element.isEmpty || !element.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                throw SearchQueryParser.error(name, "'\(element.prefix(64))' is not an element name")
            }
            elements = (elements ?? []) + names
        case "_cursor":
            cursorText = value
            cursor = try SearchCursor(text: value)
        case "_include", "_include:iterate", "_include:recurse":
            includes.append(try SearchIncludeParser(context: parser.context).include(parameter, types: builder.types))
        case "_revinclude", "_revinclude:iterate", "_revinclude:recurse":
            revIncludes.append(try SearchIncludeParser(context: parser.context).revInclude(parameter, types: builder.types))
        default:
            return false
        }
        if name != "_cursor" { applied.append((name, value)) }
        return true
    }

    func finish(_ builder: SearchQueryBuilder) throws -> SearchQuery {
        if let cursor, cursor.values.count != sort.count {
            throw SearchQueryParser.error("_cursor", "the paging position does not fit this search's _sort")
        }
        return SearchQuery(
            types: builder.types, clauses: builder.clauses, sort: sort,
            count: summary == .count ? 0 : (count ?? SearchQueryParser.defaultCount),
            total: total ?? .estimate, summary: summary, elements: elements,
            includes: includes, revIncludes: revIncludes, cursor: cursor, ignored: builder.ignored,
            applied: builder.applied + applied)
    }
}
