import CareRecord
import FHIR
import HTTPTypes
import Hummingbird

extension FHIRController {
    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let type = try resourceType(context)
        try notForPatientTokens(context, "write")
        try authorise(context, .create, type)
        let condition = request.headers[HTTPField.Name("If-None-Exist")!]
        if let condition { try authoriseCondition(context, condition.hasPrefix("?") ? String(condition.dropFirst()) : condition, on: type) }
        let resource = try await body(request)
        try authoriseReferences(context, in: resource)
        let result = try await record.create(resource, type: type,
                                             ifNoneExist: condition.map { $0.hasPrefix("?") ? String($0.dropFirst()) : $0 })
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func conditionalUpdate(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let type = try resourceType(context)
        try notForPatientTokens(context, "write")
        try authorise(context, .update, type)
        try authorise(context, .create, type)
        try authoriseCondition(context, request.uri.query ?? "", on: type)
        let condition = try condition(request, type: type)
        let resource = try await body(request)
        try authoriseReferences(context, in: resource)
        let result = try await record.update(resource, matching: condition, ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func conditionalDelete(_ request: Request, context: Context) async throws -> Response {
        let type = try resourceType(context)
        try notForPatientTokens(context, "delete")
        try authorise(context, .delete, type)
        try authoriseCondition(context, request.uri.query ?? "", on: type)
        let result = try await record.delete(matching: try condition(request, type: type))
        return FHIRResponse.write(result, preference: .minimal, base: base(request))
    }

    @Sendable func typeHistory(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let type = try resourceType(context)
        try notForPatientTokens(context, "read a type's history")
        try authorise(context, .read, type)
        return try await history(.type(type), request: request)
    }
}
