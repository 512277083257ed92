import FHIR

/// The search behind a conditional create, update or delete, and a conditional reference:
/// a resource type and its search parameters, as sent. Any search the record supports may be
/// used (`SearchQueryParser.conditional` checks it against the store's parameters when it
/// runs); result parameters such as `_sort` or `_count` are refused there, since a condition
/// selects and does not page.
public struct ConditionalQuery: Sendable, Hashable {
    public let type: String
    public let parameters: [QueryParameter]

    /// Parses `Type?params` (a conditional URL or reference).
    public init(url: String) throws(RecordError) {
        guard let question = url.firstIndex(of: "?") else {
            throw RecordError(.invalid, .invalid, "a conditional URL needs a '?' and search parameters")
        }
        try self.init(type: String(url[..<question]), query: String(url[url.index(after: question)...]))
    }

    public init(type: String, query: String) throws(RecordError) {
        try self.init(type: type, parameters: QueryString.parse(query))
    }

    public init(type: String, parameters: [(name: String, value: String)]) throws(RecordError) {
        guard FHIRDefinitions.r4.isResourceType(type) else {
            throw RecordError(.invalid, .notSupported, "unknown resource type in a conditional URL")
        }
        guard !parameters.isEmpty else {
            throw RecordError(.invalid, .invalid, "a conditional interaction needs at least one search parameter")
        }
        for (name, value) in parameters where value.isEmpty {
            throw RecordError(.invalid, .invalid, "search parameter '\(name.prefix(64))' has an empty value")
        }
        self.type = type
        self.parameters = parameters.map { QueryParameter(name: $0.name, value: $0.value) }
    }
}

/// One `name=value` of a query string, decoded.
public struct QueryParameter: Sendable, Hashable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
