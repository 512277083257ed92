import FHIR
import Storage

extension CareRecord {
    static let everythingDefaultCount = 100

    /// `Patient/[id]/$everything`, or `Patient/$everything?identifier=...` (the NHS number
    /// is how most callers know a person): the patient, every resource in the patient's
    /// compartment, and the resources they refer to that belong to no patient (practitioners,
    /// organisations, locations, medications), a page at a time in `rid` order.
    ///
    /// Takes `_since` (only what changed since), `_type` (only these types), `_count` and
    /// `_cursor`; any other parameter is a 400, since silently widening someone's record is
    /// worse than refusing.
    public func everything(patient id: String?, parameters: [QueryParameter]) async throws -> (page: SearchPage, applied: [QueryParameter]) {
        var since: FHIRInstant?
        var types: [String]?
        var count = Self.everythingDefaultCount
        var cursor: SearchCursor?
        var identifier: ConditionalQuery?
        var applied: [QueryParameter] = []
        for parameter in parameters {
            switch parameter.name {
            case "_since":
                guard let instant = FHIRInstant(parsing: parameter.value) else {
                    throw SearchQueryParser.error("_since", "an instant such as 2026-01-01T00:00:00Z")
                }
                since = instant
            case "_type":
                let list = parameter.value.split(separator: ",").map(String.init)
                for type in list where !FHIRDefinitions.r4.isResourceType(type) {
                    throw SearchQueryParser.error("_type", "'\(type.prefix(64))' is not a resource type")
                }
                types = list
            case "_count":
                guard let number = Int(parameter.value), number >= 0 else {
                    throw SearchQueryParser.error("_count", "_count takes a whole number, 0 or more")
                }
                count = min(number, SearchQueryParser.maximumCount)
            case "_cursor":
                cursor = try SearchCursor(text: parameter.value)
                guard cursor?.values.isEmpty == true else { throw SearchQueryParser.error("_cursor", "not a position in $everything") }
                continue
            case "identifier" where id == nil:
                identifier = try ConditionalQuery(type: "Patient", parameters: [(parameter.name, parameter.value)])
            case "_format", "_pretty":
                continue
            default:
                throw SearchQueryParser.error(parameter.name, "$everything takes _since, _type, _count"
                                              + (id == nil ? " and identifier" : ""))
            }
            applied.append(parameter)
        }
        let patientID: String
        if let id {
            patientID = id
        } else {
            guard let identifier else {
                throw RecordError(.invalid, .required, "Patient/$everything needs the patient's identifier (identifier=system|value)",
                                  at: ["identifier"])
            }
            let found = try await search(identifier, limit: 2)
            guard found.count == 1 else {
                throw RecordError(found.isEmpty ? .notFound : .multipleMatches, found.isEmpty ? .notFound : .multipleMatches,
                                  found.isEmpty ? "no patient has this identifier" : "more than one patient has this identifier")
            }
            patientID = found[0].key.id
        }
        // A viewer held to relationships sees a person's `$everything` only if they may see
        // the person, and only what in it they may see (a resource naming someone else too).
        try await requireVisible(ResourceKey("Patient", patientID))
        let context = search
        let request = EverythingQuery(patient: patientID, since: since, types: types, count: count, after: cursor?.rid ?? 0)
        if case .postgres(let database) = engine {
            let page = try await database.readSnapshot { snapshot in
                try await EverythingReader.run(request, context: context) { try await snapshot.fetchAll($0.sql, $0.arguments) }
            }
            return (try await visibleOnly(page), applied)
        }
        let page = try await read { connection in try EverythingReader.run(request, context: context, on: connection) }
        return (try await visibleOnly(page), applied)
    }
}
