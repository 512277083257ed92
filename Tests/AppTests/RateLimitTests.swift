@testable import App
import CareRecord
import FHIR
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension FHIRServerTests {
    /// Rate limits on the real server: a user past their burst gets 429 with `Retry-After`
    /// (and an OperationOutcome, and an audit entry) while other users and systems go on; a
    /// client hammering without a valid token is held to its own, lower rate, so it cannot
    /// flood the audit log.
    @Suite("Access: rate limits")
    struct RateLimitTests {
        /// Refilling so slowly that however loaded the machine, no request is refilled during a test.
        static let limits = RateLimits(userPerSecond: 0.001, userBurst: 5, anonymousPerSecond: 0.001, anonymousBurst: 3)

        @Test func aUserPastTheirRateIsHeldBackAndNoOneElseIs() async throws {
            try await TestServer.run(rateLimits: Self.limits) { client, record in
                let patient = try await client.create(Mock.patient())
                try await client.openEpisode(for: patient)
                let busy = client.as(try client.token(scope: "user/*.read", user: "busy"))
                for _ in 0..<5 { #expect(try await busy.get("/fhir/Patient/\(patient)").status == .ok) }
                let held = try await busy.get("/fhir/Patient/\(patient)")
                _ = try expectOutcome(held, .tooManyRequests, code: "throttled")
                #expect(held.headers[.retryAfter] == "1")
                #expect(!held.text.contains("Smith"))
                let other = client.as(try client.token(scope: "user/*.read", user: "other"))
                #expect(try await other.get("/fhir/Patient/\(patient)").status == .ok)
                for _ in 0..<10 { #expect(try await client.get("/fhir/Patient/\(patient)").status == .ok, "systems are not limited") }
                let held429 = try await record.auditLog().filter { $0.status == 429 }
                #expect(held429.count == 1 && held429.first?.agent.user == "busy")
            }
        }

        /// The bucket: a burst at once, then the rate, whatever the gaps between requests.
        @Test func theBucketRefillsAtItsRate() {
            let limiter = RateLimiter(perSecond: 2, burst: 3)
            #expect((0..<4).map { _ in limiter.allow("u", now: 100) } == [true, true, true, false])
            #expect(limiter.allow("u", now: 100.4) == false, "0.8 of a request refilled")
            #expect(limiter.allow("u", now: 100.5) == true)
            #expect(limiter.allow("u", now: 100.5) == false)
            #expect((0..<4).map { _ in limiter.allow("u", now: 200) } == [true, true, true, false], "refilled to the burst, no more")
            #expect(limiter.allow("v", now: 100.5), "each key its own bucket")
        }

        @Test func aClientWithoutAValidTokenIsHeldToItsOwnRate() async throws {
            try await TestServer.run(rateLimits: Self.limits) { client, record in
                let statuses = try await (0..<8).asyncMap { _ in try await client.as("forged.token.here").get("/fhir/Patient").status }
                #expect(statuses.prefix(3).allSatisfy { $0 == .unauthorized })
                #expect(statuses.dropFirst(3).allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
                #expect(try await client.get("/fhir/Patient").status == .ok, "a valid token is not held by others' failures")
                #expect(try await record.auditLog().count == 9, "each attempt is recorded, held back or not")
            }
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
