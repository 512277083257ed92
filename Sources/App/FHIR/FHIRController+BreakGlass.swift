import Access
import CareRecord
import FHIR
import Hummingbird

/// Break-glass on the API: `POST /fhir/Patient/[id]/$break-glass` with a Parameters body
/// holding `reason` opens that person's record to the user for the relationships'
/// break-glass time (a member of staff held to relationships only; everyone else already sees
/// what their role allows), and its audit entry carries the reason, so the access is flagged
/// in the person's access report. `GET /fhir/$break-glass-grants` lists, for the roles that
/// read the whole audit log, the grants of the reader's organisation (every organisation's
/// for a system, which acts for none), newest first, as Parameters.
extension FHIRController {
    @Sendable func breakGlass(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let key = try resourceKey(context)
        guard key.type == "Patient" else { throw FHIRError(.notFound, .notSupported, "$break-glass is offered on Patient only") }
        let principal = try principal(context)
        // Breaking the glass is reading the person's record: the token must allow that.
        try authorise(context, .read, "Patient")
        guard let viewer = RecordViewer.current else {
            throw FHIRError(.badRequest, .businessRule,
                            "only staff held to care relationships break the glass: the \(principal.role.code) role's sight is not kept to them")
        }
        let body = try await body(request)
        guard body["resourceType"]?.stringValue == "Parameters" else {
            throw FHIRError(.badRequest, .invalid, "$break-glass takes a Parameters resource", at: ["resourceType"])
        }
        let reasons = body["parameter"]?.arrayValue?.filter { $0["name"]?.stringValue == "reason" } ?? []
        guard reasons.count == 1, let reason = reasons[0]["valueString"]?.stringValue else {
            throw FHIRError(.badRequest, .required, "$break-glass needs one 'reason' parameter with a valueString, which the privacy officer reads",
                            at: ["Parameters.parameter"])
        }
        let grant = try await record.breakGlass(viewer, role: principal.role.code, patient: key.id, reason: reason)
        RequestAudit.current?.note(detail: "break-glass until \(grant.expires): \(grant.reason)")
        let answer: JSON = ["resourceType": "Parameters", "parameter": [
            ["name": "grant", "valueInteger": .number(String(grant.sequence))],
            ["name": "patient", "valueReference": ["reference": .string("Patient/\(grant.patient)")]],
            ["name": "expires", "valueInstant": .string(grant.expires.description)],
        ]]
        return FHIRResponse.bytes(JSONSerializer.bytes(answer), headers: [:])
    }

    @Sendable func breakGlassGrants(_ request: Request, context: Context) async throws -> Response {
        try ContentNegotiation.checkAcceptable(request)
        let principal = try principal(context)
        guard principal.policy.readsWholeAuditLog else {
            throw FHIRError(.forbidden, .forbidden, "break-glass grants are for privacy officers to review")
        }
        // Staff review their own organisation's grants; a system, acting for none, everyone's.
        if principal.role.isStaff, principal.organisation == nil {
            throw FHIRError(.forbidden, .forbidden, "a privacy officer's token names their organisation (org)")
        }
        let grants = try await record.accessGrants(organisation: principal.role.isStaff ? principal.organisation : nil)
        RequestAudit.current?.note(grants.map { AuditEntity("Patient", $0.patient) })
        let parts: [JSON] = grants.map { grant in
            var part: [JSON] = [
                ["name": "user", "valueString": .string(grant.user)],
                ["name": "role", "valueCode": .string(grant.role)],
                ["name": "patient", "valueReference": ["reference": .string("Patient/\(grant.patient)")]],
                ["name": "reason", "valueString": .string(grant.reason)],
                ["name": "granted", "valueInstant": .string(grant.granted.description)],
                ["name": "expires", "valueInstant": .string(grant.expires.description)],
            ]
            if let organisation = grant.organisation { part.insert(["name": "organisation", "valueString": .string(organisation)], at: 1) }
            return ["name": "grant", "part": .array(part)]
        }
        let answer: JSON = ["resourceType": "Parameters", "parameter": .array(parts)]
        return FHIRResponse.bytes(JSONSerializer.bytes(answer), headers: [:])
    }
}
