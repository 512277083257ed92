import FHIR

extension CareRecord {
    /// The most entries one bundle may carry; more is refused before any work.
    public static let maximumBundleEntries = 100_000

    /// Processes a `transaction` or `batch` Bundle posted to the base URL.
    public func process(bundle json: JSON, preference: ReturnPreference = .minimal) async throws -> BundleResult {
        guard let bundle = json.objectValue, bundle["resourceType"]?.stringValue == "Bundle" else {
            throw RecordError(.invalid, .invalid, "only a Bundle may be posted to the base URL", at: ["resourceType"])
        }
        let type = bundle["type"]?.stringValue
        guard type == "transaction" || type == "batch" else {
            throw RecordError(.invalid, .value, "the Bundle type must be transaction or batch", at: ["Bundle.type"])
        }
        let entries: [JSON]
        switch bundle["entry"] {
        case nil: entries = []
        case .array(let array): entries = array
        default: throw RecordError(.invalid, .structure, "Bundle.entry must be an array", at: ["Bundle.entry"])
        }
        guard entries.count <= Self.maximumBundleEntries else {
            throw RecordError(.invalid, .tooCostly, "a bundle may carry at most \(Self.maximumBundleEntries) entries", at: ["Bundle.entry"])
        }
        let isTransaction = type == "transaction"
        let validator = validator
        // Parsed and validated before the write lock is taken.
        let parsed = entries.enumerated().map { index, entry in
            BundleEntryRequest.parse(entry, index: index, validator: validator)
        }
        if isTransaction, let failure = parsed.first(where: { if case .failure = $0 { true } else { false } }),
           case .failure(let error) = failure {
            throw error
        }
        let count = entries.count
        return try await write { writer in
            var builder = BundleResponseBuilder(count: count, isTransaction: isTransaction, preference: preference)
            try BundleProcessor(writer: writer, validator: validator, isTransaction: isTransaction)
                .run(ParsedEntries(entries: parsed), plans: MemoryBundlePlanStore()) { builder.add($0) }
            return builder.build(id: writer.environment.newID())
        }
    }
}
