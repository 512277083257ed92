/// The care relationships JoinedUp ships with, as the JSON a deployment's own file replaces
/// (`joinedup serve --relationships FILE`; `joinedup policy --relationships` prints this one).
/// A member of staff is joined to a person while they, their organisation or a standing team
/// of theirs is in the person's open CareTeam, manages or cares for an open EpisodeOfCare,
/// performs or requested an open referral (ServiceRequest), owns or requested an open Task,
/// provides or takes part in an Encounter under way, or is the practice or organisation the
/// person is registered with. Users are known in the record by their NHS Care Identity (SDS)
/// user id, organisations by their ODS code; break-glass lasts four hours.
enum StandardCareRelationships {
    static let json = #"""
    {
      "version": "2026-11-25",
      "identifiers": {
        "user": ["https://fhir.nhs.uk/Id/sds-user-id"],
        "organisation": ["https://fhir.nhs.uk/Id/ods-organization-code", "https://fhir.nhs.uk/Id/ods-site-code"]
      },
      "teamStatuses": ["active"],
      "breakGlassMinutes": 240,
      "relationships": [
        {"name": "in the person's care team", "type": "CareTeam", "patient": "patient", "members": ["participant"],
         "status": "status", "statuses": ["proposed", "active", "suspended"]},
        {"name": "an open episode of care", "type": "EpisodeOfCare", "patient": "patient",
         "members": ["organization", "care-manager"], "status": "status", "statuses": ["planned", "waitlist", "active", "onhold"]},
        {"name": "an open referral", "type": "ServiceRequest", "patient": "patient", "members": ["performer", "requester"],
         "status": "status", "statuses": ["draft", "active", "on-hold"]},
        {"name": "an open task", "type": "Task", "patient": "patient", "members": ["owner", "requester"],
         "status": "status", "statuses": ["draft", "requested", "received", "accepted", "ready", "in-progress", "on-hold"]},
        {"name": "an encounter under way", "type": "Encounter", "patient": "patient", "members": ["service-provider", "participant"],
         "status": "status", "statuses": ["arrived", "triaged", "in-progress", "onleave"]},
        {"name": "registered with the practice or organisation", "type": "Patient",
         "members": ["general-practitioner", "organization"]}
      ]
    }
    """#
}
