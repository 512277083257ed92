import Foundation

/// The claims JoinedUp's tokens carry (RFC 7519's registered ones, and the SMART and
/// project-specific ones: `org`, `role`, `scope`, `patient`).
public struct TokenClaims: Sendable, Codable, Equatable {
    public var iss: String
    public var sub: String
    public var iat: Double
    public var exp: Double
    public var nbf: Double?
    public var jti: String?
    /// The ODS code of the organisation the user acts for.
    public var org: String?
    public var role: String
    /// Space-separated SMART scopes.
    public var scope: String
    /// The patient id a `patient/` scope is about.
    public var patient: String?

    public init(iss: String, sub: String, issuedAt: Date, expires: Date, notBefore: Date? = nil, jti: String? = nil,
                org: String?, role: String, scope: String, patient: String? = nil) {
        self.iss = iss
        self.sub = sub
        self.iat = issuedAt.timeIntervalSince1970.rounded(.down)
        self.exp = expires.timeIntervalSince1970.rounded(.down)
        self.nbf = notBefore.map { $0.timeIntervalSince1970.rounded(.down) }
        self.jti = jti
        self.org = org
        self.role = role
        self.scope = scope
        self.patient = patient
    }
}
