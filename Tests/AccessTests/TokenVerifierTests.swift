import Foundation
import Testing
@testable import Access

/// Tokens as an attacker would make them: each is refused for the right reason, and a good one
/// says who it is for.
@Suite("Bearer tokens")
struct TokenVerifierTests {
    let keys = KeySet(issuer: "joinedup-test")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func claims(expiresIn seconds: TimeInterval = 3600, role: String = "gp", org: String? = "A81001",
                scope: String = "user/*.read", patient: String? = nil, issuer: String? = nil) -> TokenClaims {
        TokenClaims(iss: issuer ?? keys.issuer, sub: "dr-jones", issuedAt: now, expires: now.addingTimeInterval(seconds),
                    jti: "t1", org: org, role: role, scope: scope, patient: patient)
    }

    func verify(_ token: String, keys: KeySet? = nil, at date: Date? = nil) throws(TokenRejection) -> Principal {
        try TokenVerifier().verify(Substring(token), keys: keys ?? self.keys, now: date ?? now)
    }

    @Test func aGoodTokenSaysWhoItIsFor() throws {
        let token = try TokenIssuer.issue(claims(scope: "openid user/Observation.rs user/Patient.read"), with: keys)
        let principal = try verify(token)
        #expect(principal.user == "dr-jones")
        #expect(principal.organisation == "A81001")
        #expect(principal.role.code == "gp")
        #expect(principal.may(.search, "Observation"))
        #expect(principal.may(.read, "Patient"))
        #expect(!principal.may(.create, "Observation"))
        #expect(!principal.may(.read, "Condition"))
    }

    @Test func bothAlgorithmsSignAndVerify() throws {
        for algorithm in SigningKey.Algorithm.allCases {
            let keys = KeySet(issuer: "joinedup-test", keys: [.generate(algorithm)])
            #expect(try verify(TokenIssuer.issue(claims(), with: keys), keys: keys).user == "dr-jones")
        }
    }

    @Test func anExpiredTokenIsRefusedAfterTheLeeway() throws {
        let token = try TokenIssuer.issue(claims(expiresIn: 60), with: keys)
        #expect(throws: Never.self) { try verify(token, at: now.addingTimeInterval(100)) }
        #expect(throws: TokenRejection.expired) { try verify(token, at: now.addingTimeInterval(121)) }
    }

    @Test func aTokenFromTheFutureIsRefused() throws {
        let token = try TokenIssuer.issue(claims(), with: keys)
        #expect(throws: TokenRejection.notYetValid) { try verify(token, at: now.addingTimeInterval(-600)) }
    }

    @Test func aChangedPayloadBreaksTheSignature() throws {
        let token = try TokenIssuer.issue(claims(scope: "user/Observation.read"), with: keys)
        let parts = token.split(separator: ".")
        let widened = try JSONEncoder().encode(claims(scope: "system/*.*"))
        let forged = [String(parts[0]), Base64URL.encode(widened), String(parts[2])].joined(separator: ".")
        #expect(throws: TokenRejection.badSignature) { try verify(forged) }
    }

    @Test func aTokenSignedByAnotherKeyIsRefused() throws {
        let stranger = KeySet(issuer: keys.issuer)
        #expect(throws: TokenRejection.unknownKey) { try verify(TokenIssuer.issue(claims(), with: stranger)) }
        // The same key id as ours, but another key's signature.
        let impostor = SigningKey.generate()
        let token = try TokenIssuer.issue(claims(), header: ["alg": "ES256", "kid": keys.signing!.id], key: impostor)
        #expect(throws: TokenRejection.badSignature) { try verify(token) }
    }

    @Test func noneAndSwappedAlgorithmsAreRefused() throws {
        let kid = keys.signing!.id
        let encoder = JSONEncoder()
        let unsigned = Base64URL.encode(try encoder.encode(["alg": "none", "kid": kid])) + "."
            + Base64URL.encode(try encoder.encode(claims())) + "."
        #expect(throws: TokenRejection.unsupportedAlgorithm("none")) { try verify(unsigned) }
        // HS256 named for an ES256 key: refused before any HMAC is tried.
        let hmac = SigningKey.generate(.hs256)
        let swapped = try TokenIssuer.issue(claims(), header: ["alg": "HS256", "kid": kid], key: hmac)
        #expect(throws: TokenRejection.unsupportedAlgorithm("HS256")) { try verify(swapped) }
    }

    @Test func anotherIssuerIsRefused() throws {
        #expect(throws: TokenRejection.wrongIssuer) { try verify(TokenIssuer.issue(claims(issuer: "elsewhere"), with: keys)) }
    }

    @Test(arguments: [
        "", "abc", "a.b", "a.b.c.d", "....", "!!.??.**",
        "eyJhbGciOiJFUzI1NiJ9.e30.", // a header without kid
        String(repeating: "a", count: 9_000),
    ])
    func malformedTokensAreRefused(_ token: String) {
        #expect(throws: TokenRejection.self) { try verify(token) }
    }

    @Test func claimsAreChecked() throws {
        let cases: [(TokenClaims, String)] = [
            (claims(role: "superuser"), "role"),
            (claims(org: nil), "ODS"),
            (claims(org: "a81001; DROP"), "ODS"),
            (claims(scope: "user/Unicorn.read"), "Unicorn"),
            (claims(scope: "user/Observation.srd"), "SMART"),
            (claims(scope: "user/Observation.rs?category=labs"), "SMART"),
            (claims(scope: "root/*.*"), "SMART"),
            (claims(role: "person", org: nil, scope: "patient/*.read"), "patient"),
            (claims(role: "person", org: nil, scope: "patient/*.read user/*.read", patient: "p1"), "patient/"),
        ]
        for (claims, fragment) in cases {
            let token = try TokenIssuer.issue(claims, with: keys)
            do {
                _ = try verify(token)
                Issue.record("accepted a token with \(claims.scope) / \(claims.role)")
            } catch {
                guard case .invalidClaim(let why) = error else { Issue.record("refused for \(error), not its claims"); continue }
                #expect(why.contains(fragment), "\(why)")
            }
        }
    }

    @Test func aPatientTokenIsForItsPatient() throws {
        let token = try TokenIssuer.issue(claims(role: "person", org: nil, scope: "patient/*.read", patient: "p1"), with: keys)
        let principal = try verify(token)
        #expect(principal.patient == "p1")
        #expect(principal.isPatientScoped)
        #expect(!principal.may(.read, "Observation"))
        #expect(principal.may(.read, "Observation", in: [.patient]))
    }

    @Test func aPayloadWithoutRequiredClaimsIsRefused() throws {
        let token = try TokenIssuer.issue(["iss": keys.issuer, "sub": "x"], header: ["alg": "ES256", "kid": keys.signing!.id],
                                          key: keys.signing!)
        #expect(throws: TokenRejection.self) { try verify(token) }
    }
}
