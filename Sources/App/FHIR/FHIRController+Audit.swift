import Access
import CareRecord
import FHIR
import Hummingbird

/// The audit log through FHIR: `GET /fhir/AuditEvent?patient=X` is a person's access report
/// ("who has looked at my record"), newest first, paged by `_page`; `GET /fhir/AuditEvent/N`
/// one entry. The person reads their own report with a patient token; a privacy officer or a
/// system reads anyone's. The log is written by the server alone: AuditEvents cannot be
/// created, changed or deleted through the API (`RecordWriter` refuses the type).
extension FHIRController {
    static let maximumAuditCount = 200

    @Sendable func auditSearch(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        var patient: String?
        var count = 50
        var before: Int64?
        for (name, value) in QueryString.parse(request.uri.query ?? "") {
            switch name {
            case "patient":
                let id = value.hasPrefix("Patient/") ? String(value.dropFirst("Patient/".count)) : value
                guard ResourceID.isValid(id) else {
                    throw FHIRError(.badRequest, .value, "patient must be a Patient id or Patient/id", at: ["patient"])
                }
                patient = id
            case "_count":
                guard let number = Int(value), number >= 1 else {
                    throw FHIRError(.badRequest, .value, "_count must be a whole number of at least 1", at: ["_count"])
                }
                count = min(number, Self.maximumAuditCount)
            case "_page":
                before = try pageCursor(value)
            case "_format":
                continue
            default:
                throw FHIRError(.badRequest, .notSupported,
                                "the audit log is searched by patient, _count and _page, not '\(name.prefix(64))'")
            }
        }
        let principal = try principal(context)
        if let own = try confinedPatient(context) {
            try principal.require(.search, "AuditEvent", in: [.patient])
            if let patient, patient != own { throw FHIRError(.notFound, .notFound, "Patient/\(patient) is not known") }
            patient = own
        } else {
            try requireAuditReader(principal)
        }
        guard let patient else {
            throw FHIRError(.badRequest, .required, "the audit log is searched for one patient: patient=id", at: ["patient"])
        }
        RequestAudit.current?.note([AuditEntity("Patient", patient)])
        let entries = try await record.auditEntries(patient: patient, before: before, count: count)
        return FHIRResponse.json(auditBundle(entries, request: request, patient: patient, count: count))
    }

    @Sendable func auditRead(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        try requireAuditReader(try principal(context))
        let id = try context.parameters.require("id")
        guard let sequence = Int64(id), sequence > 0, let entry = try await record.auditEntries(sequences: [sequence]).first else {
            throw FHIRError(.notFound, .notFound, "AuditEvent/\(id.prefix(64)) is not known")
        }
        return FHIRResponse.json(AuditEventResource.json(entry))
    }

    /// Every write to the log through the API: 405, as the CapabilityStatement offers none.
    @Sendable func auditWrite(_ request: Request, context: Context) async throws -> Response {
        throw FHIRError(.methodNotAllowed, .notSupported, "AuditEvents are written by this server's audit log, not through the API")
    }

    /// Anyone's entries are for privacy officers and systems whose scopes read AuditEvents.
    private func requireAuditReader(_ principal: Principal) throws {
        guard principal.policy.readsWholeAuditLog else {
            throw FHIRError(.forbidden, .forbidden,
                            "the audit log is open to the person it is about, privacy officers and systems, not to the \(principal.role.code) role")
        }
        try principal.require(.search, "AuditEvent")
    }

    private func auditBundle(_ entries: [AuditEntry], request: Request, patient: String, count: Int) -> JSON {
        let base = base(request) ?? ""
        let selfURL = "\(base)/AuditEvent?patient=\(patient)&_count=\(count)"
        var links: [JSON] = [["relation": "self", "url": .string(selfURL)]]
        if entries.count == count, let last = entries.last {
            links.append(["relation": "next", "url": .string("\(selfURL)&_page=\(last.sequence)")])
        }
        return [
            "resourceType": "Bundle",
            "type": "searchset",
            "link": .array(links),
            "entry": .array(entries.map { entry in
                [
                    "fullUrl": .string("\(base)/AuditEvent/\(entry.sequence)"),
                    "resource": AuditEventResource.json(entry),
                    "search": ["mode": "match"],
                ]
            }),
        ]
    }
}
