import CareRecord
import FHIR

/// The CapabilityStatement: exactly what this server does, no more. Each line here is backed
/// by a route and by tests; when an interaction is added, it is listed here in the same change.
enum CapabilityStatementBuilder {
    static let version = "0.1.0"

    static func build(definitions: FHIRDefinitions = .r4) -> JSON {
        let interactions: [JSON] = ["read", "vread", "update", "patch", "delete", "history-instance", "history-type",
                                    "create", "search-type"].map { ["code": .string($0)] }
        let resources: [JSON] = definitions.resourceTypes.sorted().map { type in
            var searchParams: [JSON] = [["name": "_id", "type": "token", "definition": "http://hl7.org/fhir/SearchParameter/Resource-id"]]
            if definitions.element("identifier", of: type) != nil {
                searchParams.append(["name": "identifier", "type": "token"])
            }
            return [
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
                "searchParam": .array(searchParams),
            ]
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
                "resource": .array(resources),
                "interaction": [["code": "transaction"], ["code": "batch"], ["code": "history-system"]],
            ]],
        ]
    }
}
