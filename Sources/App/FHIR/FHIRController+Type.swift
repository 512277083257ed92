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

    @Sendable func typeHistory(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        return try await history(.type(try resourceType(context)), request: request)
    }
}
