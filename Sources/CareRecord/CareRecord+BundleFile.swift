import FHIR

/// What a streamed Bundle file import did.
public struct BundleFileOutcome: Sendable {
    public internal(set) var storedByType: [String: Int] = [:]
    /// The first failures, by entry index; `failureCount` counts them all.
    public internal(set) var failures: [(index: Int, error: RecordError)] = []
    public internal(set) var failureCount = 0
    public internal(set) var referencesResolved = 0
    public static let keptFailures = 1000
}

/// The file is not a transaction or batch Bundle, so there is nothing to import from it.
public struct NotABundleFile: Error, Sendable {}

extension CareRecord {
    /// Imports a transaction or batch Bundle file of any size: the file is read in passes
    /// (`BundleProcessor`), holding one entry at a time, with what the passes share kept in
    /// temporary tables on SQLite (`SQLiteBundlePlanStore`), all in one write transaction (a transaction bundle is all or nothing; a batch keeps what
    /// succeeds).
    /// - Throws: `NotABundleFile`; `BundleEntryStream.StreamError` for a malformed file;
    ///   `RecordError` when a transaction fails.
    public func importBundle(at path: String,
                             progress: @escaping @Sendable (_ pass: Int, _ bytesRead: Int) -> Void = { _, _ in }
    ) async throws -> BundleFileOutcome {
        let members = try FileBundleEntries.members(of: path)
        let type = members["type"]?.stringValue
        guard members["resourceType"]?.stringValue == "Bundle", type == "transaction" || type == "batch" else {
            throw NotABundleFile()
        }
        let source = FileBundleEntries(path: path, validator: validator, progress: progress)
        let validator = validator
        return try await write { writer in
            var outcome = BundleFileOutcome()
            // On SQLite the plans live in TEMP tables of the writer (`SQLiteBundlePlanStore`); on
            // PostgreSQL, where each of their lookups would be a round trip, in memory (about
            // 200 bytes an entry).
            let plans: any BundlePlanStore = if let sqlite = writer.transaction as? SQLiteTransaction {
                try SQLiteBundlePlanStore(sqlite.db)
            } else {
                MemoryBundlePlanStore()
            }
            try BundleProcessor(writer: writer, validator: validator, isTransaction: type == "transaction")
                .run(source, plans: plans) { report in
                outcome.referencesResolved += report.referencesResolved
                switch report.outcome {
                case .written(let result):
                    if let stored = result.stored, result.outcome != .deleted, result.outcome != .nothingToDelete {
                        outcome.storedByType[stored.key.type, default: 0] += 1
                    }
                case .read:
                    break
                case .failed(let error):
                    outcome.failureCount += 1
                    if outcome.failures.count < BundleFileOutcome.keptFailures { outcome.failures.append((report.index, error)) }
                }
            }
            return outcome
        }
    }
}
