import HTTPTypes
import Hummingbird

/// Headers on every answer that keep a person's record out of places it should not reach:
/// no cache may store it (`no-store`: a shared or browser cache would keep health data after
/// the session), no browser may guess another type for it, frame it, run anything in it, or
/// tell another site where it came from. Outermost, so refusals (401, 403, 404) carry them too.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            // Errors no other middleware answered (a URL outside /fhir that nothing serves)
            // become their response here, so that they carry the headers too.
            response = try error.response(from: request, context: context)
        }
        for (name, value) in SecurityHeaders.all where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}

/// The headers themselves, made once.
enum SecurityHeaders {
    static let all: [(HTTPField.Name, String)] = [
        (.cacheControl, "no-store"),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Content-Security-Policy")!, "default-src 'none'; frame-ancestors 'none'"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
    ]
}
