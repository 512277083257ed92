import Access
import CareRecord
import FHIR
import Foundation
import Hummingbird

/// Every request but the open ones (the CapabilityStatement, the health check) carries a
/// bearer token that `TokenVerifier` accepts; the principal it names goes into the context.
/// A request without one, or with one refused, gets 401 and an OperationOutcome saying why,
/// with the `WWW-Authenticate` challenge of RFC 6750, before any route runs.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// The keys to check with, as they are now (`KeyRing.current`).
    let keys: @Sendable () -> KeySet
    let tokens: VerifiedTokens
    let users: RateLimiter
    let anonymous: RateLimiter
    let relationships: CareRelationships

    init(keys: @escaping @Sendable () -> KeySet, policy: AccessPolicy, limits: RateLimits = RateLimits(),
         relationships: CareRelationships = .standard) {
        self.keys = keys
        self.relationships = relationships
        tokens = VerifiedTokens(policy: policy)
        users = RateLimiter(perSecond: limits.userPerSecond, burst: limits.userBurst)
        anonymous = RateLimiter(perSecond: limits.anonymousPerSecond, burst: limits.anonymousBurst)
    }

    static let openPaths: Set<String> = ["/health", "/fhir/metadata"]

    /// Whether `request` is one anyone may make (and no audit entry records).
    static func isOpen(_ request: Request) -> Bool {
        (request.method == .get || request.method == .head) && openPaths.contains(request.uri.path)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isOpen(request) {
            return try await next(request, context)
        }
        let verified: Result<Principal, TokenRejection>
        if let token = Self.bearerToken(request.headers[.authorization]) {
            let keys = keys()
            verified = Result { () throws(TokenRejection) in try tokens.principal(token, keys: keys) }
        } else {
            verified = .failure(.missing)
        }
        switch verified {
        case .success(let principal):
            RequestAudit.current?.identify(AuditAgent(user: principal.user, organisation: principal.organisation,
                                                      role: principal.role.code, patient: principal.patient))
            if principal.policy.rateLimited, !users.allow(principal.user) { return Self.throttled() }
            var context = context
            context.principal = principal
            // Staff held to their care relationships see, for the whole request, only the
            // records of people they have one with (`RecordViewer`, enforced in the record's
            // SQL). Patient tokens are kept to their own patient by the routes.
            if principal.policy.heldToRelationships, !principal.isPatientScoped {
                let viewer = RecordViewer(user: principal.user, organisation: principal.organisation, relationships: relationships)
                return try await RecordViewer.$current.withValue(viewer) { try await next(request, context) }
            }
            return try await next(request, context)
        case .failure(let rejection):
            if !anonymous.allow(context.remoteAddress?.ipAddress ?? "unknown") { return Self.throttled() }
            context.logger.info("token refused", metadata: ["reason": "\(rejection)"])
            return Self.challenge(rejection)
        }
    }

    /// The token of `Authorization: Bearer <token>` (the scheme in any case, spaces or tabs
    /// around the token), nil otherwise. Read byte by byte: Foundation's trimming, through
    /// UTF-16, was a seventh of the server's time on a read by id.
    static func bearerToken(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let scheme = "bearer".utf8
        let bytes = header.utf8
        guard bytes.count > scheme.count,
              zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        var start = bytes.index(bytes.startIndex, offsetBy: scheme.count)
        guard bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") else { return nil }
        var end = bytes.endIndex
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start = bytes.index(after: start) }
        while end > start {
            let last = bytes.index(before: end)
            guard bytes[last] == UInt8(ascii: " ") || bytes[last] == UInt8(ascii: "\t") else { break }
            end = last
        }
        return start < end ? header[start..<end] : nil
    }

    /// 429, with `Retry-After` (a second refills at least one request at any rate configured).
    static func throttled() -> Response {
        var response = FHIRResponse.outcome(FHIRError(.tooManyRequests, .throttled,
                                                      "too many requests from this caller: slow down and try again"))
        response.headers[.retryAfter] = "1"
        return response
    }

    static func challenge(_ rejection: TokenRejection) -> Response {
        let code: FHIRIssue.Code = rejection == .expired ? .expired : .login
        var response = FHIRResponse.outcome(FHIRError(.unauthorized, code, rejection.description))
        // RFC 6750 §3: no error code when no token was sent; `invalid_token` otherwise.
        response.headers[.wwwAuthenticate] = rejection == .missing
            ? "Bearer realm=\"joinedup\""
            : "Bearer realm=\"joinedup\", error=\"invalid_token\", error_description=\"\(headerSafe(rejection.description))\""
        return response
    }

    /// RFC 6750's `error_description` allows printable ASCII but `"` and backslash; a rejection
    /// can quote the token's own text (its algorithm), which must not shape the header.
    static func headerSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x20...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\" ? scalar : "?"
        }))
    }
}
