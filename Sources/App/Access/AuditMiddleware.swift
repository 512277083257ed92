import CareRecord
import FHIR
import Hummingbird

/// Every request but the open ones (the CapabilityStatement, the health check) leaves an audit
/// entry, whether it was answered, refused at the door or failed: who asked (as the token
/// check tells `RequestAudit`), what (`AuditedInteraction`, and what the routes note they
/// read), from where, and the status answered. A write records itself in its own
/// transaction (`CareRecord.write`); anything else is recorded here before its answer leaves,
/// so no answer is sent that the log does not hold. If the entry cannot be committed the
/// answer is withheld: 500, and the data read stays on the server.
///
/// Between the security headers and the OperationOutcome middleware, so that it sees every
/// error as the status the client will get.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let record: CareRecord

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if AuthenticationMiddleware.isOpen(request) {
            return try await next(request, context)
        }
        let asked = AuditedInteraction(method: request.method, path: request.uri.path)
        let audit = RequestAudit(interaction: asked.interaction, action: asked.action,
                                 path: String(request.uri.path.prefix(AuditedInteraction.keptLength)),
                                 query: request.uri.query.map { String($0.prefix(AuditedInteraction.keptLength)) },
                                 address: context.remoteAddress?.ipAddress, entities: asked.entities)
        let response: Response
        do {
            response = try await RequestAudit.$current.withValue(audit) { try await next(request, context) }
        } catch {
            // Only errors outside /fhir get here (the OperationOutcome middleware answers
            // those under it); the security headers middleware makes their answer.
            try await record.audit(audit.entry(status: (error as? any HTTPResponseError)?.status.code ?? 500))
            throw error
        }
        if audit.isRecordedWithWrite, response.status.code < 400 { return response }
        do {
            try await record.audit(audit.entry(status: response.status.code))
        } catch {
            context.logger.error("an audit entry could not be written; the answer is withheld",
                                 metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return FHIRResponse.outcome(FHIRError(.internalServerError, .exception,
                                                  "the request could not be recorded in the audit log, so it is not answered"))
        }
        return response
    }
}
