import Crypto
import Foundation

/// One key of a `KeySet`: its id (the token header's `kid`), its algorithm, and the secret
/// that signs. ES256 (ECDSA on P-256) is the default: anyone holding the public half can
/// verify without being able to sign. HS256 (HMAC-SHA-256) shares one secret between signer
/// and verifier, for a deployment whose identity provider issues such tokens.
public struct SigningKey: Sendable {
    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        case es256 = "ES256"
        case hs256 = "HS256"
    }

    public let id: String
    public let algorithm: Algorithm
    /// When the key was made: the newest signs, the others only verify.
    public let created: Date
    private let material: Material

    private enum Material: Sendable {
        case p256(P256.Signing.PrivateKey)
        case hmac(SymmetricKey)
    }

    /// A new random key of `algorithm`, its id random too.
    public static func generate(_ algorithm: Algorithm = .es256, created: Date = Date()) -> SigningKey {
        let id = Base64URL.encode(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
        switch algorithm {
        case .es256: return SigningKey(id: id, algorithm: algorithm, created: created, material: .p256(P256.Signing.PrivateKey()))
        case .hs256: return SigningKey(id: id, algorithm: algorithm, created: created, material: .hmac(SymmetricKey(size: .bits256)))
        }
    }

    private init(id: String, algorithm: Algorithm, created: Date, material: Material) {
        self.id = id
        self.algorithm = algorithm
        self.created = created
        self.material = material
    }

    /// A key from its stored secret: the raw P-256 scalar (32 bytes) or the HMAC secret (at
    /// least 32 bytes, as RFC 7518 §3.2 asks of HS256).
    init(id: String, algorithm: Algorithm, created: Date, secret: [UInt8]) throws {
        switch algorithm {
        case .es256:
            self.init(id: id, algorithm: algorithm, created: created, material: .p256(try P256.Signing.PrivateKey(rawRepresentation: secret)))
        case .hs256:
            guard secret.count >= 32 else { throw KeySetError.invalid("HS256 key '\(id)' is shorter than 32 bytes") }
            self.init(id: id, algorithm: algorithm, created: created, material: .hmac(SymmetricKey(data: secret)))
        }
    }

    /// The stored secret (`init(id:algorithm:created:secret:)` reads it back).
    var secret: [UInt8] {
        switch material {
        case .p256(let key): Array(key.rawRepresentation)
        case .hmac(let key): key.withUnsafeBytes { Array($0) }
        }
    }

    /// The public half of an ES256 key as a JWK (RFC 7517), for verifiers elsewhere; nil for
    /// HS256, whose secret is never published.
    public var publicJWK: [String: String]? {
        guard case .p256(let key) = material else { return nil }
        let point = Array(key.publicKey.rawRepresentation)  // x || y, 32 bytes each
        return ["kty": "EC", "crv": "P-256", "kid": id, "alg": algorithm.rawValue, "use": "sig",
                "x": Base64URL.encode(point[0..<32]), "y": Base64URL.encode(point[32..<64])]
    }

    func sign(_ input: [UInt8]) throws -> [UInt8] {
        switch material {
        case .p256(let key): Array(try key.signature(for: input).rawRepresentation)
        case .hmac(let key): Array(HMAC<SHA256>.authenticationCode(for: input, using: key))
        }
    }

    /// Whether `signature` signs `input` under this key. The HMAC comparison is constant
    /// time, so its timing says nothing about how much of a forged signature was right.
    func verifies(_ signature: [UInt8], of input: [UInt8]) -> Bool {
        switch material {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.publicKey.isValidSignature(parsed, for: input)
        case .hmac(let key):
            return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        }
    }
}
