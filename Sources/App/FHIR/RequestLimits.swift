import FHIR

/// The bounds applied to every request body.
struct RequestLimits: Sendable {
    let maxBodyBytes: Int
    let json: JSONLimits

    init(_ configuration: AppConfiguration) {
        maxBodyBytes = configuration.maxBodyBytes
        json = JSONLimits(maxDepth: configuration.maxJSONDepth)
    }
}
