import CareRecord
import FHIR
import Hummingbird
import NIOCore

/// Turns every error under `/fhir` into an OperationOutcome with the right status. Unknown
/// errors answer 500 with a generic message; their detail goes to the log only, as health
/// data may be in it.
struct FHIROutcomeMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Only requests under this path are FHIR requests.
    let pathPrefix: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(pathPrefix) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as FHIRError {
            return FHIRResponse.outcome(error)
        } catch let error as RecordError {
            return FHIRResponse.outcome(FHIRError(error))
        } catch let error as JSONParseError {
            return FHIRResponse.outcome(FHIRError(error))
        } catch is NIOTooManyBytesError {
            return FHIRResponse.outcome(FHIRError(.contentTooLarge, .tooCostly, "the request body is larger than this server accepts"))
        } catch let error as HTTPError {
            let code: FHIRIssue.Code = error.status == .notFound ? .notFound : .processing
            let message = error.status == .notFound ? "no FHIR interaction at this URL" : "the request could not be processed"
            return FHIRResponse.outcome(FHIRError(error.status, code, message))
        } catch {
            context.logger.error("unexpected failure", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            context.logger.debug("unexpected failure detail", metadata: ["detail": "\(error)"])
            return FHIRResponse.outcome(FHIRError(.internalServerError, .exception, "the server failed to process the request"))
        }
    }
}
