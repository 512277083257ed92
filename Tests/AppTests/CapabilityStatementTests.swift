import CareRecord
import FHIR
import Foundation
import HTTPTypes
import Testing

extension FHIRServerTests {
    @Suite("CapabilityStatement")
    struct Capability {
        @Test func metadataDescribesTheServer() async throws {
            try await TestServer.run { fhir, _ in
                let response = try await fhir.get("/fhir/metadata")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/fhir+json; charset=utf-8")
                let statement = try response.json()
                #expect(statement["resourceType"] == "CapabilityStatement")
                #expect(statement["status"] == "active")
                #expect(statement["kind"] == "instance")
                #expect(statement["fhirVersion"] == "4.0.1")
                #expect(statement["format"]?.elements.contains("application/fhir+json") == true)
                #expect(statement["patchFormat"]?.elements.contains("application/json-patch+json") == true)

                let rest = try #require(statement["rest"]?[0])
                #expect(rest["mode"] == "server")
                let systemInteractions = Set(rest["interaction"]?.elements.compactMap { $0["code"]?.stringValue } ?? [])
                #expect(systemInteractions == ["transaction", "batch", "history-system", "search-system"])

                let resources = rest["resource"]?.elements ?? []
                #expect(resources.count >= 140)
                let types = resources.compactMap { $0["type"]?.stringValue }
                #expect(types.count == resources.count)
                #expect(Set(types).count == types.count)
                for type in ["Patient", "Observation", "Encounter", "Bundle", "Binary", "Practitioner", "Organization",
                             "MedicationRequest", "AllergyIntolerance", "Condition", "Procedure", "ExplanationOfBenefit"] {
                    #expect(types.contains(type), "\(type) missing")
                }
                // Only concrete resource types can be read and written.
                #expect(!types.contains("Resource"))
                #expect(!types.contains("DomainResource"))

                let patient = try #require(resources.first { $0["type"] == "Patient" })
                let interactions = patient["interaction"]?.elements.compactMap { $0["code"]?.stringValue } ?? []
                #expect(Set(interactions) == ["read", "vread", "update", "patch", "delete", "history-instance",
                                              "history-type", "create", "search-type"])
                #expect(patient["versioning"] == "versioned-update")
                #expect(patient["updateCreate"] == true)
                #expect(patient["conditionalCreate"] == true)
                #expect(patient["conditionalUpdate"] == true)
                #expect(patient["conditionalDelete"] == "single")
                let searchParams = Set(patient["searchParam"]?.elements.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(searchParams.isSuperset(of: ["_id", "_lastUpdated", "_tag", "_profile", "_security", "identifier", "name",
                                                     "family", "given", "birthdate", "gender", "address-postalcode", "general-practitioner"]))
                #expect(patient["searchInclude"]?.elements.contains("Patient:general-practitioner") == true)
                #expect(patient["searchRevInclude"]?.elements.contains("Observation:subject") == true)
                #expect(patient["operation"]?[0]?["name"] == "everything")
                // The engine's own parameters: full text everywhere it applies, near on Location only.
                #expect(searchParams.isSuperset(of: ["_text", "_content"]))
                #expect(!searchParams.contains("near"))
                let location = try #require(resources.first { $0["type"] == "Location" })
                #expect(location["searchParam"]?.elements.contains { $0["name"] == "near" && $0["type"] == "special" } == true)
                let bundle = try #require(resources.first { $0["type"] == "Bundle" })
                let bundleParams = Set(bundle["searchParam"]?.elements.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(bundleParams.contains("_content") && !bundleParams.contains("_text"), "a Bundle has no narrative")
            }
        }

        @Test func everyListedTypeIsServed() async throws {
            try await TestServer.run { fhir, _ in
                let statement = try await fhir.get("/fhir/metadata").json()
                for resource in statement["rest"]?[0]?["resource"]?.elements ?? [] {
                    let type = try #require(resource["type"]?.stringValue)
                    let interactions = Set(resource["interaction"]?.elements.compactMap { $0["code"]?.stringValue } ?? [])
                    // Each type by the interaction that reaches all of it: its history, or,
                    // for the audit log (no history), its search.
                    let uri = interactions.contains("history-type") ? "/fhir/\(type)/_history?_count=1" : "/fhir/\(type)?patient=x&_count=1"
                    #expect(interactions.contains("history-type") || interactions.contains("search-type"), "\(type)")
                    let response = try await fhir.get(uri)
                    #expect(response.status == .ok, "\(type): \(response.status)")
                }
            }
        }
    }
}

