import CareRecord
import FHIR
import Hummingbird

/// Builds FHIR responses: JSON bodies with the FHIR media type, and the version headers.
enum FHIRResponse {
    static let contentType = "application/fhir+json; charset=utf-8"

    static func json(_ json: JSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        bytes(JSONSerializer.bytes(json), status: status, headers: headers)
    }

    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Every refusal and failure is answered here, so here its first diagnostic becomes the
    /// request's audit detail (`RequestAudit`).
    static func outcome(_ error: FHIRError) -> Response {
        if let diagnostics = error.issues.first?.diagnostics { RequestAudit.current?.note(detail: String(diagnostics.prefix(512))) }
        return json(OperationOutcome.json(error.issues), status: error.status)
    }

    /// ETag, Last-Modified and (for writes) Location of a stored version.
    static func versionHeaders(_ stored: StoredVersion, base: String?, location: Bool) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = stored.etag
        headers[.lastModified] = stored.lastUpdated.httpDate
        if location { headers[.location] = (base.map { "\($0)/" } ?? "") + stored.location }
        return headers
    }

    /// The answer to a write, shaped by `Prefer: return=`.
    static func write(_ result: WriteResult, preference: ReturnPreference, base: String?) -> Response {
        let status: HTTPResponse.Status
        switch result.outcome {
        case .created: status = .created
        case .updated, .unchanged, .existing: status = .ok
        case .deleted, .nothingToDelete:
            return Response(status: .noContent, headers: result.stored.map { [.eTag: $0.etag] } ?? [:])
        }
        guard let stored = result.stored else { return Response(status: status) }
        let headers = versionHeaders(stored, base: base, location: result.outcome == .created || result.outcome == .updated)
        switch preference {
        case .minimal:
            return Response(status: status, headers: headers)
        case .representation:
            return bytes(stored.body ?? [], status: status, headers: headers)
        case .operationOutcome:
            let message = switch result.outcome {
            case .created: "created"
            case .unchanged: "no change: the update matched the current version, which was kept"
            case .existing: "a matching resource already exists; nothing was created"
            default: "updated"
            }
            return json(OperationOutcome.json(FHIRIssue(.information, .informational, message)), status: status, headers: headers)
        }
    }
}
