import Crypto
import Foundation

public enum KeySetError: Error, CustomStringConvertible, Equatable {
    case unreadable(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .unreadable(let why): "cannot read the key file: \(why)"
        case .invalid(let why): "the key file is not valid: \(why)"
        }
    }
}

/// The keys tokens are signed and checked with, and the issuer they name. Rotation: a new
/// key is added and signs from then on, while tokens signed by the keys before it still
/// verify until those keys are retired (removed), so no one is logged out by a rotation.
///
/// Kept as a JSON file that only its owner may read (`save` writes it 0600):
/// `{"issuer": "...", "keys": [{"kid", "alg", "created", "secret"}]}`, the secret in
/// Base64URL.
public struct KeySet: Sendable {
    public private(set) var issuer: String
    /// Oldest first; the last signs.
    public private(set) var keys: [SigningKey] {
        didSet { fingerprint = Self.fingerprint(issuer, keys) }
    }
    /// Says which keys these are (the issuer, and every key's id and a digest of its secret,
    /// so a secret replaced under the same id counts as another key), so that what was
    /// verified with other keys is not trusted (`VerifiedTokens`).
    public private(set) var fingerprint: String

    public init(issuer: String = "joinedup", keys: [SigningKey] = [.generate()]) {
        self.issuer = issuer
        self.keys = keys.sorted { $0.created < $1.created }
        fingerprint = Self.fingerprint(issuer, self.keys)
    }

    private static func fingerprint(_ issuer: String, _ keys: [SigningKey]) -> String {
        ([issuer] + keys.map { key in key.id + ":" + SHA256.hash(data: key.secret).map { String($0, radix: 16) }.joined() })
            .joined(separator: " ")
    }

    /// The key new tokens are signed with: the newest.
    public var signing: SigningKey? { keys.last }

    public func key(id: String) -> SigningKey? { keys.first { $0.id == id } }

    /// Adds `key`, which signs from now on.
    public mutating func rotate(to key: SigningKey = .generate()) {
        keys.append(key)
    }

    /// Removes key `id`: tokens it signed stop verifying. The last key cannot go.
    public mutating func retire(_ id: String) throws {
        guard keys.contains(where: { $0.id == id }) else { throw KeySetError.invalid("no key '\(id)'") }
        guard keys.count > 1 else { throw KeySetError.invalid("'\(id)' is the only key: rotate to a new one first") }
        keys.removeAll { $0.id == id }
    }

    // MARK: The file

    private struct Stored: Codable {
        struct Key: Codable {
            var kid: String
            var alg: SigningKey.Algorithm
            var created: Date
            var secret: String
        }
        var issuer: String
        var keys: [Key]
    }

    public static func load(from path: String) throws -> KeySet {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw KeySetError.unreadable("\(path): \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let stored: Stored
        do { stored = try decoder.decode(Stored.self, from: data) } catch {
            throw KeySetError.invalid("\(path): \(error)")
        }
        guard !stored.keys.isEmpty else { throw KeySetError.invalid("\(path) holds no keys") }
        guard Set(stored.keys.map(\.kid)).count == stored.keys.count else {
            throw KeySetError.invalid("\(path) names a key id twice")
        }
        let keys = try stored.keys.map { key in
            guard let secret = Base64URL.decode(Substring(key.secret)) else {
                throw KeySetError.invalid("the secret of key '\(key.kid)' is not Base64URL")
            }
            do { return try SigningKey(id: key.kid, algorithm: key.alg, created: key.created, secret: secret) } catch let error as KeySetError {
                throw error
            } catch {
                throw KeySetError.invalid("key '\(key.kid)' is not a valid \(key.alg.rawValue) key")
            }
        }
        return KeySet(issuer: stored.issuer, keys: keys)
    }

    /// Writes the file readable by its owner only, replacing any before it whole (a reader
    /// never sees half a file).
    public func save(to path: String) throws {
        let stored = Stored(issuer: issuer, keys: keys.map {
            Stored.Key(kid: $0.id, alg: $0.algorithm, created: $0.created, secret: Base64URL.encode($0.secret))
        })
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(stored)
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw KeySetError.unreadable("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw KeySetError.unreadable("cannot replace \(path): \(reason)")
        }
    }
}
