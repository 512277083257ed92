import CareRecord
import FHIR
import Hummingbird

extension FHIRController {
    @Sendable func read(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        if try context.parameters.require("id") == "$everything", try resourceType(context) == "Patient" {
            try notForPatientTokens(context, "read every patient's record")
            try authoriseEveryType(context, .read, for: "$everything")
            // It may pick its patients by a search (`identifier=`).
            try authorise(context, .search, "Patient")
            return try await everything(request, patient: nil, context: context)
        }
        let key = try resourceKey(context)
        try await authoriseRead(context, key)
        let stored = try await record.read(key)
        noteRead([stored])
        return FHIRResponse.bytes(stored.body ?? [], headers: FHIRResponse.versionHeaders(stored, base: nil, location: false))
    }

    @Sendable func vread(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        guard let version = Int(try context.parameters.require("version")), version > 0 else {
            throw FHIRError(.badRequest, .value, "a version id is a positive whole number")
        }
        let key = try resourceKey(context)
        try await authoriseRead(context, key)
        if try confinedPatient(context) != nil, try await record.read(key).version != version {
            // Only the current version is known to be in the patient's compartment: an older
            // one may have been about someone else.
            throw FHIRError(.forbidden, .forbidden, "a patient-scoped token reads current versions only on this server")
        }
        let stored = try await record.read(key, version: version)
        noteRead([stored])
        return FHIRResponse.bytes(stored.body ?? [], headers: FHIRResponse.versionHeaders(stored, base: nil, location: false))
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let key = try resourceKey(context)
        try notForPatientTokens(context, "write")
        try authorise(context, .update, key.type)
        if try !principal(context).may(.create, key.type), (try? await record.read(key)) == nil {
            // An update of a resource that does not exist creates it.
            try authorise(context, .create, key.type)
        }
        let resource = try await body(request)
        try authoriseReferences(context, in: resource)
        let result = try await record.update(resource, key: key, ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func patch(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let key = try resourceKey(context)
        try notForPatientTokens(context, "write")
        // A patch answers with the patched resource, and its `test` operations say what the
        // resource holds: it reads as well as writes.
        try authorise(context, .update, key.type)
        try authorise(context, .read, key.type)
        let document = try await body(request, patch: true)
        let patch: JSONPatch
        do {
            patch = try JSONPatch(json: document)
        } catch {
            throw FHIRError(.badRequest, issues: [error.issue])
        }
        try authorisePatch(context, patch)
        let result = try await record.patch(key, with: patch, ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: preference(request), base: base(request))
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        let key = try resourceKey(context)
        try notForPatientTokens(context, "delete")
        try authorise(context, .delete, key.type)
        let result = try await record.delete(key, ifMatch: try ifMatch(request))
        return FHIRResponse.write(result, preference: .minimal, base: base(request))
    }

    @Sendable func instanceHistory(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let key = try resourceKey(context)
        // Older versions may have been about someone else (see vread).
        try notForPatientTokens(context, "read a resource's history")
        try authorise(context, .read, key.type)
        return try await history(.instance(key), request: request)
    }
}
