import CareRecord
import FHIR
import Hummingbird

extension FHIRController {
    /// A transaction or batch Bundle posted to the base URL.
    @Sendable func postBundle(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        try notForPatientTokens(context, "post a Bundle")
        let bundle = try await body(request)
        try BundleAccess.authorise(bundle, principal(context))
        let result = try await record.process(bundle: bundle, preference: preference(request, default: .minimal))
        return FHIRResponse.json(result.response)
    }

    @Sendable func systemHistory(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        try notForPatientTokens(context, "read the whole record's history")
        try authoriseEveryType(context, .read, for: "the history of the whole record")
        return try await history(.system, request: request)
    }

    /// The `_page` cursor of a next link this server gave out (history, the audit log): a
    /// position in a sequence, newest first.
    func pageCursor(_ value: String) throws -> Int64 {
        guard let cursor = Int64(value), cursor > 0 else {
            throw FHIRError(.badRequest, .value, "_page is not a page this server gave out", at: ["_page"])
        }
        return cursor
    }

    /// History at any level: `_since`, `_count`, and the `_page` cursor of the next link.
    func history(_ scope: HistoryQuery.Scope, request: Request) async throws -> Response {
        var query = HistoryQuery(scope: scope)
        for (name, value) in QueryString.parse(request.uri.query ?? "") {
            switch name {
            case "_since":
                guard let since = FHIRInstant(parsing: value) else {
                    throw FHIRError(.badRequest, .value, "_since must be an instant such as 2026-01-01T00:00:00Z", at: ["_since"])
                }
                query.since = since
            case "_count":
                guard let count = Int(value), count >= 0 else {
                    throw FHIRError(.badRequest, .value, "_count must be a whole number of at least 0", at: ["_count"])
                }
                query.count = min(count, HistoryQuery.maximumCount)
            case "_page":
                query.before = try pageCursor(value)
            case "_format":
                continue
            default:
                throw FHIRError(.badRequest, .notSupported, "history takes _since, _count and _page, not '\(name.prefix(64))'")
            }
        }
        let page = try await record.history(query)
        noteRead(page.versions)
        return FHIRResponse.bytes(BundleBytes.history(page, query: query, path: request.uri.path, base: base(request) ?? ""))
    }
}
