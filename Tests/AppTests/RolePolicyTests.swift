import Access
import FHIR
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension FHIRServerTests {
    /// The access policy on the real server: a token's scopes can grant more than its holder's
    /// role may do, and the role's row decides (403 naming the role and the policy's version);
    /// what a role may not read never comes back through a search's includes either; and a
    /// deployment's own table replaces the standard one.
    @Suite("Access: what each role may do")
    struct RolePolicyTests {
        @Test func aRoleDoesOnlyWhatItsRowAllowsWhateverItsScopes() async throws {
            try await TestServer.run { client, record in
                let alice = try await client.create(Mock.patient(family: "Ashworth"))
                let pulse = try await client.create(Mock.observation(subject: "Patient/\(alice)"))
                let coverage = try await client.create(["resourceType": "Coverage", "status": "active",
                                                        "beneficiary": ["reference": .string("Patient/\(alice)")],
                                                        "payor": [["reference": .string("Patient/\(alice)")]]])
                // The council (X24) has Alice's social care episode open: its staff are joined to her.
                try await client.openEpisode(for: alice, organisation: "X24")
                let finance = client.as(try client.token(role: "finance-officer", organisation: "X24", scope: "user/*.*", user: "fo-1"))
                #expect(try await finance.get("/fhir/Coverage/\(coverage)").status == .ok)
                #expect(try await finance.get("/fhir/Patient/\(alice)").status == .ok)
                let refused = try await finance.get("/fhir/Observation/\(pulse)")
                let outcome = try expectOutcome(refused, .forbidden, code: "forbidden")
                #expect(outcome["issue"]?[0]?["diagnostics"] == "the finance-officer role may not read Observation (access policy 2026-11-26)")
                #expect(try await finance.get("/fhir/Observation?subject=Patient/\(alice)").status == .forbidden)
                #expect(try await finance.get("/fhir/Patient?_has:Observation:subject:code=x").status == .forbidden)
                #expect(try await finance.get("/fhir/Patient/\(alice)/$everything").status == .forbidden)
                #expect(try await finance.post("/fhir/Observation", Mock.observation(subject: "Patient/\(alice)")).status == .forbidden)
                // Includes of a type the role may not read are left out, as for scopes.
                let page = try await finance.get("/fhir/Patient?_id=\(alice)&_revinclude=Observation:subject&_revinclude=Coverage:beneficiary")
                #expect(page.status == .ok)
                let types = try page.json()["entry"]?.elements.compactMap { $0["resource"]?["resourceType"]?.stringValue } ?? []
                #expect(Set(types) == ["Patient", "Coverage"], "\(types)")
                // A bundle entry the role may not do refuses the bundle, at that entry.
                let bundle = Mock.bundle("transaction", [Mock.entry("POST", "Coverage", resource: ["resourceType": "Coverage", "status": "active",
                                                                                                   "beneficiary": ["reference": .string("Patient/\(alice)")],
                                                                                                   "payor": [["reference": .string("Patient/\(alice)")]]]),
                                                         Mock.entry("POST", "Observation", resource: Mock.observation(subject: "Patient/\(alice)"))])
                _ = try expectOutcome(try await finance.post("/fhir", bundle), .forbidden, code: "forbidden", expression: "Bundle.entry[1]")
                #expect(try await record.allVersions().count == 5)

                let socialWorker = client.as(try client.token(role: "social-worker", organisation: "X24", scope: "user/*.*"))
                #expect(try await socialWorker.post("/fhir/CarePlan", ["resourceType": "CarePlan", "status": "active", "intent": "plan",
                                                                       "subject": ["reference": .string("Patient/\(alice)")]]).status == .created)
                #expect(try await socialWorker.post("/fhir/Observation", Mock.observation(subject: "Patient/\(alice)")).status == .forbidden)
                let analyst = client.as(try client.token(role: "analyst", organisation: "X24", scope: "user/*.read"))
                #expect(try await analyst.get("/fhir/Patient/\(alice)").status == .forbidden)
                // Each refusal is in the audit log, with the reason.
                let refusals = try await record.auditLog().filter { $0.status == 403 }
                #expect(refusals.contains { $0.agent.role == "analyst" && $0.detail?.contains("the analyst role may not read Patient") == true })
            }
        }

        @Test func aDeploymentsOwnPolicyReplacesTheStandardOne() async throws {
            var rows = Role.all.map { "\"\($0.code)\": {\"read\": [\"*\"], \"write\": [\"*\"]}" }
            rows[rows.firstIndex { $0.hasPrefix("\"gp\"") }!] = "\"gp\": {\"read\": [\"Patient\"], \"write\": []}"
            let policy = try AccessPolicy(json: Data("{\"version\": \"leeds-7\", \"roles\": {\(rows.joined(separator: ","))}}".utf8))
            try await TestServer.run(policy: policy) { client, _ in
                let alice = try await client.create(Mock.patient(family: "Ashworth"))
                let pulse = try await client.create(Mock.observation(subject: "Patient/\(alice)"))
                let gp = client.as(try client.token(role: "gp", scope: "user/*.*"))
                #expect(try await gp.get("/fhir/Patient/\(alice)").status == .ok)
                let refused = try expectOutcome(try await gp.get("/fhir/Observation/\(pulse)"), .forbidden)
                #expect(refused["issue"]?[0]?["diagnostics"]?.stringValue?.hasSuffix("(access policy leeds-7)") == true)
            }
        }
    }
}
