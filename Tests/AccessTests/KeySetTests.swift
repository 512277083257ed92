import Foundation
import Testing
@testable import Access

@Suite("Key files and rotation")
struct KeySetTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).json").path
    }

    func claims(_ keys: KeySet) -> TokenClaims {
        TokenClaims(iss: keys.issuer, sub: "u", issuedAt: Date(), expires: Date().addingTimeInterval(600),
                    org: "RXX", role: "nurse", scope: "user/*.read")
    }

    @Test func aSavedFileIsOwnerOnlyAndReadsBackTheSameKeys() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var keys = KeySet(issuer: "area", keys: [.generate(.es256)])
        keys.rotate(to: .generate(.hs256))
        try keys.save(to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let loaded = try KeySet.load(from: path)
        #expect(loaded.issuer == "area")
        #expect(loaded.keys.map(\.id) == keys.keys.map(\.id))
        // A token signed before the save verifies with the keys read back.
        let token = try TokenIssuer.issue(claims(keys), with: keys)
        #expect(try TokenVerifier().verify(Substring(token), keys: loaded).role.code == "nurse")
    }

    @Test func rotationKeepsOldTokensUntilTheirKeyIsRetired() throws {
        var keys = KeySet(issuer: "area")
        let old = try TokenIssuer.issue(claims(keys), with: keys)
        let oldKey = keys.signing!.id
        keys.rotate()
        let new = try TokenIssuer.issue(claims(keys), with: keys)
        #expect(keys.signing!.id != oldKey)
        #expect(throws: Never.self) { try TokenVerifier().verify(Substring(old), keys: keys) }
        try keys.retire(oldKey)
        #expect(throws: TokenRejection.unknownKey) { try TokenVerifier().verify(Substring(old), keys: keys) }
        #expect(throws: Never.self) { try TokenVerifier().verify(Substring(new), keys: keys) }
        #expect(throws: KeySetError.self) { try keys.retire(keys.signing!.id) }
    }

    @Test func aRunningKeyRingSeesARotationAndKeepsItsKeysThroughABadEdit() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var keys = KeySet(issuer: "area")
        try keys.save(to: path)
        let failures = Failures()
        let ring = try KeyRing(path: path) { failures.add("\($0)") }
        keys.rotate()
        try keys.save(to: path)
        let later = Date().addingTimeInterval(2)
        #expect(ring.current(now: later).keys.count == 2)
        try Data("{ half written".utf8).write(to: URL(fileURLWithPath: path))
        #expect(ring.current(now: later.addingTimeInterval(2)).keys.count == 2)
        #expect(failures.count == 1)
        // Gone: no key is trusted until it is back.
        try FileManager.default.removeItem(atPath: path)
        #expect(ring.current(now: later.addingTimeInterval(4)).keys.isEmpty)
        try keys.save(to: path)
        #expect(ring.current(now: later.addingTimeInterval(6)).keys.count == 2)
    }

    @Test func aSecretReplacedUnderTheSameIdIsAnotherKey() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let keys = KeySet(issuer: "area")
        try keys.save(to: path)
        // The file as someone would have it after swapping a leaked secret but keeping its id.
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let old = Base64URL.encode(keys.keys[0].secret)
        text = text.replacingOccurrences(of: old, with: Base64URL.encode(SigningKey.generate().secret))
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let swapped = try KeySet.load(from: path)
        #expect(swapped.keys[0].id == keys.keys[0].id)
        #expect(swapped.fingerprint != keys.fingerprint)
    }

    @Test(arguments: ["{}", "{\"issuer\":\"a\",\"keys\":[]}", "not json",
                      "{\"issuer\":\"a\",\"keys\":[{\"kid\":\"k\",\"alg\":\"ES256\",\"created\":\"2026-01-01T00:00:00Z\",\"secret\":\"AAAA\"}]}",
                      "{\"issuer\":\"a\",\"keys\":[{\"kid\":\"k\",\"alg\":\"HS256\",\"created\":\"2026-01-01T00:00:00Z\",\"secret\":\"c2hvcnQ\"}]}",
                      "{\"issuer\":\"a\",\"keys\":[{\"kid\":\"k\",\"alg\":\"RS256\",\"created\":\"2026-01-01T00:00:00Z\",\"secret\":\"c2hvcnQ\"}]}"])
    func invalidFilesAreRefusedWithAReason(_ text: String) throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: KeySetError.self) { try KeySet.load(from: path) }
    }

    @Test func base64URLDecodingIsStrict() {
        #expect(Base64URL.decode("AQID") == [1, 2, 3])
        #expect(Base64URL.decode("AQI") == [1, 2])
        #expect(Base64URL.decode("AQJ") == nil)      // nonzero unused bits: a second spelling
        #expect(Base64URL.decode("AQ==") == nil)     // padding
        #expect(Base64URL.decode("A+/_") == nil)     // standard alphabet
        #expect(Base64URL.decode("A") == nil)
    }
}

/// Reload failures, counted from the ring's callback.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var count: Int { lock.withLock { messages.count } }
}

@Suite("Verified tokens, remembered")
struct VerifiedTokensTests {
    @Test func aRememberedTokenStillExpiresAndDiesWithItsKey() throws {
        var keys = KeySet(issuer: "area")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let claims = TokenClaims(iss: "area", sub: "u", issuedAt: now, expires: now.addingTimeInterval(300),
                                 org: "RXX", role: "nurse", scope: "user/*.read")
        let token = Substring(try TokenIssuer.issue(claims, with: keys))
        let remembered = VerifiedTokens()
        #expect(try remembered.principal(token, keys: keys, now: now).user == "u")
        #expect(try remembered.principal(token, keys: keys, now: now.addingTimeInterval(200)).user == "u")
        #expect(throws: TokenRejection.expired) { try remembered.principal(token, keys: keys, now: now.addingTimeInterval(400)) }
        let oldKey = keys.signing!.id
        keys.rotate()
        #expect(try remembered.principal(token, keys: keys, now: now).user == "u", "a rotation keeps it")
        try keys.retire(oldKey)
        #expect(throws: TokenRejection.unknownKey) { try remembered.principal(token, keys: keys, now: now) }
    }
}
