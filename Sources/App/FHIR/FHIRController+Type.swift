import CareRecord
import FHIR
import HTTPTypes
import Hummingbird

extension FHIRController {
    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let type = try resourceType(context)
        let condition = request.headers[HTTPField.Name("If-None-Exist")!]
        let result = try await record.create(try await body(request), type: type,
                                             ifNoneExist: condition.map { $0.hasPrefix("?") ? String($0.dropFirst()) : $0 })
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func conditionalUpdate(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let type = try resourceType(context)
        let condition = try condition(request, type: type)
        let result = try await record.update(try await body(request), matching: condition, ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func conditionalDelete(_ request: Request, context: Context) async throws -> Response {
        let type = try resourceType(context)
        let result = try await record.delete(matching: try condition(request, type: type))
        return FHIRResponse.write(result, preference: .minimal, base: base(request))
    }

    /// Search by `identifier` and `_id` (full search is issue 4): a searchset Bundle.
    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let type = try resourceType(context)
        var parameters = QueryString.parse(request.uri.query ?? "").filter { $0.name != "_format" }
        var count = HistoryQuery.defaultCount
        if let index = parameters.firstIndex(where: { $0.name == "_count" }) {
            guard let value = Int(parameters[index].value), value >= 0 else {
                throw FHIRError(.badRequest, .value, "_count must be a whole number of at least 0", at: ["_count"])
            }
            count = min(value, HistoryQuery.maximumCount)
            parameters.remove(at: index)
        }
        guard !parameters.isEmpty else {
            throw FHIRError(.badRequest, .notSupported, "search needs identifier or _id parameters on this server for now")
        }
        let found = try await record.search(ConditionalQuery(type: type, parameters: parameters), limit: count)
        return FHIRResponse.bytes(BundleBytes.searchset(found, base: base(request) ?? ""))
    }

    @Sendable func typeHistory(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        return try await history(.type(try resourceType(context)), request: request)
    }
}
