import CareRecord
import FHIR
import Hummingbird

extension FHIRController {
    @Sendable func read(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        if try context.parameters.require("id") == "$everything", try resourceType(context) == "Patient" {
            return try await everything(request, patient: nil)
        }
        let stored = try await record.read(try resourceKey(context))
        return FHIRResponse.bytes(stored.body ?? [], headers: FHIRResponse.versionHeaders(stored, base: nil, location: false))
    }

    @Sendable func vread(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        guard let version = Int(try context.parameters.require("version")), version > 0 else {
            throw FHIRError(.badRequest, .value, "a version id is a positive whole number")
        }
        let stored = try await record.read(try resourceKey(context), version: version)
        return FHIRResponse.bytes(stored.body ?? [], headers: FHIRResponse.versionHeaders(stored, base: nil, location: false))
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let key = try resourceKey(context)
        let result = try await record.update(try await body(request), key: key, ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func patch(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let key = try resourceKey(context)
        let document = try await body(request, patch: true)
        let patch: JSONPatch
        do {
            patch = try JSONPatch(json: document)
        } catch {
            throw FHIRError(.badRequest, issues: [error.issue])
        }
        let result = try await record.patch(key, with: patch, ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        let result = try await record.delete(try resourceKey(context), ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: .minimal, base: base(request))
    }

    @Sendable func instanceHistory(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        return try await history(.instance(try resourceKey(context)), request: request)
    }
}
