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
        return try await runSearch(request, types: [try resourceType(context)], parameters: queryParameters(request))
    }

    @Sendable func searchPost(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let parameters = queryParameters(request) + (try await formParameters(request))
        return try await runSearch(request, types: [try resourceType(context)], parameters: parameters)
    }

    @Sendable func systemSearch(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        return try await runSearch(request, types: [], parameters: queryParameters(request))
    }

    @Sendable func systemSearchPost(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let parameters = queryParameters(request) + (try await formParameters(request))
        return try await runSearch(request, types: [], parameters: parameters)
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
            return try await everything(request, patient: owner.id)
        }
        guard FHIRDefinitions.r4.isResourceType(target) else {
            throw FHIRError(.notFound, .notSupported, "'\(target.prefix(64))' is not a FHIR R4 resource type")
        }
        return try await runSearch(request, types: [target], parameters: queryParameters(request), compartment: owner)
    }

    func everything(_ request: Request, patient: String?) async throws -> Response {
        let (page, applied) = try await record.everything(patient: patient, parameters: queryParameters(request))
        let path = request.uri.path
        return FHIRResponse.bytes(SearchBundle.bytes(
            page: page, base: base(request) ?? "", link: SearchLinks(origin: origin(request), path: path, applied: applied),
            ignored: [], subset: nil, matchMode: "match", includeMode: "include"))
    }

    private func runSearch(_ request: Request, types: [String], parameters: [QueryParameter],
                           compartment: ResourceKey? = nil) async throws -> Response {
        let searchRequest = SearchRequest(types: types, parameters: parameters, strict: handlingIsStrict(request),
                                          compartment: compartment, baseURL: base(request))
        let (query, page) = try await record.search(searchRequest)
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
}
