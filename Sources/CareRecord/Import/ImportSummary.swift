/// What an import did: resources stored by type, and each rejected record with where it was.
public struct ImportSummary: Sendable {
    public struct Failure: Sendable {
        public let file: String
        /// "line 12" for NDJSON, "entry 3" for a bundle.
        public let location: String
        public let error: RecordError
    }

    public internal(set) var storedByType: [String: Int] = [:]
    /// The first `keptFailures` failures; a file of nothing but bad lines must not fill memory.
    public internal(set) var failures: [Failure] = []
    public internal(set) var failureCount = 0
    public static let keptFailures = 1000
    public internal(set) var bytesRead = 0
    public internal(set) var referencesResolved = 0

    public var stored: Int { storedByType.values.reduce(0, +) }

    public init() {}

    mutating func count(_ result: WriteResult) {
        guard let stored = result.stored else { return }
        switch result.outcome {
        case .created, .updated, .unchanged, .existing: storedByType[stored.key.type, default: 0] += 1
        case .deleted, .nothingToDelete: break
        }
    }
}
