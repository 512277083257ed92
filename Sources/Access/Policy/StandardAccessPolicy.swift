/// The access policy JoinedUp ships with, as the JSON a deployment's own file replaces
/// (`joinedup serve --policy FILE`; `joinedup policy` prints this one to start from). Rows:
/// clinicians read and write the whole record; the discharge, social care and therapy roles
/// read what their work needs and write their own kinds of record; care providers read the
/// care plan and what keeps a person safe (allergies, medicines, conditions); finance reads
/// what charging needs and no clinical data; commissioners and analysts see services and
/// measures, no person's record (a pseudonymised view is to come); privacy officers read the
/// audit log. Clinical, care and finance staff are held to their care relationships
/// (`heldToRelationships`): they see a person's record only while they have one, or have
/// broken the glass. The person and their carer read their own record (their scopes keep them to
/// it). What a token may do is this row and its scopes together.
enum StandardAccessPolicy {
    static let json = #"""
    {
      "version": "2026-11-26",
      "roles": {
        "gp": {"read": ["*"], "write": ["*"], "heldToRelationships": true},
        "nurse": {"read": ["*"], "write": ["*"], "heldToRelationships": true},
        "hospital-clinician": {"read": ["*"], "write": ["*"], "heldToRelationships": true},
        "discharge-coordinator": {
          "heldToRelationships": true,
          "read": ["*"],
          "write": ["Encounter", "EpisodeOfCare", "CarePlan", "CareTeam", "Goal", "ServiceRequest", "Task", "Communication",
                    "CommunicationRequest", "Appointment", "Flag", "DocumentReference", "QuestionnaireResponse", "Observation"]
        },
        "social-worker": {
          "heldToRelationships": true,
          "read": ["Patient", "RelatedPerson", "Person", "Practitioner", "PractitionerRole", "Organization", "Location",
                   "HealthcareService", "CareTeam", "CarePlan", "Goal", "EpisodeOfCare", "Encounter", "Condition",
                   "AllergyIntolerance", "MedicationStatement", "MedicationRequest", "Medication", "Flag", "ServiceRequest",
                   "Task", "Communication", "CommunicationRequest", "Appointment", "Questionnaire", "QuestionnaireResponse",
                   "DocumentReference", "Consent", "Coverage", "GuidanceResponse", "RiskAssessment"],
          "write": ["RelatedPerson", "CareTeam", "CarePlan", "Goal", "EpisodeOfCare", "ServiceRequest", "Task", "Communication",
                    "CommunicationRequest", "Appointment", "Flag", "QuestionnaireResponse", "DocumentReference", "Consent",
                    "GuidanceResponse"]
        },
        "occupational-therapist": {
          "heldToRelationships": true,
          "read": ["*"],
          "write": ["Encounter", "CareTeam", "CarePlan", "Goal", "Observation", "Procedure", "Device", "DeviceRequest",
                    "ServiceRequest", "Task", "Communication", "QuestionnaireResponse", "DocumentReference"]
        },
        "care-provider": {
          "heldToRelationships": true,
          "read": ["Patient", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization", "Location",
                   "HealthcareService", "CareTeam", "CarePlan", "Goal", "Condition", "AllergyIntolerance", "Medication",
                   "MedicationStatement", "MedicationRequest", "MedicationAdministration", "Flag", "Task", "Communication",
                   "Appointment", "Consent"],
          "write": ["Observation", "MedicationAdministration", "Communication", "Task", "DocumentReference",
                    "QuestionnaireResponse"]
        },
        "finance-officer": {
          "heldToRelationships": true,
          "read": ["Patient", "RelatedPerson", "Organization", "Practitioner", "Location", "HealthcareService", "EpisodeOfCare",
                   "Coverage", "Account", "ChargeItem", "ChargeItemDefinition", "Invoice", "Claim", "ClaimResponse",
                   "ExplanationOfBenefit", "PaymentNotice", "PaymentReconciliation", "Contract", "QuestionnaireResponse"],
          "write": ["Coverage", "Account", "ChargeItem", "Invoice", "Claim", "PaymentNotice", "PaymentReconciliation",
                    "QuestionnaireResponse"]
        },
        "commissioner": {
          "read": ["Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole", "Contract", "Group",
                   "Measure", "MeasureReport", "PlanDefinition", "ActivityDefinition", "Questionnaire", "Library"],
          "write": ["Contract", "Measure", "MeasureReport", "PlanDefinition", "ActivityDefinition", "Questionnaire", "Library"]
        },
        "analyst": {
          "read": ["Organization", "Location", "HealthcareService", "Measure", "MeasureReport", "Library", "Group"],
          "write": ["MeasureReport"]
        },
        "privacy-officer": {
          "read": ["AuditEvent", "Patient", "Practitioner", "PractitionerRole", "Organization", "Consent"],
          "write": [],
          "readsWholeAuditLog": true
        },
        "person": {"read": ["*"], "write": ["QuestionnaireResponse", "Goal", "Consent", "Communication"]},
        "carer": {"read": ["*"], "write": ["QuestionnaireResponse", "Goal", "Communication"]},
        "system": {"read": ["*"], "write": ["*"], "readsWholeAuditLog": true, "rateLimited": false}
      }
    }
    """#
}
