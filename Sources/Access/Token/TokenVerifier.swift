import FHIR
import Foundation

/// Why a token was refused. Each says what is wrong without echoing the token or revealing
/// which keys exist.
public enum TokenRejection: Error, Equatable, CustomStringConvertible {
    case missing
    case malformed(String)
    case unsupportedAlgorithm(String)
    case unknownKey
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case invalidClaim(String)

    public var description: String {
        switch self {
        case .missing: "a bearer token is required (Authorization: Bearer ...)"
        case .malformed(let why): "the bearer token is malformed: \(why)"
        case .unsupportedAlgorithm(let alg): "the bearer token's algorithm '\(alg.prefix(20))' is not accepted"
        case .unknownKey: "the bearer token was not signed by a key this server trusts"
        case .badSignature: "the bearer token's signature does not verify"
        case .expired: "the bearer token has expired"
        case .notYetValid: "the bearer token is not valid yet"
        case .wrongIssuer: "the bearer token was issued by someone this server does not trust"
        case .invalidClaim(let why): "the bearer token's claims are not valid: \(why)"
        }
    }
}

/// Checks a bearer token and says who it is for. The header's algorithm must be the one its
/// key was made for (no `none`, and no HS256 token verified with an ES256 key's public half
/// as its secret); the signature is checked before any claim is believed; `exp` is required.
public struct TokenVerifier: Sendable {
    /// Longest token accepted: real ones are well under 2 KB.
    public static let maximumLength = 8_192
    /// Clock difference tolerated between the issuer and this server.
    public static let leeway: TimeInterval = 60

    /// The access policy whose rows the principals it makes carry.
    public let policy: AccessPolicy

    public init(policy: AccessPolicy = .standard) {
        self.policy = policy
    }

    public func verify(_ token: Substring, keys: KeySet, now: Date = Date()) throws(TokenRejection) -> Principal {
        guard token.utf8.count <= Self.maximumLength else { throw .malformed("longer than \(Self.maximumLength) bytes") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("a JWS has three parts separated by '.'") }
        guard let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]) else {
            throw .malformed("a part is not Base64URL")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)) else {
            throw .malformed("the header is not a JSON object with 'alg' and 'kid'")
        }
        guard let algorithm = SigningKey.Algorithm(rawValue: header.alg) else { throw .unsupportedAlgorithm(header.alg) }
        if let crit = header.crit, !crit.isEmpty { throw .malformed("critical header extensions are not supported") }
        guard let kid = header.kid, let key = keys.key(id: kid) else { throw .unknownKey }
        guard key.algorithm == algorithm else { throw .unsupportedAlgorithm(header.alg) }
        let signed = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard key.verifies(signature, of: signed) else { throw .badSignature }

        let claims: TokenClaims
        do { claims = try JSONDecoder().decode(TokenClaims.self, from: Data(payloadBytes)) } catch {
            throw .invalidClaim("the payload lacks a claim or has one of the wrong type (iss, sub, iat, exp, role and scope are required)")
        }
        let seconds = now.timeIntervalSince1970
        guard claims.exp.isFinite, claims.iat.isFinite else { throw .invalidClaim("a time is not a number") }
        guard claims.iss == keys.issuer else { throw .wrongIssuer }
        guard seconds < claims.exp + Self.leeway else { throw .expired }
        if let nbf = claims.nbf { guard nbf.isFinite, nbf <= seconds + Self.leeway else { throw .notYetValid } }
        guard claims.iat <= seconds + Self.leeway else { throw .notYetValid }
        return try principal(claims)
    }

    private func principal(_ claims: TokenClaims) throws(TokenRejection) -> Principal {
        guard !claims.sub.isEmpty, claims.sub.utf8.count <= 256 else { throw .invalidClaim("'sub' must be 1 to 256 characters") }
        guard let role = Role.named(claims.role) else { throw .invalidClaim("'role' \(claims.role.prefix(40)) is not a known role") }
        if let org = claims.org, !Self.isODSCode(org) { throw .invalidClaim("'org' is not an ODS code") }
        if role.isStaff, claims.org == nil { throw .invalidClaim("staff tokens carry their organisation's ODS code ('org')") }
        let scopes: [Scope]
        do { scopes = try Scope.parseAll(claims.scope) } catch { throw .invalidClaim("\(error)") }
        let patientScoped = scopes.filter { $0.context == .patient }
        if !patientScoped.isEmpty {
            guard patientScoped.count == scopes.count else {
                throw .invalidClaim("a token's resource scopes are either all patient/ scopes or none")
            }
            guard let patient = claims.patient, ResourceID.isValid(patient) else {
                throw .invalidClaim("patient/ scopes need the patient's id ('patient')")
            }
        }
        return Principal(user: claims.sub, organisation: claims.org, role: role, scopes: scopes, patient: claims.patient,
                         tokenID: claims.jti, expires: Date(timeIntervalSince1970: claims.exp), policy: policy)
    }

    /// ODS codes are 3 to 10 letters and digits (a trust `RXX`, a practice `A81001`).
    static func isODSCode(_ code: String) -> Bool {
        (3...10).contains(code.utf8.count) && code.utf8.allSatisfy {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
    }

    private struct Header: Decodable {
        var alg: String
        var kid: String?
        var crit: [String]?
    }
}
