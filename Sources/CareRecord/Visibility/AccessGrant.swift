import FHIR

/// One break-glass grant: `user` opened `patient`'s record without a care relationship,
/// saying why, and sees it until `expires` (`AccessGrantSchema`).
public struct AccessGrant: Sendable, Equatable {
    public let sequence: Int64
    public let user: String
    public let organisation: String?
    public let role: String
    public let patient: String
    public let reason: String
    public let granted: FHIRInstant
    public let expires: FHIRInstant
}
