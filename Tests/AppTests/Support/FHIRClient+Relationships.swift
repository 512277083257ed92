import FHIR

extension FHIRClient {
    /// Joins `organisation`'s staff to `patient` as the standard care relationships do: an
    /// Organization carrying the ODS code, and an open EpisodeOfCare it manages for the
    /// patient (two creates, with this client's token).
    func openEpisode(for patient: String, organisation: String = "A81001") async throws {
        let managing = try await create(["resourceType": "Organization", "name": .string("Organisation \(organisation)"),
                                         "identifier": [["system": "https://fhir.nhs.uk/Id/ods-organization-code",
                                                         "value": .string(organisation)]]])
        _ = try await create(["resourceType": "EpisodeOfCare", "status": "active",
                              "patient": ["reference": .string("Patient/\(patient)")],
                              "managingOrganization": ["reference": .string("Organization/\(managing)")]])
    }
}
