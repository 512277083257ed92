import FHIR

/// What happened to one entry, reported as soon as it is known (in processing order, not
/// entry order), so that a large import need not keep results it has already counted.
struct BundleEntryReport {
    enum Outcome {
        case written(WriteResult)
        case read(JSON)
        case failed(RecordError)
    }

    let index: Int
    let method: BundleEntryRequest.Method?
    let resourceType: String?
    let outcome: Outcome
    let referencesResolved: Int
}
