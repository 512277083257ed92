import Foundation

/// Signs tokens with a key set's signing key: compact JWS (RFC 7515), header
/// `{"alg", "kid", "typ": "JWT"}`. Used by `joinedup token` for local use and tests; in a
/// deployment an identity provider sharing the key set would issue them.
public enum TokenIssuer {
    public static func issue(_ claims: TokenClaims, with keys: KeySet) throws -> String {
        guard let key = keys.signing else { throw KeySetError.invalid("no key to sign with") }
        return try issue(claims, header: ["alg": key.algorithm.rawValue, "kid": key.id, "typ": "JWT"], key: key)
    }

    /// A token for `user` lasting `lifetime` from `now`, with a fresh id: what `joinedup token`,
    /// the demo and the tests issue.
    public static func issue(user: String, role: String, organisation: String?, scope: String, patient: String? = nil,
                             lasting lifetime: TimeInterval, now: Date = Date(), with keys: KeySet) throws -> String {
        try issue(TokenClaims(iss: keys.issuer, sub: user, issuedAt: now, expires: now.addingTimeInterval(lifetime),
                              jti: UUID().uuidString, org: organisation, role: role, scope: scope, patient: patient),
                  with: keys)
    }

    /// Any header and claims, signed by `key`: so tests can make the tokens an attacker would
    /// (another algorithm named, a key id swapped) and see them refused.
    public static func issue<Claims: Encodable>(_ claims: Claims, header: [String: String], key: SigningKey) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let input = Base64URL.encode(try encoder.encode(header)) + "." + Base64URL.encode(try encoder.encode(claims))
        return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
    }
}
