import FHIR
import Foundation

/// An audit entry as a FHIR R4 AuditEvent, coded as the IHE Basic Audit Log Patterns code a
/// RESTful interaction: the `rest` type with the interaction as subtype, the user as the
/// requesting agent (their organisation's ODS code as a second agent), this server as the
/// source, and entities for the patients named, the resources touched and the query.
public enum AuditEventResource {
    static let userSystem = "https://fhir.joinedup.org.uk/Id/user"
    static let odsSystem = "https://fhir.nhs.uk/Id/ods-organization-code"
    static let roleSystem = "https://fhir.joinedup.org.uk/CodeSystem/role"

    public static func json(_ entry: AuditEntry) -> JSON {
        var resource: JSONObject = [
            "resourceType": "AuditEvent",
            "id": .string(String(entry.sequence)),
            "meta": ["versionId": "1", "lastUpdated": .string(entry.recorded.description)],
            "type": coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            "subtype": [subtype(entry.interaction)],
            "action": .string(entry.action),
            "recorded": .string(entry.recorded.description),
            "outcome": .string(String(entry.outcome)),
            "agent": .array(agents(entry)),
            "source": [
                "observer": ["display": "JoinedUp"],
                "type": [coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            ],
        ]
        if let detail = entry.detail { resource["outcomeDesc"] = .string(detail) }
        var entities = entry.entities.map(entity)
        if let query = entry.query, !query.isEmpty {
            entities.append([
                "type": coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
                "role": coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"),
                "query": .string(Data(query.utf8).base64EncodedString()),
            ])
        }
        if !entities.isEmpty { resource["entity"] = .array(entities) }
        return .object(resource)
    }

    private static func coding(_ system: String, _ code: String, _ display: String? = nil) -> JSON {
        var coding: JSONObject = ["system": .string(system), "code": .string(code)]
        if let display { coding["display"] = .string(display) }
        return .object(coding)
    }

    private static func subtype(_ interaction: String) -> JSON {
        interaction.hasPrefix("$") || interaction == "break-glass"
            ? coding("https://fhir.joinedup.org.uk/CodeSystem/audit-interaction", interaction)
            : coding("http://hl7.org/fhir/restful-interaction", interaction)
    }

    private static func agents(_ entry: AuditEntry) -> [JSON] {
        var user: JSONObject = [
            "type": ["coding": [coding("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user")]],
            "requestor": true,
        ]
        if let id = entry.agent.user {
            user["who"] = ["identifier": ["system": .string(userSystem), "value": .string(id)]]
        } else {
            user["who"] = ["display": "unidentified: no valid token"]
        }
        if let role = entry.agent.role { user["role"] = [["coding": [coding(roleSystem, role)]]] }
        if let address = entry.address { user["network"] = ["address": .string(address), "type": "2"] }
        var agents: [JSON] = [.object(user)]
        if let organisation = entry.agent.organisation {
            agents.append([
                "type": ["coding": [coding("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "dataprocessor", "data processor")]],
                "who": ["identifier": ["system": .string(odsSystem), "value": .string(organisation)]],
                "requestor": false,
            ])
        }
        return agents
    }

    private static func entity(_ entity: AuditEntity) -> JSON {
        let isPatient = entity.type == "Patient"
        return [
            "what": ["reference": .string(entity.reference)],
            "type": isPatient
                ? coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person")
                : coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
            "role": isPatient
                ? coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient")
                : coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"),
        ]
    }
}
