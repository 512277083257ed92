import CareRecord
import FHIR
import HTTPTypes
import Hummingbird

/// Search at every level: `GET /Patient?...`, `POST /Patient/_search` (form-encoded),
/// system search (`GET /?_type=...`, `POST /_search`), compartment search
/// (`GET /Patient/123/Observation?...`) and `$everything`.
extension FHIRController {
    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        return try await runSearch(request, context, types: [try resourceType(context)], parameters: queryParameters(request))
    }

    @Sendable func searchPost(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let parameters = queryParameters(request) + (try await formParameters(request))
        return try await runSearch(request, context, types: [try resourceType(context)], parameters: parameters)
    }

    @Sendable func systemSearch(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        return try await runSearch(request, context, types: [], parameters: queryParameters(request))
    }

    @Sendable func systemSearchPost(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let parameters = queryParameters(request) + (try await formParameters(request))
        return try await runSearch(request, context, types: [], parameters: parameters)
    }

    /// `Patient/123/Observation?...` searches inside the compartment; `Patient/123/$everything`
    /// is the patient's whole record.
    @Sendable func compartmentSearch(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let owner = try resourceKey(context)
        let target = try context.parameters.require("target")
        if target == "$everything" {
            guard owner.type == "Patient" else {
                throw FHIRError(.notFound, .notSupported, "$everything is offered on Patient only")
            }
            if let patient = try confinedPatient(context) {
                try principal(context).requireEveryType(.read, for: "$everything", in: [.patient])
                // The patient's own record only: a Patient linked to them is in their
                // compartment, but its record is not theirs.
                guard owner.id == patient else { throw FHIRError(.notFound, .notFound, "\(owner.type)/\(owner.id) is not known") }
            } else {
                try authoriseEveryType(context, .read, for: "$everything")
            }
            return try await everything(request, patient: owner.id, context: context)
        }
        guard FHIRDefinitions.r4.isResourceType(target) else {
            throw FHIRError(.notFound, .notSupported, "'\(target.prefix(64))' is not a FHIR R4 resource type")
        }
        if let patient = try confinedPatient(context) {
            // A patient token searches its own patient's compartment only.
            guard owner == ResourceKey("Patient", patient) else {
                throw FHIRError(.notFound, .notFound, "\(owner.type)/\(owner.id) is not known")
            }
        }
        return try await runSearch(request, context, types: [target], parameters: queryParameters(request), compartment: owner)
    }

    func everything(_ request: Request, patient: String?, context: Context) async throws -> Response {
        let (found, applied) = try await record.everything(patient: patient, parameters: queryParameters(request))
        let page = try readable(found, context)
        let path = request.uri.path
        return FHIRResponse.bytes(SearchBundle.bytes(
            page: page, base: base(request) ?? "", link: SearchLinks(origin: origin(request), path: path, applied: applied),
            ignored: [], subset: nil, matchMode: "match", includeMode: "include"))
    }

    private func runSearch(_ request: Request, _ context: Context, types: [String], parameters: [QueryParameter],
                           compartment: ResourceKey? = nil) async throws -> Response {
        var parameters = parameters
        var compartment = compartment
        if let patient = try confinedPatient(context) {
            try confine(types: types, parameters: &parameters, compartment: &compartment, to: patient, context)
        }
        let searchRequest = SearchRequest(types: types, parameters: parameters, strict: handlingIsStrict(request),
                                          compartment: compartment, baseURL: base(request))
        let query = try await record.parseSearch(searchRequest)
        if try confinedPatient(context) != nil {
            // The compartment keeps the matches to the patient; a chain or `_has` would read
            // other resources to decide them, which a patient token is not yet offered.
            guard !record.chains(query) else {
                throw FHIRError(.forbidden, .forbidden, "a patient-scoped token may not chain or use _has on this server")
            }
        } else {
            try authoriseSearch(context, query)
        }
        let page = try readable(try await record.search(query), context)
        let path = request.method == .post ? String(request.uri.path.dropLast("/_search".count)) : request.uri.path
        let applied = query.applied.filter { $0.name != "_compartment" }.map { QueryParameter(name: $0.name, value: $0.value) }
        let subset = ResourceSubset(summary: query.summary, elements: query.elements)
        return FHIRResponse.bytes(SearchBundle.bytes(
            page: page, base: base(request) ?? "",
            link: SearchLinks(origin: origin(request), path: path.isEmpty ? "/fhir" : path, applied: applied),
            ignored: query.ignored, subset: subset.isEmpty ? nil : subset, matchMode: "match", includeMode: "include"))
    }

    /// `Prefer: handling=strict` refuses unknown parameters; lenient (the default) ignores them.
    func handlingIsStrict(_ request: Request) -> Bool {
        guard let prefer = request.headers[HTTPField.Name("Prefer")!] else { return false }
        return prefer.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "handling=strict" }
    }

    func queryParameters(_ request: Request) -> [QueryParameter] {
        QueryString.parse(request.uri.query ?? "").map { QueryParameter(name: $0.name, value: $0.value) }
    }

    /// The form body of `POST _search` (`application/x-www-form-urlencoded`).
    func formParameters(_ request: Request) async throws -> [QueryParameter] {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == nil || type == "application/x-www-form-urlencoded" else {
            throw FHIRError(.unsupportedMediaType, .notSupported, "POST _search takes application/x-www-form-urlencoded parameters")
        }
        let buffer = try await request.body.collect(upTo: limits.maxBodyBytes)
        return QueryString.parse(String(decoding: buffer.readableBytesView, as: UTF8.self))
            .map { QueryParameter(name: $0.name, value: $0.value) }
    }

    /// `http://host` (the base without `/fhir`), for links.
    func origin(_ request: Request) -> String {
        request.head.authority.map { "http://\($0)" } ?? ""
    }

    /// A patient token's search, kept to its patient: a search of Patients to the patient
    /// themselves, of any other type to the patient's compartment. Includes, which could
    /// reach past it, are not yet offered to such tokens.
    private func confine(types: [String], parameters: inout [QueryParameter], compartment: inout ResourceKey?,
                         to patient: String, _ context: Context) throws {
        guard types.count == 1, let type = types.first else {
            throw FHIRError(.forbidden, .forbidden, "a patient-scoped token searches one type at a time")
        }
        try authoriseForPatient(context, .search, type)
        if parameters.contains(where: { $0.name.hasPrefix("_include") || $0.name.hasPrefix("_revinclude") }) {
            throw FHIRError(.forbidden, .forbidden, "a patient-scoped token may not use _include or _revinclude on this server")
        }
        if type == "Patient" {
            parameters.append(QueryParameter(name: "_id", value: patient))
        } else if compartment == nil {
            compartment = ResourceKey("Patient", patient)
        }
    }
}
