import CareRecord
import FHIR
import HTTPTypes
import Hummingbird

/// The FHIR R4 REST API at `/fhir`: instance, type and system interactions. Handlers parse
/// the HTTP request, call the record, and shape the answer; the record holds the logic.
struct FHIRController: Sendable {
    typealias Context = AppRequestContext

    let record: CareRecord
    let limits: RequestLimits
    let capabilityStatement: [UInt8]

    init(record: CareRecord, limits: RequestLimits) {
        self.record = record
        self.limits = limits
        capabilityStatement = JSONSerializer.bytes(CapabilityStatementBuilder.build())
    }

    func register(on group: RouterGroup<Context>) {
        group.get("metadata") { request, _ in
            try ContentNegotiation.checkAcceptable(request)
            return FHIRResponse.bytes(capabilityStatement)
        }
        group.post("", use: postBundle)
        group.get("", use: systemSearch)
        group.post("_search", use: systemSearchPost)
        group.get("_history", use: systemHistory)
        // The audit log is not in the resource store: its own routes, ahead of the types'.
        group.get("AuditEvent", use: auditSearch)
        group.get("AuditEvent/:id", use: auditRead)
        for method in [HTTPRequest.Method.post, .put, .delete] { group.on("AuditEvent", method: method, use: auditWrite) }
        for method in [HTTPRequest.Method.put, .patch, .delete] { group.on("AuditEvent/:id", method: method, use: auditWrite) }
        group.get("$break-glass-grants", use: breakGlassGrants)
        group.post(":type/:id/$break-glass", use: breakGlass)
        group.get(":type", use: search)
        group.post(":type/_search", use: searchPost)
        group.post(":type", use: create)
        group.put(":type", use: conditionalUpdate)
        group.delete(":type", use: conditionalDelete)
        group.get(":type/_history", use: typeHistory)
        group.get(":type/:id", use: read)
        group.put(":type/:id", use: update)
        group.delete(":type/:id", use: delete)
        group.patch(":type/:id", use: patch)
        group.get(":type/:id/_history", use: instanceHistory)
        group.get(":type/:id/:target", use: compartmentSearch)
        group.get(":type/:id/_history/:version", use: vread)
    }
}

extension FHIRController {
    /// The resource type named in the path; unknown types answer 404, as FHIR asks.
    func resourceType(_ context: Context) throws -> String {
        let type = try context.parameters.require("type")
        guard FHIRDefinitions.r4.isResourceType(type) else {
            throw FHIRError(.notFound, .notSupported, "'\(type.prefix(64))' is not a FHIR R4 resource type")
        }
        return type
    }

    func resourceKey(_ context: Context) throws -> ResourceKey {
        let type = try resourceType(context)
        let id = try context.parameters.require("id")
        guard ResourceID.isValid(id) else {
            throw FHIRError(.badRequest, .value, "a resource id is 1 to 64 letters, digits, '-' or '.'")
        }
        return ResourceKey(type, id)
    }

    /// Reads and parses the JSON body within the size and nesting limits.
    func body(_ request: Request, patch: Bool = false) async throws -> JSON {
        try ContentNegotiation.checkBody(request, patch: patch)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limits.maxBodyBytes {
            throw FHIRError(.contentTooLarge, .tooCostly, "the request body is larger than this server accepts (\(limits.maxBodyBytes) bytes)")
        }
        let buffer = try await request.body.collect(upTo: limits.maxBodyBytes)
        return try JSONParser(limits: limits.json).parse(buffer.readableBytesView)
    }

    /// The base URL clients used, for Location headers and paging links.
    func base(_ request: Request) -> String? {
        request.head.authority.map { "http://\($0)/fhir" }
    }

    func preference(_ request: Request, default fallback: ReturnPreference = .representation) -> ReturnPreference {
        guard let prefer = request.headers[HTTPField.Name("Prefer")!] else { return fallback }
        for part in prefer.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: CharacterSet.whitespaces)
            if trimmed.hasPrefix("return="), let value = ReturnPreference(rawValue: String(trimmed.dropFirst(7))) {
                return value
            }
        }
        return fallback
    }

    /// The version an `If-Match` header names, if any.
    func ifMatch(_ request: Request) throws -> Int? {
        guard let text = request.headers[.ifMatch] else { return nil }
        guard let version = ETag.version(text) else {
            throw FHIRError(.badRequest, .value, "If-Match must be a version ETag such as W/\"3\"")
        }
        return version
    }

    /// The condition of a conditional update or delete: the URL's search parameters, less
    /// `_format` (which is about the response, not the match).
    func condition(_ request: Request, type: String) throws -> ConditionalQuery {
        let parameters = QueryString.parse(request.uri.query ?? "").filter { $0.name != "_format" }
        guard !parameters.isEmpty else {
            throw FHIRError(.badRequest, .invalid, "a conditional interaction needs search parameters in the URL")
        }
        return try ConditionalQuery(type: type, parameters: parameters)
    }
}

import Foundation
