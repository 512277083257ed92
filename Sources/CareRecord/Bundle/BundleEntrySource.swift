import FHIR

/// The entries of a transaction or batch, readable more than once, so that a processor can
/// plan from a first pass and write in later ones without holding every resource.
protocol BundleEntrySource {
    /// Calls `body` with each entry in order, parsed (and validated when `validate`).
    func forEachEntry(validate: Bool, _ body: (Int, Result<BundleEntryRequest, RecordError>) throws -> Void) throws
}

/// A bundle already in memory (a request body), parsed and validated once.
struct ParsedEntries: BundleEntrySource {
    let entries: [Result<BundleEntryRequest, RecordError>]

    func forEachEntry(validate: Bool, _ body: (Int, Result<BundleEntryRequest, RecordError>) throws -> Void) throws {
        for (index, entry) in entries.enumerated() { try body(index, entry) }
    }
}

extension BundleEntryRequest {
    /// Parses and validates one entry, locating faults inside it.
    static func parse(_ entry: JSON, index: Int, validator: ResourceValidator, validate: Bool = true) -> Result<BundleEntryRequest, RecordError> {
        Result { () throws(RecordError) -> BundleEntryRequest in
            let request = try BundleEntryRequest(entry: entry, index: index)
            if validate, let resource = request.resource, request.patch == nil {
                let issues = validator.validate(.object(resource))
                if issues.contains(where: { $0.severity == .error || $0.severity == .fatal }) {
                    throw RecordError(.invalid, issues).located(inEntry: request.location)
                }
            }
            return request
        }
    }
}
