import Foundation
import Synchronization

/// Requests a second each caller may make, as a token bucket per key (a user, or the address
/// of a client without a valid token): up to `burst` at once, refilled at `perSecond`. A
/// person's session or a probing script past its rate gets 429 before any route runs, so one
/// caller cannot crowd out the rest or flood the audit log. Bounded: past `capacity` keys,
/// full buckets (callers idle long enough to have refilled) are forgotten first.
final class RateLimiter: Sendable {
    let perSecond: Double
    let burst: Double
    static let capacity = 100_000

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = Double(burst)
    }

    /// Takes one request from `key`'s bucket; false when it is empty.
    func allow(_ key: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.updated) * perSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if buckets.count >= Self.capacity, buckets[key] == nil {
                let burst = burst, perSecond = perSecond
                buckets = buckets.filter { $0.value.tokens + (now - $0.value.updated) * perSecond < burst }
            }
            buckets[key] = bucket
            return allowed
        }
    }
}

/// The rates `AuthenticationMiddleware` holds callers to; which roles are held is the access
/// policy's (`RolePolicy.rateLimited`: not systems in the standard table).
public struct RateLimits: Sendable {
    /// Per user of a valid token whose role is rate-limited.
    public var userPerSecond: Double
    public var userBurst: Int
    /// Per client address, for requests without a valid token.
    public var anonymousPerSecond: Double
    public var anonymousBurst: Int

    public init(userPerSecond: Double = 50, userBurst: Int = 200, anonymousPerSecond: Double = 10, anonymousBurst: Int = 20) {
        self.userPerSecond = userPerSecond
        self.userBurst = userBurst
        self.anonymousPerSecond = anonymousPerSecond
        self.anonymousBurst = anonymousBurst
    }
}
