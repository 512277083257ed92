import CareRecord
import FHIR

/// The CapabilityStatement: exactly what this server does, no more. Each line here is backed
/// by a route and by tests; when an interaction is added, it is listed here in the same change.
enum CapabilityStatementBuilder {
    /// One `searchParam`, with the modifiers that work on it in `documentation` (R4 has no
    /// element for them).
    static func searchParam(_ parameter: SearchParameter) -> JSON {
        var text = "Modifiers: " + SearchCapabilities.modifiers(of: parameter).map { ":\($0)" }.joined(separator: ", ")
        if parameter.type == .reference { text += "; chaining (up to 3 links) and _has" }
        if [.date, .number, .quantity].contains(parameter.type) { text += "; prefixes eq ne gt lt ge le sa eb ap" }
        return ["name": .string(parameter.code), "definition": .string(parameter.url), "type": .string(parameter.type.rawValue),
                "documentation": .string(text)]
    }

    /// `_content`, `_text` and `near` (`SearchCapabilities.engineParameters`).
    static func engineParams(of type: String) -> [JSON] {
        SearchCapabilities.engineParameters(of: type).map { parameter in
            ["name": .string(parameter.code), "definition": .string(parameter.url), "type": .string(parameter.type.rawValue),
             "documentation": .string(parameter.documentation)]
        }
    }

    static let version = "0.1.0"

    /// AuditEvents are the server's audit log, not stored resources: read and searched by
    /// patient only (`FHIRController+Audit`), never written through the API.
    static var auditLog: JSON {
        let patient = FHIRSearchDefinitions.r4.parameter("patient", of: "AuditEvent")
        return [
            "type": "AuditEvent",
            "documentation": "The audit log, written by this server alone: every request is an entry, hash-chained. Searched by patient (their access report, newest first; _count and _page page it), read by id. The person reads their own with a patient token; privacy officers and systems read anyone's.",
            "interaction": [["code": "read"], ["code": "search-type"]],
            "versioning": "no-version",
            "readHistory": false,
            "updateCreate": false,
            "searchParam": .array([patient.map { parameter in
                ["name": .string(parameter.code), "definition": .string(parameter.url), "type": .string(parameter.type.rawValue),
                 "documentation": "A Patient id or Patient/id; no modifiers"]
            }].compactMap { $0 }),
        ]
    }

    static func build(definitions: FHIRDefinitions = .r4) -> JSON {
        let interactions: [JSON] = ["read", "vread", "update", "patch", "delete", "history-instance", "history-type",
                                    "create", "search-type"].map { ["code": .string($0)] }
        let revIncludes = SearchCapabilities.revIncludes()
        let resources: [JSON] = definitions.resourceTypes.sorted().map { type in
            if type == "AuditEvent" { return auditLog }
            var resource: JSONObject = [
                "type": .string(type),
                "interaction": .array(interactions),
                "versioning": "versioned-update",
                "readHistory": true,
                "updateCreate": true,
                "conditionalCreate": true,
                "conditionalRead": "not-supported",
                "conditionalUpdate": true,
                "conditionalDelete": "single",
                "referencePolicy": ["literal", "logical"],
                "searchParam": .array(SearchCapabilities.parameters(of: type).map(searchParam) + engineParams(of: type)),
                "searchInclude": .array(SearchCapabilities.includes(of: type).map { .string($0) }),
                "searchRevInclude": .array((revIncludes[type] ?? []).map { .string($0) }),
            ]
            if type == "Patient" {
                resource["operation"] = [["name": "everything",
                                          "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything"]]
            }
            return .object(resource)
        }
        return [
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-23",
            "publisher": "JoinedUp",
            "kind": "instance",
            "software": ["name": "JoinedUp", "version": .string(version)],
            "implementation": ["description": "JoinedUp shared care record"],
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json", "json"],
            "patchFormat": ["application/json-patch+json"],
            "rest": [[
                "mode": "server",
                "security": [
                    "service": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                             "code": "SMART-on-FHIR"]]]],
                    "description": "Every interaction but this CapabilityStatement needs a bearer token (a JWT signed with one of the server's keys, ES256 or HS256) carrying SMART scopes (patient/, user/, system/; v1 read/write or v2 cruds). A patient-scoped token reads and searches its patient's compartment only.",
                ],
                "resource": .array(resources),
                "interaction": [["code": "transaction"], ["code": "batch"], ["code": "history-system"], ["code": "search-system"]],
                "searchParam": .array(["_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"].compactMap { code in
                    FHIRSearchDefinitions.r4.parameter(code, of: "Patient").map(searchParam)
                } + engineParams(of: "Resource")),
            ]],
        ]
    }
}
