import FHIR
import Storage

/// Turns a search's parameters into a `SearchQuery`, checking each against the R4
/// definitions of the types searched. Every malformed value, unknown modifier, chain to
/// nowhere or misplaced result parameter is a `RecordError` naming the parameter; unknown
/// parameters are ignored and listed (lenient, the default) or refused (strict). Nothing a
/// client sent is written into SQL text: values become bound arguments, and the only names
/// that reach SQL are the index's own table and column names.
struct SearchQueryParser {
    let context: SearchContext
    /// The clock, read only for the margin of an `ap` date (milliseconds since 1970).
    let clock: @Sendable () -> FHIRInstant
    /// The server's base URL, so an absolute reference to this server matches a local one.
    var baseURL: String?

    static let defaultCount = 20
    static let maximumCount = 1_000
    /// Chains longer than this are refused: each hop multiplies the work.
    static let maximumChainDepth = 3
    /// Bounds on one search, so that a hostile URL cannot make one statement of unbounded size.
    static let maximumParameters = 100
    static let maximumAlternatives = 1_000
    /// Parameters the server reads but that change nothing in the answer.
    static let ignoredResultParameters: Set<String> = ["_format", "_pretty"]

    init(context: SearchContext, clock: @escaping @Sendable () -> FHIRInstant, baseURL: String? = nil) {
        self.context = context
        self.clock = clock
        self.baseURL = baseURL
    }

    /// The query behind a conditional interaction: filters only, strict, and at least one.
    func conditional(_ query: ConditionalQuery) throws -> SearchQuery {
        var builder = SearchQueryBuilder(types: [query.type], strict: true)
        for parameter in query.parameters {
            if SearchResultParameters.names.contains(parameter.name) || parameter.name.hasPrefix("_include")
                || parameter.name.hasPrefix("_revinclude") || Self.ignoredResultParameters.contains(parameter.name) {
                throw Self.error(parameter.name, "a conditional interaction takes only search filters, not result parameters")
            }
            try addFilter(parameter, to: &builder)
        }
        return builder.build(count: 2, engine: context.engine).visibleToCurrentViewer(context)
    }

    /// A search of `types` (one for a type search; several or none, meaning all, for a system
    /// search), optionally inside the compartment of one resource.
    func search(types: [String], parameters: [QueryParameter], strict: Bool,
                compartment: ResourceKey? = nil) throws -> SearchQuery {
        guard parameters.count <= Self.maximumParameters else {
            throw RecordError(.invalid, .tooCostly, "a search may have at most \(Self.maximumParameters) parameters")
        }
        var builder = SearchQueryBuilder(types: types, strict: strict)
        var results = SearchResultParameters()
        // `_type` first: it decides which types the other parameters are checked against.
        for parameter in parameters where parameter.name == "_type" {
            try results.readTypes(parameter, into: &builder)
        }
        // A search across every type checks its parameters against every type: only those
        // all types share (`_id`, `_lastUpdated`, `_tag`, `_profile`, `_security`) apply.
        if builder.types.isEmpty { builder.types = FHIRDefinitions.r4.resourceTypes.sorted() }
        if let compartment { try addCompartment(compartment, to: &builder) }
        for parameter in parameters where parameter.name != "_type" {
            if Self.ignoredResultParameters.contains(parameter.name) { continue }
            if try results.read(parameter, parser: self, builder: builder) { continue }
            try addFilter(parameter, to: &builder)
        }
        return try results.finish(builder).restricted(builder.patients, on: context.engine, driver: builder.patientsClause)
            .visibleToCurrentViewer(context)
    }

    /// Resources in the compartment of `owner` (`Patient/123/Observation`): those whose
    /// compartment parameters (from the compartment definition) reference it.
    func addCompartment(_ owner: ResourceKey, to builder: inout SearchQueryBuilder) throws {
        let membership = context.definitions.compartment(owner.type)
        var pids: [Int64] = []
        for type in builder.types {
            guard let codes = membership[type] else {
                throw RecordError(.invalid, .notSupported, "\(type) is not in the \(owner.type) compartment")
            }
            pids += codes.flatMap { context.ids.pids(type, $0) }
        }
        // A patient's compartment, but for the Patient records linked to it (each in its own
        // person's rows), is in its person's rows and shared ones.
        if owner.type == "Patient", !builder.types.contains("Patient"), builder.patients == nil {
            (builder.patients, builder.patientsClause) = ([owner.id], builder.clauses.count)
        }
        builder.clauses.append(.within(.rows(
            table: "search_reference", pids: pids, condition: "target_type = ? AND target_id = ?",
            arguments: [owner.type.sqlValue, owner.id.sqlValue])))
        builder.applied.append(("_compartment", "\(owner.type)/\(owner.id)"))
    }

    /// One filter parameter: known ones become a clause, unknown ones are ignored (lenient)
    /// or refused (strict).
    func addFilter(_ parameter: QueryParameter, to builder: inout SearchQueryBuilder) throws {
        guard !parameter.value.isEmpty else {
            throw Self.error(parameter.name, "the value is empty")
        }
        do {
            builder.clauses.append(try clause(parameter.name, parameter.value, on: builder.types, depth: 0))
            builder.applied.append((parameter.name, parameter.value))
            if builder.patients == nil, let patients = patientsNamed(parameter.name, parameter.value, on: builder.types) {
                (builder.patients, builder.patientsClause) = (patients, builder.clauses.count - 1)
            }
        } catch let unknown as UnknownSearchParameter {
            if builder.strict {
                throw RecordError(.invalid, .notSupported, "unknown search parameter '\(parameter.name.prefix(100))': \(unknown.reason)",
                                  at: [String(parameter.name.prefix(100))])
            }
            builder.ignored.append(parameter.name)
        }
    }

    func now() -> Int64 { clock().millisecondsSince1970 }

    static func error(_ parameter: String, _ reason: String) -> RecordError {
        let name = String(parameter.prefix(100))
        return RecordError(.invalid, .invalid, "search parameter '\(name)': \(reason)", at: [name])
    }
}

/// A parameter the definitions do not give for the types searched (lenient handling skips it).
struct UnknownSearchParameter: Error {
    let reason: String
}

/// What the parser gathers before the query is complete.
struct SearchQueryBuilder {
    var types: [String]
    let strict: Bool
    var clauses: [SearchClause] = []
    var ignored: [String] = []
    var applied: [(name: String, value: String)] = []
    /// The patients some parameter confines the matches to (`SearchQueryParser.patientsNamed`),
    /// and that parameter's clause.
    var patients: [String]?
    var patientsClause: Int?

    init(types: [String], strict: Bool) {
        self.types = types
        self.strict = strict
    }

    func build(count: Int, engine: SQLEngine) -> SearchQuery {
        SearchQuery(types: types, clauses: clauses, sort: [], count: count, total: .none, summary: nil, elements: nil,
                    includes: [], revIncludes: [], cursor: nil, ignored: ignored, applied: applied)
            .restricted(patients, on: engine, driver: patientsClause)
    }
}
