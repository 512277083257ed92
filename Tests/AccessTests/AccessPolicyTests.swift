import Foundation
import Testing
@testable import Access

/// The access policy as data: the standard table gives each role what its work needs and no
/// more, a deployment's own table replaces it whole, and a table that is wrong is refused with
/// a reason rather than read half-way.
@Suite("Access policy")
struct AccessPolicyTests {
    let keys = KeySet(issuer: "joinedup-test")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func principal(role: String, scope: String = "user/*.*", policy: AccessPolicy = .standard) throws -> Principal {
        let claims = TokenClaims(iss: keys.issuer, sub: "u", issuedAt: now, expires: now.addingTimeInterval(3600), jti: nil,
                                 org: Role.named(role)?.isStaff == true ? "A81001" : nil, role: role, scope: scope, patient: nil)
        return try TokenVerifier(policy: policy).verify(Substring(try TokenIssuer.issue(claims, with: keys)), keys: keys, now: now)
    }

    @Test func theStandardTableGivesEachRoleItsWork() throws {
        let gp = try principal(role: "gp")
        #expect(gp.may(.read, "Observation") && gp.may(.create, "Observation") && gp.mayOnEveryType(.read))
        let finance = try principal(role: "finance-officer")
        #expect(finance.may(.read, "Coverage") && finance.may(.create, "Invoice"))
        #expect(!finance.may(.read, "Observation") && !finance.may(.search, "Condition"), "no clinical data for finance")
        #expect(!finance.mayOnEveryType(.read))
        #expect(finance.scopesAllow(.read, "Observation"), "the scopes would allow it: the role does not")
        let socialWorker = try principal(role: "social-worker")
        #expect(socialWorker.may(.create, "CarePlan") && socialWorker.may(.read, "Condition"))
        #expect(!socialWorker.may(.create, "Observation") && !socialWorker.may(.read, "DiagnosticReport"))
        let analyst = try principal(role: "analyst")
        #expect(!analyst.may(.read, "Patient") && analyst.may(.read, "MeasureReport"))
        // Clinical, care and finance staff see only the people they care for; systems, privacy
        // officers and those who see no one's record are not held to relationships.
        let held = Set(Role.all.filter { AccessPolicy.standard.policy(for: $0).heldToRelationships }.map(\.code))
        #expect(held == ["gp", "nurse", "hospital-clinician", "discharge-coordinator", "social-worker", "occupational-therapist",
                         "care-provider", "finance-officer"])
        let officer = try principal(role: "privacy-officer")
        #expect(officer.may(.search, "AuditEvent") && officer.policy.readsWholeAuditLog && !officer.may(.read, "Observation"))
        #expect(try !principal(role: "gp").policy.readsWholeAuditLog)
        #expect(try principal(role: "system").policy.readsWholeAuditLog)
        // Scopes still narrow a role allowed everything.
        let reader = try principal(role: "gp", scope: "user/Patient.read")
        #expect(reader.may(.read, "Patient") && !reader.may(.read, "Observation") && !reader.mayOnEveryType(.read))
        #expect(Role.all.allSatisfy { AccessPolicy.standard.policy(for: $0).allows(.read, "Patient") || ["commissioner", "analyst"].contains($0.code) })
    }

    @Test func aDeploymentsOwnTableReplacesTheStandardOne() throws {
        var rows = Role.all.map { "\"\($0.code)\": {\"read\": [\"*\"], \"write\": [\"*\"]}" }
        rows[0] = "\"gp\": {\"read\": [\"Patient\"], \"write\": []}"
        let own = try AccessPolicy(json: Data("{\"version\": \"leeds-7\", \"roles\": {\(rows.joined(separator: ","))}}".utf8))
        let gp = try principal(role: "gp", policy: own)
        #expect(gp.may(.read, "Patient") && !gp.may(.read, "Observation") && !gp.may(.create, "Patient"))
        #expect(gp.policyVersion == "leeds-7")
    }

    @Test func aWrongTableIsRefusedWithAReason() {
        let complete = Role.all.map { "\"\($0.code)\": {\"read\": [], \"write\": []}" }.joined(separator: ",")
        let cases: [(String, String)] = [
            ("not json", "not JSON"),
            (#"{"version": "1", "roles": []}"#, "not JSON of the expected shape"),
            (#"{"version": "", "roles": {\#(complete)}}"#, "needs a version"),
            (#"{"version": "1", "roles": {\#(complete), "superuser": {"read": ["*"], "write": ["*"]}}}"#, "'superuser' is not a known role"),
            (#"{"version": "1", "roles": {"gp": {"read": ["*"], "write": ["*"]}}}"#, "no row for nurse"),
            (#"{"version": "1", "roles": {\#(complete.replacingOccurrences(of: "\"gp\": {\"read\": []", with: "\"gp\": {\"read\": [\"Unicorn\"]"))}}"#,
             "'Unicorn', which is not an R4 resource type"),
        ]
        for (json, reason) in cases {
            do {
                _ = try AccessPolicy(json: Data(json.utf8))
                Issue.record("accepted: \(json.prefix(60))")
            } catch {
                #expect(error.description.contains(reason), "\(error)")
            }
        }
    }
}