/// Every parameter, modifier and include the CapabilityStatement lists, tried: over 8,000
/// searches, so its own suite with a longer limit than the HTTP suites' minute (on two busy
/// cores it takes more than a minute).
@Suite("CapabilityStatement: every claim works", .timeLimit(.minutes(3)))
struct CapabilityStatementCoverageTests {
    /// Every parameter, modifier and include the statement lists is accepted: a search
    /// with a well-formed value of its type answers 200, never 400. Over HTTP for Patient
    /// and Observation, and through the record for all the other types.
    @Test func everyListedParameterModifierAndIncludeWorks() async throws {
        try await TestServer.run { fhir, record in
            let statement = try await fhir.get("/fhir/metadata").json()
            let resources = statement["rest"]?[0]?["resource"]?.elements ?? []
            // Over HTTP for two types (the rest through the record, the same parser and engine):
            // thousands of debug-build HTTP searches starved the other tests on a 2-core CI.
            let overHTTP: Set<String> = ["Patient", "Observation", "AuditEvent"]
            var checked = 0
            for resource in resources {
                let type = try #require(resource["type"]?.stringValue)
                var queries: [(String, String)] = []
                for parameter in resource["searchParam"]?.elements ?? [] {
                    let name = try #require(parameter["name"]?.stringValue)
                    let kind = try #require(parameter["type"]?.stringValue)
                    let modifiers = Self.modifiers(parameter["documentation"]?.stringValue ?? "")
                    queries.append((name, kind == "composite" ? Self.composite(type, name) : Self.sample(kind)))
                    for modifier in modifiers {
                        queries.append(("\(name):\(modifier == "[type]" ? Self.someTarget(type, name) : modifier)",
                                        Self.sample(kind, modifier: modifier)))
                    }
                }
                for include in resource["searchInclude"]?.elements.compactMap(\.stringValue) ?? [] {
                    queries.append(("_include", include))
                }
                for include in (resource["searchRevInclude"]?.elements.compactMap(\.stringValue) ?? []).prefix(overHTTP.contains(type) ? .max : 5) {
                    queries.append(("_revinclude", include))
                }
                for (name, value) in queries {
                    if overHTTP.contains(type) {
                        let uri = "/fhir/\(type)?\(Self.encode(name))=\(Self.encode(value))"
                        let response = try await fhir.get(uri, headers: [.prefer: "handling=strict"])
                        #expect(response.status == .ok, "\(type)?\(name)=\(value): \(response.text.prefix(300))")
                    } else {
                        await #expect(throws: Never.self, "\(type)?\(name)=\(value)") {
                            _ = try await record.search(SearchRequest(types: [type], parameters: [QueryParameter(name: name, value: value)],
                                                                      strict: true))
                        }
                    }
                    checked += 1
                }
            }
            #expect(checked > 8_000)
        }
    }

    static func modifiers(_ documentation: String) -> [String] {
        guard let start = documentation.range(of: "Modifiers: ") else { return [] }
        let list = documentation[start.upperBound...].prefix { $0 != ";" }
        return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ":", with: "") }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// `first$second` with a second part fit for the composite's second component.
    static func composite(_ type: String, _ code: String) -> String {
        let second = FHIRSearchDefinitions.r4.parameter(code, of: type)?.components.last?.type.rawValue ?? "token"
        return "http://loinc.org|8480-6$" + sample(second)
    }

    static func someTarget(_ type: String, _ code: String) -> String {
        FHIRSearchDefinitions.r4.parameter(code, of: type)?.targets.first ?? "Patient"
    }

    /// A well-formed value for a parameter type, or for one of its modifiers.
    static func sample(_ type: String, modifier: String? = nil) -> String {
        switch modifier {
        case "missing": return "true"
        case "of-type": return "http://terminology.hl7.org/CodeSystem/v2-0203|MR|123"
        case "in", "not-in": return "http://hl7.org/fhir/ValueSet/administrative-gender"
        case "identifier": return "https://fhir.nhs.uk/Id/nhs-number|9434765919"
        case "below", "above": return "http://example.org/a/b"
        case "[type]": return "some-id"
        default: break
        }
        switch type {
        case "date": return "ge2020-01-01"
        case "number", "quantity": return "gt1"
        case "reference": return "some-id"
        case "uri": return "http://example.org/a"
        case "composite": return "http://loinc.org|8480-6$gt1"
        case "special": return "53.8|-1.55|5|km"
        default: return "x"
        }
    }
}
