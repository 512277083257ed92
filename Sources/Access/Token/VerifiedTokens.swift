import Foundation
import Synchronization

/// Tokens already verified, so a client's every request does not pay for an ECDSA check (tens
/// of microseconds, a large share of a read by id). An entry holds until its token expires
/// and only while the key set is the one that verified it: a retired key's tokens stop at
/// once. Bounded: when full it starts again empty, which costs one verification a client.
public final class VerifiedTokens: Sendable {
    public static let capacity = 10_000

    private struct Entry {
        let principal: Principal
        let keys: String
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let verifier: TokenVerifier

    public init(policy: AccessPolicy = .standard) {
        verifier = TokenVerifier(policy: policy)
    }

    public func principal(_ token: Substring, keys: KeySet, now: Date = Date()) throws(TokenRejection) -> Principal {
        let text = String(token)
        if let entry = entries.withLock({ $0[text] }), entry.keys == keys.fingerprint,
           now.timeIntervalSince1970 < entry.principal.expires.timeIntervalSince1970 + TokenVerifier.leeway {
            return entry.principal
        }
        let principal = try verifier.verify(token, keys: keys, now: now)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[text] = Entry(principal: principal, keys: keys.fingerprint)
        }
        return principal
    }
}
