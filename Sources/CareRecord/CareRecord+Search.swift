import FHIR
import Storage

/// A search request as the HTTP layer hands it over.
public struct SearchRequest: Sendable {
    /// One type (`GET /Patient`), several or none (a system search, `_type` narrowing it).
    public var types: [String]
    public var parameters: [QueryParameter]
    /// `Prefer: handling=strict`: unknown parameters are refused instead of ignored.
    public var strict: Bool
    /// `Patient/123/Observation`: only resources in that resource's compartment.
    public var compartment: ResourceKey?
    /// The server's base URL, so absolute references to it match local ones.
    public var baseURL: String?

    public init(types: [String], parameters: [QueryParameter], strict: Bool = false,
                compartment: ResourceKey? = nil, baseURL: String? = nil) {
        self.types = types
        self.parameters = parameters
        self.strict = strict
        self.compartment = compartment
        self.baseURL = baseURL
    }
}

extension CareRecord {
    /// Parses and runs a search: a bad parameter throws `RecordError` (a 400 naming it)
    /// before anything is read. A page and what it includes are read in one snapshot: one read
    /// transaction, or on PostgreSQL, for a search that includes nothing, one statement
    /// (`SearchExecutor.runsWithoutTransaction`; an estimated total is then counted apart).
    public func search(_ request: SearchRequest) async throws -> (query: SearchQuery, page: SearchPage) {
        let query = try await parseSearch(request)
        return (query, try await search(query))
    }

    /// A search parsed and checked, not yet run: what access control looks at first
    /// (`typesRead`).
    public func parseSearch(_ request: SearchRequest) async throws -> SearchQuery {
        try await identify()
        let parser = SearchQueryParser(context: search, clock: environment.now, baseURL: request.baseURL)
        return try parser.search(types: request.types, parameters: request.parameters, strict: request.strict,
                                 compartment: request.compartment)
    }

    /// The resource types whose data `query` reads to decide its matches (its own, and those
    /// its chains and `_has` look into); nil for a search over every type.
    public func typesRead(by query: SearchQuery) -> Set<String>? {
        query.typesRead(search.ids)
    }

    /// Whether `query` reads other resources to decide its matches: a chain or `_has`, of
    /// any type (an Observation's `has-member` chain reads other Observations).
    public func chains(_ query: SearchQuery) -> Bool {
        query.chains
    }

    /// Runs a parsed search.
    public func search(_ query: SearchQuery) async throws -> SearchPage {
        if case .postgres(let database) = engine {
            if SearchExecutor.runsWithoutTransaction(query) {
                return try await SearchExecutor.run(query) { try await database.fetchAll($0.sql, $0.arguments) }
            }
            return try await database.readSnapshot { snapshot in
                try await SearchExecutor.run(query) { try await snapshot.fetchAll($0.sql, $0.arguments) }
            }
        }
        let context = search
        return try await read { connection in try SearchExecutor(connection: connection, context: context).run(query) }
    }

    /// The live resources matching a conditional query, current versions, in `rid` order.
    public func search(_ query: ConditionalQuery, limit: Int) async throws -> [StoredVersion] {
        try await identify()
        let parsed = try SearchQueryParser(context: search, clock: environment.now).conditional(query)
        let context = search
        return try await read { connection in
            try SearchExecutor(connection: connection, context: context).ids(parsed, limit: limit).compactMap { id in
                try RecordReads.version(connection, ResourceKey(query.type, id), nil)
            }
        }
    }

    /// How many live resources match a conditional query.
    public func count(matching query: ConditionalQuery) async throws -> Int {
        try await identify()
        let parsed = try SearchQueryParser(context: search, clock: environment.now).conditional(query)
        let context = search
        return try await read { connection in
            try SearchExecutor(connection: connection, context: context).ids(parsed, limit: .max).count
        }
    }
}
